// cargo-auditable data (.dep-v0, zlib-compressed JSON) in ELF, PE and Mach-O files.
#include "sbom/catalogers/rust_audit.h"

#include <gtest/gtest.h>

#include "executable_builder.h"
#include "sbom/zlib_inflate.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using testing::build_elf;
using testing::build_macho;
using testing::build_pe;

// A zlib stream made of stored (uncompressed) deflate blocks: valid input for any
// inflater, written without a compressor.
std::string zlib_stored(const std::string& data) {
  std::string out("\x78\x01", 2);
  std::size_t at = 0;
  do {
    std::size_t n = std::min<std::size_t>(data.size() - at, 65535);
    bool last = at + n == data.size();
    out += static_cast<char>(last ? 1 : 0);
    out += static_cast<char>(n & 0xff);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xff);
    out += static_cast<char>((~n >> 8) & 0xff);
    out += data.substr(at, n);
    at += n;
  } while (at < data.size());
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  std::uint32_t adler = (b << 16) | a;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((adler >> shift) & 0xff);
  return out;
}

const std::string kAudit =
    R"({"packages":[{"name":"hello","version":"0.1.0","source":"local","kind":"runtime","dependencies":[1,2],"root":true},)"
    R"({"name":"serde","version":"1.0.215","source":"crates.io","dependencies":[2]},)"
    R"({"name":"serde_derive","version":"1.0.215","source":"crates.io","kind":"build"}]})";

TEST(ZlibInflate, StoredBlocksCapsAndCorruption) {
  EXPECT_EQ(zlib_inflate(zlib_stored("hello"), 100).value(), "hello");
  std::string big(200000, 'a');
  EXPECT_EQ(zlib_inflate(zlib_stored(big), big.size()).value(), big);
  EXPECT_FALSE(zlib_inflate(zlib_stored(big), big.size() - 1));  // over the cap
  auto stream = zlib_stored("hello");
  EXPECT_FALSE(zlib_inflate(stream.substr(0, stream.size() - 3), 100));  // truncated
  stream[stream.size() - 1] ^= 1;
  EXPECT_FALSE(zlib_inflate(stream, 100));  // bad checksum
  EXPECT_FALSE(zlib_inflate("not zlib", 100));
  EXPECT_FALSE(zlib_inflate("", 100));
}

TEST(RustAudit, ReadsDepSectionInEveryFormat) {
  auto section = zlib_stored(kAudit);
  std::vector<std::string> binaries = {
      build_elf(true, true, 62, {{".text", 0x1000, "\xc3", false}, {".dep-v0", 0x2000, section, false}}),
      build_pe(true, 0x8664, 0x400000, {{".dep-v0", 0x401000, section, false}}),
      build_macho(true, true, 0x0100000c, {{".dep-v0", 0x1000, section, false, "__DATA"}}),
  };
  for (const auto& bytes : binaries) {
    auto audit = read_rust_audit(bytes);
    ASSERT_TRUE(audit) << audit.error().message;
    ASSERT_TRUE(*audit);
    ASSERT_EQ((*audit)->size(), 3u);
    EXPECT_TRUE((**audit)[0].root);
    EXPECT_EQ((**audit)[0].dependencies, (std::vector<std::size_t>{1, 2}));
    EXPECT_EQ((**audit)[2].kind, "build");
  }
}

TEST(RustAudit, PackagesAndRelationships) {
  auto packages = parse_rust_audit_json(kAudit);
  ASSERT_TRUE(packages);
  auto r = rust_audit_packages("/usr/local/bin/hello", *packages);
  ASSERT_EQ(r.packages.size(), 3u);
  EXPECT_EQ(r.packages[1].purl, "pkg:cargo/serde@1.0.215");
  EXPECT_EQ(r.packages[1].type, "rust-crate");
  EXPECT_EQ(r.packages[1].found_by, "cargo-auditable-binary-cataloger");
  EXPECT_EQ(r.packages[1].metadata.at("source"), "crates.io");
  EXPECT_EQ(r.packages[0].locations, std::vector<std::string>{"/usr/local/bin/hello"});
  EXPECT_EQ(r.dependencies, (std::vector<Dependency>{{0, 1}, {0, 2}, {1, 2}}));
}

TEST(RustAudit, CorruptData) {
  EXPECT_FALSE(parse_rust_audit_json("[]"));
  EXPECT_FALSE(parse_rust_audit_json("{\"packages\":{}}"));
  EXPECT_FALSE(parse_rust_audit_json(R"({"packages":[{"name":"a"}]})"));
  EXPECT_FALSE(parse_rust_audit_json(R"({"packages":[{"name":"a","version":"1","dependencies":[5]}]})"));
  EXPECT_FALSE(parse_rust_audit_json(R"({"packages":[{"name":"a","version":"1","dependencies":[-1]}]})"));
  EXPECT_FALSE(parse_rust_audit_json(R"({"packages":[{"name":"a","version":"1","dependencies":"0"}]})"));
  // A self-dependency is accepted but makes no relationship.
  auto self = parse_rust_audit_json(R"({"packages":[{"name":"a","version":"1","dependencies":[0]}]})");
  ASSERT_TRUE(self);
  EXPECT_TRUE(rust_audit_packages("/a", *self).dependencies.empty());

  EXPECT_FALSE(read_rust_audit(build_elf(true, true, 62, {{".dep-v0", 0x1, "garbage", false}})));
  EXPECT_FALSE(read_rust_audit(build_elf(true, true, 62, {{".dep-v0", 0x1, zlib_stored("{not json"), false}})));
  auto none = read_rust_audit(build_elf(true, true, 62, {{".data", 0x1, "x", true}}));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  // A decompression bomb: 9 MiB of zeros is over the 8 MiB cap.
  EXPECT_FALSE(read_rust_audit(build_elf(true, true, 62, {{".dep-v0", 0x1, zlib_stored(std::string(9 << 20, '0')), false}})));
}

TEST(RustAudit, CatalogerReadsExtracts) {
  auto bytes = build_elf(true, true, 62, {{".dep-v0", 0x2000, zlib_stored(kAudit), false}});
  auto extract = rust_audit_extract("/bin/hello", bytes);
  ASSERT_TRUE(extract);
  auto corrupt = rust_audit_extract("/bin/bad", build_elf(true, true, 62, {{".dep-v0", 0x1, "garbage", false}}));
  ASSERT_TRUE(corrupt);
  EXPECT_FALSE(rust_audit_extract("/bin/plain", build_elf(true, true, 62, {{".data", 0x1, "x", true}})));
  auto fs = testing::make_fs({}, {{"/bin/hello", {{"rust-audit", *extract}}}, {"/bin/bad", {{"rust-audit", *corrupt}}}});
  auto cataloger = rust_audit_binary_cataloger();
  EXPECT_EQ(cataloger.name, "cargo-auditable-binary-cataloger");
  auto r = cataloger.run(fs, {});
  EXPECT_EQ(r.packages.size(), 3u);
  EXPECT_EQ(r.dependencies.size(), 3u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("/bin/bad: ", 0), 0u);
}

}  // namespace
}  // namespace cairn::sbom
