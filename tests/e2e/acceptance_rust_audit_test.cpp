// The cargo-auditable cataloger against the corpus case rust/installed/cargo-auditable-
// binary. Syft's fixture is built at test time (cargo auditable build in rust:1.82.0),
// so this test builds an equivalent binary with Debian's cargo and rustc, offline: a
// crate whose `#[used] #[link_section = ".dep-v0"] static` holds the zlib-compressed
// audit JSON, which is exactly what cargo-auditable injects. The JSON lists the case's
// ten crates with the dependency graph of Syft's hello_world (argh + serde). Compression
// is real deflate (gzip -n, rewrapped as a zlib stream).
#include <gtest/gtest.h>

#include <set>

#include "corpus.h"
#include "e2e_support.h"
#include "sbom/catalogers/rust_audit.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCase = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "rust" / "installed" / "cargo-auditable-binary";

// The audit data of hello_world's tree, in cargo-auditable's format: packages sorted by
// name, dependencies by index, build-time crates (proc macros and their deps) kind "build".
const char* kAuditJson = R"({"packages":[
{"name":"argh","version":"0.1.12","source":"crates.io","dependencies":[1,2]},
{"name":"argh_derive","version":"0.1.12","source":"crates.io","kind":"build","dependencies":[2,4,5,8]},
{"name":"argh_shared","version":"0.1.12","source":"crates.io","dependencies":[6]},
{"name":"hello_world","version":"0.1.0","source":"local","dependencies":[0,6],"root":true},
{"name":"proc-macro2","version":"1.0.92","source":"crates.io","kind":"build","dependencies":[9]},
{"name":"quote","version":"1.0.37","source":"crates.io","kind":"build","dependencies":[4]},
{"name":"serde","version":"1.0.215","source":"crates.io","dependencies":[7]},
{"name":"serde_derive","version":"1.0.215","source":"crates.io","kind":"build","dependencies":[4,5,8]},
{"name":"syn","version":"2.0.90","source":"crates.io","kind":"build","dependencies":[4,5,9]},
{"name":"unicode-ident","version":"1.0.14","source":"crates.io","kind":"build"}]})";

std::uint32_t adler32(const std::string& data) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

// gzip -n writes a 10-byte header, the raw deflate stream, CRC-32 and size; a zlib
// stream is a 2-byte header, the same deflate stream and the Adler-32 of the data.
std::string zlib_compress(const e2e::TempDir& dir, const std::string& data) {
  e2e::write_file(dir / "audit.json", data);
  auto r = e2e::run_program("/bin/sh", {"-c", "gzip -9 -n -c '" + (dir / "audit.json").string() + "' > '" + (dir / "audit.gz").string() + "'"});
  if (r.exit_code != 0) return "";
  auto gz = e2e::read_file(dir / "audit.gz");
  if (gz.size() < 18 || gz[3] != 0) return "";  // FLG must be 0 (no name, no extra fields)
  std::string out("\x78\xda", 2);
  out += gz.substr(10, gz.size() - 18);
  auto adler = adler32(data);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((adler >> shift) & 0xff);
  return out;
}

TEST(RustAuditAcceptance, CargoAuditableBinary) {
  if (!fs::exists("/usr/bin/cargo") || !fs::exists("/usr/bin/rustc"))
    GTEST_SKIP() << "/usr/bin/cargo or /usr/bin/rustc is not installed (apt-get install cargo)";
  e2e::TempDir dir("rust-audit");
  auto compressed = zlib_compress(dir, kAuditJson);
  ASSERT_FALSE(compressed.empty()) << "gzip failed";
  auto crate = dir / "hello_world";
  fs::create_directories(crate / "src");
  e2e::write_file(crate / "audit.bin", compressed);
  e2e::write_file(crate / "Cargo.toml", "[package]\nname = \"hello_world\"\nversion = \"0.1.0\"\nedition = \"2018\"\n");
  e2e::write_file(crate / "src" / "main.rs",
                  "#[used]\n#[link_section = \".dep-v0\"]\n"
                  "static AUDIT_DATA: [u8; include_bytes!(\"../audit.bin\").len()] = *include_bytes!(\"../audit.bin\");\n"
                  // cargo-auditable keeps the section through the linker; rustc 1.63's
                  // #[used] does not survive --gc-sections, so main reads one byte of it.
                  "fn main() {\n"
                  "    let first = unsafe { std::ptr::read_volatile(&AUDIT_DATA[0]) };\n"
                  "    println!(\"Hello, world! {}\", first);\n"
                  "}\n");
  e2e::RunOptions o;
  o.cwd = crate.string();
  o.env = {{"CARGO_HOME", (dir / "cargo-home").string()}, {"RUSTC", "/usr/bin/rustc"}, {"CARGO_TARGET_DIR", (dir / "target").string()}};
  o.timeout_seconds = 600;
  auto build = e2e::run_program("/usr/bin/cargo", {"build", "--release", "--offline", "-q"}, o);
  ASSERT_EQ(build.exit_code, 0) << build.describe();

  auto direct = read_rust_audit(e2e::read_file(dir / "target" / "release" / "hello_world"));
  ASSERT_TRUE(direct) << direct.error().message;
  ASSERT_TRUE(*direct) << "no .dep-v0 section found";
  EXPECT_EQ((*direct)->size(), 10u);

  // The binary where Syft's image has it.
  auto root = dir / "rootfs";
  fs::create_directories(root / "usr" / "local" / "bin");
  fs::copy_file(dir / "target" / "release" / "hello_world", root / "usr" / "local" / "bin" / "hello_world");
  auto cataloger = rust_audit_binary_cataloger();
  auto tree = corpus::load_tree(root, "/", cataloger.captures);
  auto result = cataloger.run(tree, {});
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();

  auto expected = corpus::load_json(kCase / "expected.json");
  std::set<std::string> want, got;
  for (const auto& p : expected.at("packages")) {
    want.insert(p.at("name").get<std::string>() + " " + p.at("version").get<std::string>() + " " + p.at("purl").get<std::string>() +
                " " + p.at("type").get<std::string>() + " source=" + p.at("metadata").at("Source").get<std::string>() +
                " licenses=" + std::to_string(p.at("licenses").size()) + " at " + p.at("locations")[0].get<std::string>());
  }
  for (const auto& p : result.packages) {
    EXPECT_EQ(p.found_by, "cargo-auditable-binary-cataloger");
    got.insert(p.name + " " + p.version + " " + p.purl + " " + p.type + " source=" + p.metadata.at("source") +
               " licenses=" + std::to_string(p.licenses.size()) + " at " + p.locations.at(0));
  }
  EXPECT_EQ(got, want);

  // The relationships are the embedded graph, edge for edge.
  std::set<std::string> want_edges, got_edges;
  auto audit = json::parse(kAuditJson);
  const auto& list = audit.at("packages");
  for (const auto& p : list)
    for (const auto& d : p.value("dependencies", json::array()))
      want_edges.insert(p.at("name").get<std::string>() + " -> " + list.at(d.get<std::size_t>()).at("name").get<std::string>());
  for (const auto& d : result.dependencies) got_edges.insert(result.packages[d.from].name + " -> " + result.packages[d.to].name);
  EXPECT_EQ(got_edges, want_edges);
}

}  // namespace
}  // namespace cairn::sbom
