// `cairn sbom` against hostile and broken images written by hand: every one must end in
// a clear error naming the file or layer (exit 3), or be accepted with a warning (exit
// 0), or be refused as a usage error (exit 2) — never a crash, a hang, unbounded memory
// or a file written outside the requested output.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <random>

#include "core/digest.h"

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/image_builder.h"
#include "tests/unit/tar_builder.h"

namespace cairn::e2e {
namespace {

using cairn::testing::TarBuilder;

constexpr long kRssBoundKiB = 200 * 1024;
// For the runs that measure memory: a regression then dies quickly instead of
// allocating gigabytes on a shared machine.
constexpr std::uint64_t kAddressSpaceLimit = 1ull << 30;

// Bytes no parser can make sense of, the same on every run.
std::string garbage(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

class BadInput : public ::testing::Test {
 protected:
  TempDir dir_{"e2e-bad"};

  fs::path layout() const { return dir_ / "layout"; }
  std::string source() const { return "oci-dir:" + layout().string(); }

  // Scans `source_text` to CycloneDX on stdout; always checks the run neither crashed
  // nor hung.
  RunResult scan(const std::string& source_text, std::uint64_t address_space_limit = 0,
                 const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"sbom", source_text, "-o", "cyclonedx-json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions options;
    options.timeout_seconds = 120;
    options.address_space_limit_bytes = address_space_limit;
    RunResult r = run_cairn(args, options);
    EXPECT_FALSE(r.signaled) << "cairn crashed or was killed: " << r.describe();
    EXPECT_FALSE(r.timed_out) << "cairn hung: " << r.describe();
    return r;
  }

  // Expects an input error (exit 3) whose message holds every one of `needles`.
  static void expect_input_error(const RunResult& r, const std::vector<std::string>& needles) {
    EXPECT_EQ(r.exit_code, 3) << r.describe();
    EXPECT_TRUE(r.out.empty()) << "stdout holds: " << r.out.substr(0, 200);
    EXPECT_NE(r.err.find("cairn: error:"), std::string::npos) << r.err;
    for (const auto& n : needles) EXPECT_NE(r.err.find(n), std::string::npos) << "no \"" << n << "\" in: " << r.err;
  }

  // Expects success and returns the deb package names found.
  static std::set<std::string> expect_packages(const RunResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    std::set<std::string> names;
    if (r.exit_code != 0) return names;
    for (const auto& [name, version, arch] : cyclonedx_deb_packages(parse_json(r.out, "cyclonedx output")))
      names.insert(name);
    return names;
  }
};

std::string status_file(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += dpkg_stanza(n, "1.0-1");
  return text;
}

// A layer with a dpkg database of one package and a 64 KiB file after it.
std::string healthy_tar() {
  return TarBuilder()
      .dir("var/lib/dpkg")
      .file("var/lib/dpkg/status", status_file({"healthy"}))
      .file("usr/share/big.bin", garbage(64 * 1024, 1))
      .finish();
}

// Cuts a tar inside the data of its last entry, where no reader can mistake the end
// for missing padding.
std::string truncated_inside_last_entry(const std::string& tar) {
  // healthy_tar ends with the 64 KiB entry, then two zero blocks and padding.
  std::size_t end_of_data = tar.find_last_not_of('\0') + 1;
  return tar.substr(0, end_of_data - 32 * 1024);
}

TEST_F(BadInput, HealthyHandWrittenImageIsReadWhole) {
  write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  RunResult r = scan(source());
  EXPECT_EQ(expect_packages(r), std::set<std::string>{"healthy"});
}

TEST_F(BadInput, TruncatedTarLayerNamesTheLayerAndTheEntry) {
  auto img = write_oci_layout(layout(), {tar_layer(truncated_inside_last_entry(healthy_tar()))});
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", img.layer_hex[0].substr(0, 12), "usr/share/big.bin"});
}

TEST_F(BadInput, TruncatedGzipLayerNamesTheLayer) {
  std::string gz = gzip(healthy_tar());
  auto img = write_oci_layout(layout(), {Layer{gz.substr(0, gz.size() / 2), kGzipLayerType,
                                               "sha256:" + sha256_hex(healthy_tar())}});
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", img.layer_hex[0].substr(0, 12)});
}

TEST_F(BadInput, CorruptGzipLayerNamesTheLayer) {
  std::string gz = gzip(healthy_tar());
  for (std::size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i) gz[i] = static_cast<char>(~gz[i]);
  auto img = write_oci_layout(layout(), {Layer{gz, kGzipLayerType, "sha256:" + sha256_hex(healthy_tar())}});
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", img.layer_hex[0].substr(0, 12)});
}

TEST_F(BadInput, ReplacedLayerBlobFailsItsDigest) {
  auto img = write_oci_layout(layout(), {tar_layer(healthy_tar())});
  // Same size, other content: only the digest can tell.
  std::string blob = read_file(blob_path(layout(), img.layer_hex[0]));
  std::size_t at = blob.find("healthy");
  ASSERT_NE(at, std::string::npos);
  blob.replace(at, 7, "hostile");
  write_file(blob_path(layout(), img.layer_hex[0]), blob);
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", "sha256:" + img.layer_hex[0], "tampered"});
}

TEST_F(BadInput, WrongDiffIdIsRefused) {
  std::string wrong = "sha256:" + sha256_hex("some other layer");
  auto img = write_oci_layout(layout(), {gzip_layer(healthy_tar())}, {.diff_ids = {wrong}});
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", img.layer_hex[0].substr(0, 12), "diff_id", wrong});
}

TEST_F(BadInput, ManifestWhoseContentDoesNotMatchItsDigestIsRefused) {
  auto img = write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  std::string tampered = img.manifest_json;
  tampered.replace(tampered.find("original"), 8, "tampered");
  write_file(blob_path(layout(), img.manifest_hex), tampered);
  RunResult r = scan(source());
  expect_input_error(r, {img.manifest_hex, "digest"});
}

TEST_F(BadInput, IndexPointingAtAnUnknownDigestIsRefused) {
  write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  std::string absent = sha256_hex("no such manifest");
  write_index(layout(), absent, 100);
  RunResult r = scan(source());
  expect_input_error(r, {absent});
}

TEST_F(BadInput, MissingLayerBlobNamesTheLayer) {
  auto img = write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  fs::remove(blob_path(layout(), img.layer_hex[0]));
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", img.layer_hex[0]});
}

TEST_F(BadInput, ManifestSizeMismatchIsRefused) {
  auto img = write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  write_index(layout(), img.manifest_hex, img.manifest_json.size() + 1);
  RunResult r = scan(source());
  expect_input_error(r, {img.manifest_hex, std::to_string(img.manifest_json.size() + 1)});
}

TEST_F(BadInput, LayerSizeMismatchIsRefused) {
  auto img = write_oci_layout(layout(), {tar_layer(healthy_tar())});
  std::string blob = read_file(blob_path(layout(), img.layer_hex[0]));
  write_file(blob_path(layout(), img.layer_hex[0]), blob + std::string(512, '\0'));
  RunResult r = scan(source());
  expect_input_error(r, {"layer 0", std::to_string(blob.size())});
}

TEST_F(BadInput, EscapingAndAbsoluteEntryNamesWriteNothingAnywhere) {
  // Where the entries would land if anything extracted them.
  const std::string marker = "cairn-e2e-escape-" + std::to_string(::getpid());
  const fs::path absolute_target = fs::temp_directory_path() / marker / "abs";
  std::string tar = TarBuilder()
                        .file("../../../../../../../../tmp/" + marker + "/dotdot", "x")
                        .file("usr/../../../" + marker + "-middle", "x")
                        .file(absolute_target.string(), "x")
                        .symlink("escape-link", "../../../../../../tmp/" + marker)
                        .file("escape-link/through-link", "x")
                        .file("/var/lib/dpkg/status", status_file({"absolute-entry"}))
                        .file("../var/lib/dpkg/status", status_file({"climbing-entry"}))
                        .finish();
  write_oci_layout(layout(), {tar_layer(tar)});
  fs::path work = dir_ / "work";
  fs::create_directories(work);
  RunOptions options;
  options.cwd = work.string();
  RunResult r = run_cairn({"sbom", source(), "-o", "cyclonedx-json=" + (work / "sbom.json").string()}, options);
  EXPECT_FALSE(r.signaled) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(list_dir(work), std::set<std::string>{"sbom.json"});
  EXPECT_FALSE(fs::exists(fs::temp_directory_path() / marker));
  EXPECT_FALSE(fs::exists(fs::temp_directory_path() / (marker + "-middle")));
  EXPECT_NE(r.err.find(".."), std::string::npos) << "no warning about the climbing names: " << r.err;
  // A leading '/' is rooted at the image's root, as docker applies layers; ".." names are
  // dropped.
  std::set<std::string> names;
  for (const auto& [name, version, arch] : cyclonedx_deb_packages(load_json(work / "sbom.json"))) names.insert(name);
  EXPECT_EQ(names, std::set<std::string>{"absolute-entry"});
}

TEST_F(BadInput, SymlinkLoopsAroundTheDpkgDatabaseEndWithoutPackages) {
  std::string tar = TarBuilder()
                        .dir("var/lib/dpkg")
                        .symlink("var/lib/dpkg/status", "/var/lib/dpkg/loop-a/status")
                        .symlink("var/lib/dpkg/loop-a", "/var/lib/dpkg/loop-b")
                        .symlink("var/lib/dpkg/loop-b", "loop-a")
                        .symlink("var/lib/dpkg/self", ".")
                        .symlink("var/lib/up", "..")
                        .symlink("var/lib/dpkg/status.d", "status.d")
                        .finish();
  write_oci_layout(layout(), {tar_layer(tar)});
  RunResult r = scan(source());
  EXPECT_EQ(expect_packages(r), std::set<std::string>{});
  EXPECT_LT(r.seconds, 60.0);
}

TEST_F(BadInput, HugeSparseFilesAreNeitherReadNorAllocated) {
  constexpr std::uint64_t k100GiB = 100ull << 30;
  std::string tar = tar_with_sparse_files({{"data/huge.img", k100GiB}, {"var/lib/rpm/rpmdb.sqlite", k100GiB}},
                                          {{"var/lib/dpkg/status", status_file({"beside-sparse"})}});
  ASSERT_LT(tar.size(), 1u << 20) << "the sparse entries were stored whole";
  write_oci_layout(layout(), {gzip_layer(tar)});
  RunResult r = scan(source(), kAddressSpaceLimit);
  EXPECT_EQ(expect_packages(r), std::set<std::string>{"beside-sparse"});
  EXPECT_NE(r.err.find("rpmdb.sqlite"), std::string::npos) << "the capped database is not mentioned: " << r.err;
  EXPECT_LT(r.peak_rss_kib, kRssBoundKiB) << "peak RSS " << r.peak_rss_kib << " KiB";
  // Listing owned files must not read (or hash) 100 GiB of holes either.
  RunResult files = scan(source(), kAddressSpaceLimit, {"--files"});
  EXPECT_EQ(expect_packages(files), std::set<std::string>{"beside-sparse"});
  EXPECT_LT(files.peak_rss_kib, kRssBoundKiB) << "peak RSS " << files.peak_rss_kib << " KiB";
}

// 10,000 nested directories: the chain up to where paths reach the 4 KiB entry-path limit
// (with a dpkg database at level 2,000), and single entries at 5,000 and 10,000 levels.
TEST_F(BadInput, TenThousandLevelDirectoryInALayer) {
  TarBuilder builder;
  std::string path;
  for (int level = 1; level <= 2040; ++level) {
    path += level == 1 ? "d" : "/d";
    builder.dir(path);
    if (level == 2000) builder.file(path + "/var/lib/dpkg/status", status_file({"deep-package"}));
  }
  std::string deep = path;
  for (int level = 2041; level <= 10000; ++level) {
    deep += "/d";
    if (level == 5000) builder.dir(deep);
  }
  builder.dir(deep);
  builder.file(deep + "/var/lib/dpkg/status", status_file({"too-deep"}));
  write_oci_layout(layout(), {gzip_layer(builder.finish())});
  RunResult r = scan(source(), kAddressSpaceLimit);
  EXPECT_EQ(expect_packages(r), std::set<std::string>{"deep-package"});
  EXPECT_NE(r.err.find("longer than"), std::string::npos) << r.err;
  EXPECT_LT(r.peak_rss_kib, kRssBoundKiB) << "peak RSS " << r.peak_rss_kib << " KiB";
}

// Makes `levels` nested directories named "d" below the directory `parent_fd` (with
// *at() calls, since the whole path may exceed PATH_MAX) and returns a descriptor of the
// deepest, or -1.
int make_nested_dirs_at(int parent_fd, std::size_t levels) {
  int fd = ::dup(parent_fd);
  for (std::size_t level = 1; fd >= 0 && level <= levels; ++level) {
    int next = ::mkdirat(fd, "d", 0755) == 0 ? ::openat(fd, "d", O_RDONLY | O_DIRECTORY) : -1;
    ::close(fd);
    fd = next;
  }
  return fd;
}

void write_at(int dir_fd, const std::string& name, const std::string& data) {
  int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << name;
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  ::close(fd);
}

// The same depth as a real directory scanned with dir:.
TEST_F(BadInput, TenThousandLevelDirectoryOnDisk) {
  fs::path root = dir_ / "rootfs";
  write_file(root / "var/lib/dpkg/status", status_file({"shallow-package"}));
  int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(root_fd, 0);
  int deepest = make_nested_dirs_at(root_fd, 10000);
  ::close(root_fd);
  ASSERT_GE(deepest, 0) << std::strerror(errno);
  ::close(deepest);
  RunResult r = scan("dir:" + root.string(), kAddressSpaceLimit);
  EXPECT_EQ(expect_packages(r), std::set<std::string>{"shallow-package"});
  EXPECT_LT(r.peak_rss_kib, kRssBoundKiB) << "peak RSS " << r.peak_rss_kib << " KiB";
}

// Makes the directories `names` one inside the other below `parent_fd` and writes a dpkg
// status naming `package` in the innermost; returns false when the system refuses.
bool make_chain_with_status(int parent_fd, const std::vector<std::string>& names, const std::string& package) {
  int fd = ::dup(parent_fd);
  for (const auto& name : names) {
    int next = ::mkdirat(fd, name.c_str(), 0755) == 0 ? ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY) : -1;
    ::close(fd);
    if (next < 0) return false;
    fd = next;
  }
  write_at(fd, "status", status_file({package}));
  ::close(fd);
  return true;
}

// PATH_MAX (4096) counts the terminating NUL: a dir: tree's entries up to 4,095 bytes
// can be read by name, longer ones cannot. A database at 4,095 bytes is read; one
// below a directory of exactly 4,096 bytes is read or its omission reported — it must
// not vanish without a word.
TEST_F(BadInput, DirectoryEntriesAtThePathMaxBoundaryAreReadOrReported) {
  const fs::path root = dir_ / "rootfs";
  fs::create_directories(root);
  const std::size_t base = root.string().size() + 2;  // ".../rootfs/a" and ".../rootfs/b"
  const std::size_t levels = (4096 - base - 200) / 2;
  const std::size_t chain = base + 2 * levels;  // length of ".../a/d/d/.../d"
  const std::vector<std::string> dpkg_dirs = {"var", "lib", "dpkg"};

  int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(root_fd, 0);
  for (const char* branch : {"a", "b"}) {
    ASSERT_EQ(::mkdirat(root_fd, branch, 0755), 0);
    int branch_fd = ::openat(root_fd, branch, O_RDONLY | O_DIRECTORY);
    int deepest = make_nested_dirs_at(branch_fd, levels);
    ::close(branch_fd);
    ASSERT_GE(deepest, 0) << std::strerror(errno);
    std::vector<std::string> names;
    std::string package;
    if (std::string(branch) == "a") {
      // ".../NAME/var/lib/dpkg/status" is exactly 4,095 bytes.
      names.push_back(std::string(4095 - chain - 1 - std::string("/var/lib/dpkg/status").size(), 'e'));
      package = "edge-package";
    } else {
      // ".../NAME" is exactly 4,096 bytes.
      names.push_back(std::string(4096 - chain - 1, 'x'));
      package = "beyond-package";
    }
    names.insert(names.end(), dpkg_dirs.begin(), dpkg_dirs.end());
    ASSERT_TRUE(make_chain_with_status(deepest, names, package)) << std::strerror(errno);
    ::close(deepest);
  }
  ::close(root_fd);

  RunResult r = scan("dir:" + root.string());
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  auto names = expect_packages(r);
  EXPECT_TRUE(names.contains("edge-package")) << "the database at 4,095 bytes was not read; stderr: " << r.err;
  bool reported = r.err.find("skip") != std::string::npos || r.err.find("too long") != std::string::npos;
  EXPECT_TRUE(names.contains("beyond-package") || reported)
      << "the database below a 4,096-byte directory was neither read nor reported; stderr: " << r.err;
}

TEST_F(BadInput, MegabyteLinesInTheDpkgStatusFile) {
  const std::string long_value(1u << 20, 'a');
  // A 1 MiB field value, a 1 MiB continuation line, and a 1 MiB line that is no
  // "Name: value" at all (ignored, as Syft ignores it).
  std::string status = dpkg_stanza("long-field", "1.0-1", "Homepage: https://example.org/" + long_value + "\n") +
                       dpkg_stanza("long-continuation", "1.0-1", "Conffiles:\n /etc/" + long_value + " 0123\n") +
                       "Package: long-garbage-line\nStatus: install ok installed\nVersion: 3.0\n" + long_value + "\n\n" +
                       dpkg_stanza("after-long-lines", "2.0-1");
  write_oci_layout(layout(), {gzip_layer(TarBuilder().file("var/lib/dpkg/status", status).finish())});
  RunResult r = scan(source());
  EXPECT_EQ(expect_packages(r),
            (std::set<std::string>{"long-field", "long-continuation", "long-garbage-line", "after-long-lines"}));
}

// Each garbage database must be reported by name, and must not hide the others.
struct CorruptDatabase {
  const char* path;
  std::string content;
};

class CorruptDatabases : public BadInput, public ::testing::WithParamInterface<CorruptDatabase> {};

TEST_P(CorruptDatabases, AreReportedByNameWithoutFailingTheScan) {
  const auto& db = GetParam();
  std::string tar = TarBuilder()
                        .file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                        .file(db.path, db.content)
                        .finish();
  write_oci_layout(layout(), {gzip_layer(tar)});
  RunResult r = scan(source());
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find(db.path), std::string::npos) << "no message names " << db.path << ": " << r.err;
  json bom = parse_json(r.out, "cyclonedx output");
  EXPECT_EQ(bom.value("bomFormat", ""), "CycloneDX");
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, CorruptDatabases,
    ::testing::Values(CorruptDatabase{"var/lib/dpkg/status", garbage(64 * 1024, 2)},
                      CorruptDatabase{"var/lib/rpm/rpmdb.sqlite", "SQLite format 3" + std::string(1, '\0') + garbage(64 * 1024, 3)},
                      CorruptDatabase{"var/lib/rpm/Packages", garbage(64 * 1024, 4)},
                      CorruptDatabase{"var/lib/rpm/Packages.db", garbage(64 * 1024, 5)},
                      CorruptDatabase{"lib/apk/db/installed", garbage(64 * 1024, 6)}),
    [](const ::testing::TestParamInfo<CorruptDatabase>& info) {
      std::string name = info.param.path;
      for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

// Bytes of a hostile image reach the user's terminal through warnings and errors; an
// escape sequence there can retitle the window, clear the screen or worse. Messages
// must carry them escaped (or replaced), never raw.
std::string control_bytes_in(const std::string& text) {
  std::string found;
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) found += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
  return found;
}

TEST_F(BadInput, WarningsAndErrorsNeverCarryTerminalControlBytes) {
  const std::string osc = "\x1b]0;owned by the image\x07";
  const std::string clear = "\x1b[2J\x1b[H";
  std::string status = dpkg_stanza("fine", "1.0-1") + " " + clear + "continuation without a field\n\n";
  std::string warning_tar = TarBuilder()
                                .file("../" + osc + "/escape", "x")
                                .file("var/lib/dpkg/status", status)
                                .file("lib/apk/db/installed", "P:apk" + clear + "\nnot a field " + osc + "\n\n")
                                .finish();
  write_oci_layout(layout(), {tar_layer(warning_tar)});
  RunResult warned = scan(source());
  EXPECT_EQ(warned.exit_code, 0) << warned.describe();
  EXPECT_NE(warned.err.find("warning"), std::string::npos) << "the test expects warnings: " << warned.err;
  EXPECT_EQ(control_bytes_in(warned.err), "") << "raw control bytes in warnings";

  // An error naming an entry whose name carries an escape sequence.
  std::string error_tar = TarBuilder().file("usr/share/" + osc + "big.bin", garbage(64 * 1024, 7)).finish();
  fs::path second = dir_ / "second";
  write_oci_layout(second, {tar_layer(truncated_inside_last_entry(error_tar))});
  RunResult failed = scan("oci-dir:" + second.string());
  EXPECT_EQ(failed.exit_code, 3) << failed.describe();
  EXPECT_NE(failed.err.find("big.bin"), std::string::npos) << failed.err;
  EXPECT_EQ(control_bytes_in(failed.err), "") << "raw control bytes in the error";
}

TEST_F(BadInput, DockerArchiveNamingAMissingLayerIsRefused) {
  write_file(dir_ / "image.tar", docker_archive({tar_layer(healthy_tar())}, {"0123abcd/layer.tar"}));
  RunResult r = scan("docker-archive:" + (dir_ / "image.tar").string());
  expect_input_error(r, {"0123abcd/layer.tar", "missing"});
}

TEST_F(BadInput, HandWrittenDockerArchiveIsRead) {
  write_file(dir_ / "image.tar", docker_archive({tar_layer(healthy_tar())}));
  RunResult r = scan("docker-archive:" + (dir_ / "image.tar").string());
  EXPECT_EQ(expect_packages(r), std::set<std::string>{"healthy"});
}

TEST_F(BadInput, GzipCompressedArchivesGetAdviceToDecompress) {
  write_file(dir_ / "image.tar.gz", gzip(docker_archive({tar_layer(healthy_tar())})));
  write_oci_layout(layout(), {gzip_layer(healthy_tar())});
  write_file(dir_ / "layout.tar.gz", gzip(tar_directory(layout())));
  for (const std::string& source_text : {"docker-archive:" + (dir_ / "image.tar.gz").string(),
                                        "oci-archive:" + (dir_ / "layout.tar.gz").string()}) {
    SCOPED_TRACE(source_text);
    RunResult r = scan(source_text);
    expect_input_error(r, {"gzip", "gunzip"});
  }
  // A bare path is sniffed; the advice survives.
  RunResult bare = scan((dir_ / "image.tar.gz").string());
  EXPECT_EQ(bare.exit_code, 2) << bare.describe();
  EXPECT_NE(bare.err.find("gunzip"), std::string::npos) << bare.err;
}

TEST_F(BadInput, AmbiguousBarePathNamesThePrefixes) {
  // Both a docker archive and an OCI layout, as docker save writes since Docker 25.
  write_oci_layout(layout(), {tar_layer(healthy_tar())});
  TarBuilder both;
  for (const auto& e : fs::recursive_directory_iterator(layout()))
    if (e.is_regular_file()) both.file(e.path().lexically_relative(layout()).generic_string(), read_file(e.path()));
  both.file("manifest.json", "[]");
  write_file(dir_ / "both.tar", both.finish());
  RunResult r = scan((dir_ / "both.tar").string());
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("docker-archive:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("oci-archive:"), std::string::npos) << r.err;

  // A path that is nothing at all.
  RunResult missing = scan((dir_ / "no-such-image").string());
  EXPECT_EQ(missing.exit_code, 2) << missing.describe();
  for (const char* prefix : {"oci-dir:", "oci-archive:", "docker-archive:", "dir:"})
    EXPECT_NE(missing.err.find(prefix), std::string::npos) << prefix << " not named: " << missing.err;
}

TEST_F(BadInput, UnknownOutputFormatIsAUsageError) {
  write_oci_layout(layout(), {tar_layer(healthy_tar())});
  RunResult r = run_cairn({"sbom", source(), "-o", "syft-json"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("syft-json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("spdx-json"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace cairn::e2e
