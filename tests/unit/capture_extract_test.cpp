// Capture rules with extractors: the readers hand a file's bytes to the extractor and
// keep only its result; executable rules match by magic bytes, whatever the name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/log.h"
#include "sbom/capture.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/layer_reader.h"
#include "tar_builder.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::TarBuilder;

const std::string kElf = std::string("\x7f" "ELF", 4) + std::string(60, '\0') + "go1.21.0";

// Keeps the size and last 8 bytes: enough to prove the extractor saw the whole file.
std::optional<std::string> tail_extract(std::string_view path, std::string_view bytes) {
  if (bytes.size() < 8) return std::nullopt;
  return std::string(path) + ":" + std::to_string(bytes.size()) + ":" + std::string(bytes.substr(bytes.size() - 8));
}

std::vector<CaptureRule> rules() {
  return {
      {"**/*.jar", 1 << 20, "jar", tail_extract, false},
      {"", 1 << 20, "exe", tail_extract, true},
      {"/etc/os-release", 1024, "", nullptr, false},
  };
}

LayerFs read_tar(const std::string& blob, const std::vector<CaptureRule>& r = rules()) {
  MemoryStream s(blob, "layer");
  log::set_quiet(true);
  auto out = read_layer(s, {}, CapturePolicy(r), "layer 0", /*hash_files=*/true);
  EXPECT_TRUE(out) << (out ? "" : out.error().message);
  LayerFs fs;
  if (out) fs.apply(out->contents, 0);
  return fs;
}

TEST(CaptureExtract, LayerReaderKeepsExtractsNotBytes) {
  auto fs = read_tar(TarBuilder()
                         .file("opt/app/lib/a.jar", std::string(5000, 'j') + "JARTAIL!")
                         .file("usr/bin/tool", kElf)
                         .file("usr/bin/script", "#!/bin/sh\necho hi\n")
                         .file("etc/os-release", "ID=debian\n")
                         .hardlink("usr/bin/tool2", "usr/bin/tool")
                         .symlink("usr/bin/tool3", "tool")
                         .finish());
  ASSERT_NE(fs.extract("/opt/app/lib/a.jar", "jar"), nullptr);
  EXPECT_EQ(*fs.extract("/opt/app/lib/a.jar", "jar"), "/opt/app/lib/a.jar:5008:JARTAIL!");
  EXPECT_EQ(fs.read("/opt/app/lib/a.jar"), nullptr) << "the bytes are not kept";
  ASSERT_NE(fs.extract("/usr/bin/tool", "exe"), nullptr);
  EXPECT_EQ(*fs.extract("/usr/bin/tool", "exe"), "/usr/bin/tool:72:go1.21.0");
  EXPECT_EQ(fs.extract("/usr/bin/script", "exe"), nullptr) << "not an executable by content";
  ASSERT_NE(fs.extract("/usr/bin/tool2", "exe"), nullptr) << "hard links share extracts";
  ASSERT_NE(fs.extract("/usr/bin/tool3", "exe"), nullptr) << "symlinks resolve";
  EXPECT_EQ(fs.extract("/usr/bin/tool", "jar"), nullptr);
  EXPECT_EQ(*fs.read("/etc/os-release"), "ID=debian\n");
  EXPECT_EQ(fs.files_with_extract("exe"), (std::vector<std::string>{"/usr/bin/tool", "/usr/bin/tool2"}));
  ASSERT_TRUE(fs.file_digests("/usr/bin/tool"));
  EXPECT_EQ(fs.file_digests("/usr/bin/tool")->sha256, sha256_hex(kElf)) << "hashing covers peeked files";
  ASSERT_TRUE(fs.file_digests("/usr/bin/script"));
  EXPECT_EQ(fs.file_digests("/usr/bin/script")->sha256, sha256_hex("#!/bin/sh\necho hi\n")) << "and files read for magic only";
}

TEST(CaptureExtract, SizeCapsApplyPerRule) {
  std::vector<CaptureRule> small = {{"", 16, "exe", tail_extract, true}, {"**/*.jar", 16, "jar", tail_extract, false}};
  auto fs = read_tar(TarBuilder().file("bin/big", kElf).file("a.jar", std::string(100, 'x')).finish(), small);
  EXPECT_EQ(fs.extract("/bin/big", "exe"), nullptr);
  EXPECT_EQ(fs.extract("/a.jar", "jar"), nullptr);
  EXPECT_TRUE(fs.exists("/bin/big"));
}

TEST(CaptureExtract, MagicBytesOfEveryExecutableFormat) {
  EXPECT_TRUE(CapturePolicy::looks_executable(std::string("\x7f" "ELF", 4)));
  EXPECT_TRUE(CapturePolicy::looks_executable("MZ\x90\x00"));
  EXPECT_TRUE(CapturePolicy::looks_executable(std::string("\xcf\xfa\xed\xfe", 4)));
  EXPECT_TRUE(CapturePolicy::looks_executable(std::string("\xfe\xed\xfa\xce", 4)));
  EXPECT_TRUE(CapturePolicy::looks_executable(std::string("\xca\xfe\xba\xbe", 4)));
  EXPECT_FALSE(CapturePolicy::looks_executable("#!/b"));
  EXPECT_FALSE(CapturePolicy::looks_executable("\x7f" "EL"));
  EXPECT_FALSE(CapturePolicy::looks_executable(""));
}

TEST(CaptureExtract, DirectoryReaderAppliesTheSameRules) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("cairn-extract-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "usr/bin");
  std::ofstream(root / "usr/bin/tool", std::ios::binary) << kElf;
  std::ofstream(root / "usr/bin/script") << "#!/bin/sh\n";
  std::ofstream(root / "lib.jar", std::ios::binary) << std::string(10, 'z') << "JARTAIL!";
  auto layer = read_directory(root, CapturePolicy(rules()));
  fs::remove_all(root);
  ASSERT_TRUE(layer);
  LayerFs view;
  view.apply(*layer, 0);
  ASSERT_NE(view.extract("/usr/bin/tool", "exe"), nullptr);
  EXPECT_EQ(*view.extract("/usr/bin/tool", "exe"), "/usr/bin/tool:72:go1.21.0");
  EXPECT_EQ(view.extract("/usr/bin/script", "exe"), nullptr);
  ASSERT_NE(view.extract("/lib.jar", "jar"), nullptr);
  EXPECT_EQ(view.read("/lib.jar"), nullptr);
}

TEST(CaptureExtract, TestFilesystemCarriesExtracts) {
  auto fs = cairn::testing::make_fs({{"/a", "x"}}, {{"/bin/b", {{"exe", "{}"}}}});
  ASSERT_NE(fs.extract("/bin/b", "exe"), nullptr);
  EXPECT_EQ(*fs.read("/a"), "x");
}

}  // namespace
}  // namespace cairn::sbom

namespace cairn::sbom {
namespace {

TEST(CatalogerSelection, GroupsNamesAndUnknowns) {
  auto os = select_catalogers({"os"});
  ASSERT_TRUE(os);
  std::vector<std::string> names;
  for (const auto& c : *os) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"dpkg-db-cataloger", "rpm-db-cataloger", "apk-db-cataloger", "alpm-db-cataloger"}));
  auto all = select_catalogers({});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), image_catalogers().size());
  auto mixed = select_catalogers({"binary", "go-module-binary-cataloger"});
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->size(), 2u);
  auto bad = select_catalogers({"os", "nope"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::Usage);
  EXPECT_NE(bad.error().message.find("\"nope\""), std::string::npos);
}

}  // namespace
}  // namespace cairn::sbom
