#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "oci/image_model.h"
#include "oci/image_source.h"
#include "oci/source_ref.h"
#include "oci/tar_index.h"
#include "tar_builder.h"

namespace cairn::oci {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

TEST(ImageModel, ParsesManifestAndRejectsBadFields) {
  std::string m = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
    "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" + kDigest + R"(","size":3},
    "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":")" + kDigest + R"(","size":10}]})";
  auto ok = parse_manifest(m, "manifest X");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->layers.size(), 1u);
  EXPECT_EQ(ok->layers[0].size, 10u);

  std::string bad_digest = m;
  bad_digest.replace(bad_digest.find(kDigest), kDigest.size(), "sha256:XYZ");
  auto e = parse_manifest(bad_digest, "manifest X");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("manifest X config"), std::string::npos) << e.error().message;

  auto negative = parse_manifest(R"({"schemaVersion":2,"config":{"mediaType":"x","digest":")" + kDigest +
                                     R"(","size":-1},"layers":[]})",
                                 "m");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("size"), std::string::npos);
  EXPECT_FALSE(parse_manifest("[]", "m"));
  EXPECT_FALSE(parse_manifest("{", "m"));
  EXPECT_FALSE(parse_manifest(R"({"schemaVersion":1,"config":{},"layers":[]})", "m"));
}

TEST(ImageModel, IndexSubjectAndArtifactType) {
  std::string entry = R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kDigest + R"(","size":3})";
  auto idx = parse_index(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","artifactType":"application/x",
    "manifests":[)" + entry + R"(],"subject":)" + entry + "}",
                         "index X");
  ASSERT_TRUE(idx) << idx.error().message;
  ASSERT_TRUE(idx->subject);
  EXPECT_EQ(idx->subject->digest.str(), kDigest);
  EXPECT_EQ(idx->artifact_type, "application/x");
  auto plain = parse_index(R"({"schemaVersion":2,"manifests":[]})", "index X");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->subject);
  auto bad = parse_index(R"({"schemaVersion":2,"manifests":[],"subject":{"digest":"sha256:XYZ"}})", "index X");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("index X subject"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parse_index(R"({"schemaVersion":2,"manifests":[],"artifactType":7})", "index X"));
}

TEST(ImageModel, ConfigDiffIds) {
  auto c = parse_config(R"({"os":"linux","architecture":"arm64","variant":"v8","rootfs":{"type":"layers","diff_ids":[")" +
                            kDigest + R"("]}})",
                        "config");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->architecture, "arm64");
  EXPECT_EQ(c->diff_ids.size(), 1u);
  EXPECT_FALSE(parse_config(R"({"rootfs":{"diff_ids":[1]}})", "config"));
  EXPECT_FALSE(parse_config(R"({"rootfs":{"diff_ids":["md5:00"]}})", "config"));
}

TEST(Platform, ParseAndMatch) {
  auto p = Platform::parse("linux/arm64/v8");
  ASSERT_TRUE(p);
  EXPECT_TRUE((Platform{"linux", "arm64", ""}).satisfies(*p));
  EXPECT_FALSE((Platform{"linux", "amd64", ""}).satisfies(*p));
  EXPECT_TRUE((Platform{"linux", "arm", "v7"}).satisfies(*Platform::parse("linux/arm")));
  EXPECT_FALSE(Platform::parse("linux"));
  EXPECT_FALSE(Platform::parse("linux//"));
  EXPECT_EQ(Platform::parse("linux/arm64/v8")->str(), "linux/arm64/v8");
}

Result<std::map<std::string, TarMember>> index_bytes(const std::string& bytes) {
  ReadAt read_at = [&](std::uint64_t off, void* buf, std::size_t n) -> Result<std::size_t> {
    if (off >= bytes.size()) return std::size_t{0};
    std::size_t k = std::min<std::uint64_t>(n, bytes.size() - off);
    std::memcpy(buf, bytes.data() + off, k);
    return k;
  };
  return index_tar(read_at, bytes.size(), "test.tar");
}

TEST(TarIndex, FindsMembersAndLongNames) {
  std::string long_name = "blobs/sha256/" + std::string(150, 'c');
  std::string tar = cairn::testing::TarBuilder().file("./manifest.json", "[]").file(long_name, "hello").finish();
  auto idx = index_bytes(tar);
  ASSERT_TRUE(idx) << idx.error().message;
  ASSERT_EQ(idx->count("manifest.json"), 1u);
  ASSERT_EQ(idx->count(long_name), 1u);
  EXPECT_EQ(tar.substr(idx->at(long_name).offset, idx->at(long_name).size), "hello");
}

TEST(TarIndex, CorruptAndTruncatedArchivesAreErrors) {
  std::string tar = cairn::testing::TarBuilder().file("a", std::string(5000, 'x')).finish();
  std::string corrupt = tar;
  corrupt[150] ^= 0x11;  // inside the checksum field region's neighbour: the mode/chksum
  corrupt[0] ^= 0x11;    // the name: checksum no longer matches
  auto e = index_bytes(corrupt);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("checksum"), std::string::npos) << e.error().message;
  auto t = index_bytes(tar.substr(0, 2048));
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("truncated"), std::string::npos) << t.error().message;
}

TEST(SourceRef, PrefixesTagsAndDigests) {
  auto a = parse_source_ref("oci-dir:/nonexistent/app:v1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, SourceRef::Kind::OciDir);
  EXPECT_EQ(a->path, "/nonexistent/app");
  EXPECT_EQ(a->tag, "v1");
  auto b = parse_source_ref("oci-dir:/x/app@" + kDigest);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->digest, kDigest);
  EXPECT_EQ(b->path, "/x/app");
  auto c = parse_source_ref("docker-archive:/tmp/x.tar");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, SourceRef::Kind::DockerArchive);
  EXPECT_EQ(c->path, "/tmp/x.tar");
  auto d = parse_source_ref("/definitely/not/here");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("oci-dir:"), std::string::npos);
}

TEST(SourceRef, BarePathsAreRecognisedByContent) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "cairn-source-ref-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "layout");
  std::ofstream(dir / "layout" / "oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
  fs::create_directories(dir / "rootfs" / "etc");
  auto write = [](const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; };
  write(dir / "docker.tar", cairn::testing::TarBuilder().file("manifest.json", "[]").finish());
  write(dir / "oci.tar", cairn::testing::TarBuilder().file("oci-layout", "{}").file("index.json", "{}").finish());
  write(dir / "both.tar",
        cairn::testing::TarBuilder().file("oci-layout", "{}").file("index.json", "{}").file("manifest.json", "[]").finish());
  EXPECT_EQ(parse_source_ref((dir / "layout").string())->kind, SourceRef::Kind::OciDir);
  EXPECT_EQ(parse_source_ref((dir / "rootfs").string())->kind, SourceRef::Kind::Dir);
  EXPECT_EQ(parse_source_ref((dir / "docker.tar").string())->kind, SourceRef::Kind::DockerArchive);
  EXPECT_EQ(parse_source_ref((dir / "oci.tar").string())->kind, SourceRef::Kind::OciArchive);
  auto both = parse_source_ref((dir / "both.tar").string());
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind, ErrorKind::Usage);
  EXPECT_NE(both.error().message.find("docker-archive:"), std::string::npos);
  EXPECT_NE(both.error().message.find("oci-archive:"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cairn::oci
