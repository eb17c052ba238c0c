#include "sbom/layer_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/log.h"
#include "sbom/layer_fs.h"
#include "tar_builder.h"

namespace cairn::sbom {
namespace {

using cairn::testing::TarBuilder;

CapturePolicy policy() { return CapturePolicy({{"**/var/lib/dpkg/status", 1024}, {"/etc/os-release", 1024}}); }

Result<LayerReadResult> read(const std::string& blob, LayerExpectations expect = {}) {
  MemoryStream s(blob, "test-layer");
  log::set_quiet(true);
  return read_layer(s, expect, policy(), "layer 0");
}

std::string sample(TarBuilder::Compression c) {
  return TarBuilder(c)
      .dir("etc")
      .file("etc/os-release", "ID=debian\n")
      .file("etc/passwd", "root:x:0:0\n")
      .file("./var/lib/dpkg/status", "Package: a\n")
      .symlink("usr/lib/os-release", "../../etc/os-release")
      .finish();
}

TEST(LayerReader, ReadsEveryCompressionAndChecksDigests) {
  for (auto c : {TarBuilder::Compression::None, TarBuilder::Compression::Gzip, TarBuilder::Compression::Zstd}) {
    std::string blob = sample(c);
    auto plain = sample(TarBuilder::Compression::None);
    LayerExpectations expect{Digest{"sha256", sha256_hex(blob)}, blob.size(), Digest{"sha256", sha256_hex(plain)}};
    auto r = read(blob, expect);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->contents.entries.size(), 5u);
    EXPECT_EQ(r->diff_id.hex, sha256_hex(plain));
    EXPECT_FALSE(r->missing_end_blocks);
    LayerFs fs;
    fs.apply(r->contents, 0);
    ASSERT_NE(fs.read("/usr/lib/os-release"), nullptr);
    EXPECT_EQ(*fs.read("/usr/lib/os-release"), "ID=debian\n");
    EXPECT_EQ(*fs.read("/var/lib/dpkg/status"), "Package: a\n");
    EXPECT_EQ(fs.read("/etc/passwd"), nullptr) << "files no rule asked for are not buffered";
    EXPECT_TRUE(fs.exists("/etc/passwd"));
  }
}

TEST(LayerReader, WrongBlobDigestIsNamed) {
  std::string blob = sample(TarBuilder::Compression::Gzip);
  Digest wrong{"sha256", std::string(64, 'a')};
  auto r = read(blob, {wrong, std::nullopt, std::nullopt});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("sha256:aaaa"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("layer 0"), std::string::npos);
}

TEST(LayerReader, WrongDiffIdIsNamed) {
  std::string blob = sample(TarBuilder::Compression::Gzip);
  auto r = read(blob, {std::nullopt, std::nullopt, Digest{"sha256", std::string(64, 'b')}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("diff_id"), std::string::npos) << r.error().message;
}

TEST(LayerReader, WrongSizeIsAnError) {
  std::string blob = sample(TarBuilder::Compression::None);
  auto r = read(blob, {std::nullopt, blob.size() + 1, std::nullopt});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("bytes"), std::string::npos);
}

// A stream that never ends, as a hostile registry could send: refused once it passes the
// manifest's size, not read forever.
class EndlessZeros final : public ByteStream {
 public:
  Result<std::size_t> read(void* buffer, std::size_t size) override {
    std::memset(buffer, 0, size);
    served += size;
    return size;
  }
  const std::string& name() const override { return name_; }
  std::uint64_t served = 0;

 private:
  std::string name_ = "endless";
};

TEST(LayerReader, BlobLongerThanItsSizeIsRefusedAsItArrives) {
  EndlessZeros endless;
  log::set_quiet(true);
  auto r = read_layer(endless, {std::nullopt, 10240, std::nullopt}, policy(), "layer 0");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("longer than the 10240 bytes"), std::string::npos) << r.error().message;
  EXPECT_LT(endless.served, 1u << 20);
}

TEST(LayerReader, CorruptGzipIsAnError) {
  std::string blob = sample(TarBuilder::Compression::Gzip);
  for (std::size_t i = 20; i < blob.size() - 10; i += 7) blob[i] = static_cast<char>(blob[i] ^ 0x5a);
  auto r = read(blob);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("layer 0"), std::string::npos) << r.error().message;
}

TEST(LayerReader, TruncatedInsideAnEntryIsAnError) {
  std::string blob = TarBuilder().file("big", std::string(10000, 'x')).file("etc/os-release", "ID=x\n").finish();
  blob.resize(3000);
  auto r = read(blob);
  ASSERT_FALSE(r);
}

TEST(LayerReader, MissingEndBlocksAreAcceptedAndReported) {
  std::string blob = TarBuilder().file("etc/os-release", "ID=debian\n").file("x", "y").finish();
  // Drop the two zero blocks and the record padding, as umoci's writer did.
  std::size_t end = 3 * 512 + 512 + 512;  // header+data for each of the two files
  blob.resize(end);
  auto r = read(blob);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->missing_end_blocks);
  EXPECT_EQ(r->contents.entries.size(), 2u);
}

TEST(LayerReader, WhiteoutsAndOpaqueMarkers) {
  std::string blob = TarBuilder()
                         .file("usr/share/doc/.wh.python3-requests", "")
                         .file("app/vendor/.wh..wh..opq", "")
                         .file("app/vendor/new", "n")
                         .finish();
  auto r = read(blob);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->contents.whiteouts, std::vector<std::string>{"/usr/share/doc/python3-requests"});
  EXPECT_EQ(r->contents.opaque_dirs, std::vector<std::string>{"/app/vendor"});
  EXPECT_EQ(r->contents.entries.size(), 1u);
}

TEST(LayerReader, EscapingAndAbsoluteNamesStayInsideTheRoot) {
  std::string blob = TarBuilder()
                         .file("../../etc/os-release", "ID=evil\n")
                         .file("/etc/os-release", "ID=good\n")
                         .symlink("var/lib/dpkg/status", "../../../../../../etc/shadow")
                         .finish();
  auto r = read(blob);
  ASSERT_TRUE(r);
  LayerFs fs;
  fs.apply(r->contents, 0);
  ASSERT_NE(fs.read("/etc/os-release"), nullptr);
  EXPECT_EQ(*fs.read("/etc/os-release"), "ID=good\n");
  EXPECT_EQ(fs.read("/var/lib/dpkg/status"), nullptr);
  EXPECT_EQ(fs.real_path("/var/lib/dpkg/status"), std::nullopt);
}

TEST(LayerReader, HardLinkSharesCapturedContent) {
  std::string blob = TarBuilder().file("etc/os-release", "ID=debian\n").hardlink("var/lib/dpkg/status", "etc/os-release").finish();
  auto r = read(blob);
  ASSERT_TRUE(r);
  LayerFs fs;
  fs.apply(r->contents, 0);
  ASSERT_NE(fs.read("/var/lib/dpkg/status"), nullptr);
  EXPECT_EQ(*fs.read("/var/lib/dpkg/status"), "ID=debian\n");
}

TEST(LayerReader, OversizedCapturedFileIsSkipped) {
  std::string blob = TarBuilder().file("var/lib/dpkg/status", std::string(5000, 'x')).finish();
  auto r = read(blob);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->contents.entries.size(), 1u);
  EXPECT_EQ(r->contents.entries[0].content, nullptr);
}

TEST(LayerReader, TenThousandLevelDirectoryIsBounded) {
  TarBuilder b;
  std::string path;
  for (int i = 0; i < 10000; ++i) {
    path += "d/";
    b.dir(path);
  }
  auto r = read(b.finish());
  ASSERT_TRUE(r) << r.error().message;
  for (const auto& e : r->contents.entries) EXPECT_LE(e.path.size(), kMaxEntryPath + 1);
  EXPECT_LT(r->contents.entries.size(), 2100u);
}

TEST(LayerReader, NotATarIsAClearError) {
  auto r = read(std::string(2048, 'z'));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("layer 0"), std::string::npos);
}

TEST(LayerReader, EmptyTarIsAnEmptyLayerButAnEmptyBlobIsNot) {
  auto r = read(std::string(1024, '\0'));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->contents.entries.empty());
  auto e = read("");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("layer 0"), std::string::npos);
}

}  // namespace
}  // namespace cairn::sbom

namespace cairn::sbom {
namespace {

TEST(LayerReader, HashesFilesOnlyWhenAsked) {
  std::string blob = cairn::testing::TarBuilder(cairn::testing::TarBuilder::Compression::Gzip)
                         .file("bin/tool", "tool bytes")
                         .file("etc/os-release", "ID=debian\n")
                         .finish();
  MemoryStream plain(blob, "layer");
  auto without = read_layer(plain, {}, CapturePolicy({{"/etc/os-release", 1024}}), "layer 0");
  ASSERT_TRUE(without);
  EXPECT_TRUE(without->contents.entries[0].sha1.empty());
  MemoryStream hashed(blob, "layer");
  auto with = read_layer(hashed, {}, CapturePolicy({{"/etc/os-release", 1024}}), "layer 0", /*hash_files=*/true);
  ASSERT_TRUE(with);
  EXPECT_EQ(with->contents.entries[0].sha1, sha1_hex("tool bytes"));
  EXPECT_EQ(with->contents.entries[0].sha256, sha256_hex("tool bytes"));
  EXPECT_EQ(with->contents.entries[1].sha256, sha256_hex("ID=debian\n")) << "captured files are hashed too";
  LayerFs fs;
  fs.apply(with->contents, 0);
  ASSERT_TRUE(fs.file_digests("/bin/tool"));
  EXPECT_EQ(fs.file_digests("/bin/tool")->sha1, sha1_hex("tool bytes"));
}

}  // namespace
}  // namespace cairn::sbom
