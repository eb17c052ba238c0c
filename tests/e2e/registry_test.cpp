// cairn against a real registry (Debian's docker-registry, distribution 2.8, started per
// test by registry_fixture), with skopeo and the sigstore-js peer on the other side.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/registry_fixture.h"
#include "tests/e2e/small_image.h"

namespace cairn::e2e {
namespace {

const std::string kSkopeo = "/usr/bin/skopeo";
const std::string kPython = "/usr/bin/python3";

std::string sha256_of(const std::string& bytes) {
  auto r = run_program("/bin/sh", {"-c", "printf %s \"$0\" | sha256sum", bytes});
  return "sha256:" + r.out.substr(0, 64);
}

// The manifest bytes a registry holds for a reference, through skopeo (an independent client).
std::string skopeo_raw(const std::string& host, const std::string& ref, const std::string& creds = "") {
  std::vector<std::string> args{"inspect", "--raw", "--tls-verify=false"};
  if (!creds.empty()) args.insert(args.end(), {"--creds", creds});
  args.push_back("docker://" + host + "/" + ref);
  auto r = run_program(kSkopeo, args);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return r.out;
}

json discover_json(const std::string& image, const RunOptions& options = {}) {
  auto r = run_cairn({"discover", image, "--output", "json"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return parse_json(r.out, "cairn discover");
}

std::set<std::string> artifact_types(const json& nodes) {
  std::set<std::string> out;
  for (const auto& n : nodes) out.insert(n.value("artifactType", ""));
  return out;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = TestRegistry::start();
    ASSERT_TRUE(registry_);
    image_ = make_small_image(dir_ / "small", "v1");
  }
  std::string host() const { return registry_->host(); }
  std::string push_small(const std::string& repo = "small") {
    auto r = run_cairn({"copy", "oci-dir:" + image_.layout.string() + ":v1", host() + "/" + repo + ":v1"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return host() + "/" + repo + ":v1";
  }

  TempDir dir_{"registry"};
  std::unique_ptr<TestRegistry> registry_;
  SmallImage image_;
};

TEST_F(RegistryTest, CairnPushedImageReadsBackThroughSkopeoWithEqualDigests) {
  auto ref = push_small();
  auto raw = skopeo_raw(host(), "small:v1");
  EXPECT_EQ(sha256_of(raw), image_.manifest_digest);
  // skopeo copies it back to a layout: same manifest digest, same layer blob.
  auto back = run_program(kSkopeo, {"copy", "--src-tls-verify=false", "docker://" + ref, "oci:" + (dir_ / "back").string() + ":v1"});
  ASSERT_EQ(back.exit_code, 0) << back.describe();
  auto index = load_json(dir_ / "back" / "index.json");
  EXPECT_EQ(index["manifests"][0]["digest"], image_.manifest_digest);
  EXPECT_TRUE(fs::exists(dir_ / "back" / "blobs" / "sha256" / image_.layer_digest.substr(7)));
  // And cairn copies it back too, byte for byte.
  auto mine = run_cairn({"copy", ref, "oci-dir:" + (dir_ / "mine").string() + ":v1"});
  ASSERT_EQ(mine.exit_code, 0) << mine.describe();
  EXPECT_EQ(mine.out, image_.manifest_digest + "\n");
  EXPECT_EQ(read_file(dir_ / "mine" / "blobs" / "sha256" / image_.layer_digest.substr(7)),
            read_file(image_.layout / "blobs" / "sha256" / image_.layer_digest.substr(7)));
}

TEST_F(RegistryTest, CopiesWithinARegistryMountBlobsInsteadOfUploadingThem) {
  auto ref = push_small();
  auto r = run_cairn({"copy", ref, host() + "/elsewhere/app:v1"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.out, image_.manifest_digest + "\n");
  // The whole registry log (TestRegistry::log() is only its tail), next to its storage.
  auto log = read_file(fs::path(registry_->data_dir()).parent_path() / "registry.log");
  EXPECT_NE(log.find("POST /v2/elsewhere/app/blobs/uploads/?mount=sha256%3A" + image_.layer_digest.substr(7) + "&from=small"),
            std::string::npos)
      << log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  EXPECT_EQ(sha256_of(skopeo_raw(host(), "elsewhere/app:v1")), image_.manifest_digest);
}

TEST_F(RegistryTest, SkopeoPushedImageIsScannedFromTheRegistry) {
  auto push = run_program(kSkopeo, {"copy", "--dest-tls-verify=false", "oci:" + image_.layout.string() + ":v1",
                                    "docker://" + host() + "/pushed/by-skopeo:v1"});
  ASSERT_EQ(push.exit_code, 0) << push.describe();
  auto from_registry = run_cairn({"sbom", "registry:" + host() + "/pushed/by-skopeo:v1", "-o", "cyclonedx-json"});
  ASSERT_EQ(from_registry.exit_code, 0) << from_registry.describe();
  auto bom = parse_json(from_registry.out, "sbom");
  std::set<std::string> names;
  for (const auto& c : bom["components"]) names.insert(c.value("name", "") + " " + c.value("version", ""));
  EXPECT_TRUE(names.count("base-files 12.4+deb12u5")) << from_registry.out.substr(0, 2000);
  EXPECT_TRUE(names.count("small-tool 1.0-1"));
  // A bare reference works as well, and writes nothing to disk.
  auto bare = run_cairn({"sbom", host() + "/pushed/by-skopeo:v1", "-o", "table"});
  EXPECT_EQ(bare.exit_code, 0) << bare.describe();
  EXPECT_NE(bare.out.find("small-tool"), std::string::npos);
}

TEST_F(RegistryTest, MissingImageAndMissingTagAreClearErrors) {
  auto r = run_cairn({"discover", host() + "/nothing:here"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find(host() + "/nothing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("here"), std::string::npos) << r.err;
  auto bad = run_cairn({"discover", "Bad Reference"});
  EXPECT_EQ(bad.exit_code, 2) << bad.describe();
}

TEST_F(RegistryTest, AttachedArtifactsAreListedThroughTheReferrersTagSchema) {
  auto ref = push_small();
  write_file(dir_ / "a.json", "{\"a\":1}");
  write_file(dir_ / "b.txt", "hello");
  auto a = run_cairn({"attach", ref, "--artifact", (dir_ / "a.json").string(), "--artifact-type", "application/vnd.example.a",
                      "--annotation", "purpose=test"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto descriptor = parse_json(a.out, "attach");
  EXPECT_EQ(descriptor["artifactType"], "application/vnd.example.a");
  EXPECT_EQ(descriptor["annotations"]["purpose"], "test");
  auto b = run_cairn({"attach", ref, "--artifact", (dir_ / "b.txt").string(), "--artifact-type", "application/vnd.example.b"});
  ASSERT_EQ(b.exit_code, 0) << b.describe();

  auto graph = discover_json(ref);
  EXPECT_EQ(graph["digest"], image_.manifest_digest);
  EXPECT_EQ(artifact_types(graph["referrers"]), (std::set<std::string>{"application/vnd.example.a", "application/vnd.example.b"}));
  // distribution 2.8 has no referrers API: the index lives at the sha256-<hex> tag.
  auto index = parse_json(skopeo_raw(host(), "small:sha256-" + image_.manifest_digest.substr(7)), "tag index");
  EXPECT_EQ(index["mediaType"], "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(index["manifests"].size(), 2u);
  // The filter keeps one.
  auto filtered = run_cairn({"discover", ref, "--output", "json", "--artifact-type", "application/vnd.example.b"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.describe();
  EXPECT_EQ(artifact_types(parse_json(filtered.out, "filtered")["referrers"]), std::set<std::string>{"application/vnd.example.b"});
  // The tree names the types.
  auto tree = run_cairn({"discover", ref});
  EXPECT_NE(tree.out.find("application/vnd.example.a"), std::string::npos) << tree.out;
}

TEST_F(RegistryTest, EightConcurrentAttachesAreAllListed) {
  auto ref = push_small();
  std::vector<std::thread> threads;
  std::vector<RunResult> results(8);
  for (int i = 0; i < 8; ++i) {
    write_file(dir_ / ("artifact" + std::to_string(i)), "artifact " + std::to_string(i));
    threads.emplace_back([&, i] {
      results[i] = run_cairn({"attach", ref, "--artifact", (dir_ / ("artifact" + std::to_string(i))).string(), "--artifact-type",
                              "application/vnd.example.concurrent", "--annotation", "n=" + std::to_string(i)});
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> digests;
  for (const auto& r : results) {
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    digests.insert(parse_json(r.out, "attach")["digest"].get<std::string>());
  }
  ASSERT_EQ(digests.size(), 8u);
  auto graph = discover_json(ref);
  std::set<std::string> listed;
  for (const auto& n : graph["referrers"]) listed.insert(n["digest"].get<std::string>());
  EXPECT_EQ(listed, digests);
}

TEST_F(RegistryTest, ReferrersOfReferrersAndCosignLegacyTagsAreOneGraph) {
  auto ref = push_small();
  auto shared = fs::path(CAIRN_SHARED_DIR) / "lab" / "samples";
  auto sign = run_program(kPython, {(fs::path(CAIRN_SHARED_DIR) / "lab" / "cosign_peer.py").string(), "sign",
                                    (shared / "TEST-ONLY-cosign.key").string(), (shared / "TEST-ONLY-cosign.pass").string(), ref});
  ASSERT_EQ(sign.exit_code, 0) << sign.describe() << sign.out;
  write_file(dir_ / "sbom.json", "{\"spdxVersion\":\"SPDX-2.3\"}");
  auto sbom = run_cairn({"attach", ref, "--artifact", (dir_ / "sbom.json").string(), "--artifact-type", "application/spdx+json"});
  ASSERT_EQ(sbom.exit_code, 0) << sbom.describe();
  auto sbom_digest = parse_json(sbom.out, "attach")["digest"].get<std::string>();
  write_file(dir_ / "sig.bin", "signature over the sbom");
  auto sig = run_cairn({"attach", host() + "/small@" + sbom_digest, "--artifact", (dir_ / "sig.bin").string(), "--artifact-type",
                        "application/vnd.example.signature"});
  ASSERT_EQ(sig.exit_code, 0) << sig.describe();

  auto graph = discover_json(ref);
  ASSERT_EQ(graph["referrers"].size(), 2u) << graph.dump(2);
  bool saw_legacy = false, saw_nested = false;
  for (const auto& n : graph["referrers"]) {
    if (n["source"].get<std::string>().starts_with("cosign-tag")) {
      saw_legacy = true;
      EXPECT_EQ(n["tag"], "sha256-" + image_.manifest_digest.substr(7) + ".sig");
      EXPECT_EQ(n["artifactType"], "application/vnd.dev.cosign.artifact.sig.v1+json");
    }
    if (n["digest"] == sbom_digest) {
      ASSERT_EQ(n["referrers"].size(), 1u);
      EXPECT_EQ(n["referrers"][0]["artifactType"], "application/vnd.example.signature");
      saw_nested = true;
    }
  }
  EXPECT_TRUE(saw_legacy) << graph.dump(2);
  EXPECT_TRUE(saw_nested) << graph.dump(2);

  // copy --with-referrers carries the whole graph, the legacy tag under its own name.
  auto copied = run_cairn({"copy", "--with-referrers", ref, "oci-dir:" + (dir_ / "withrefs").string() + ":v1"});
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  auto local = discover_json("oci-dir:" + (dir_ / "withrefs").string() + ":v1");
  EXPECT_EQ(local["referrers"].size(), 2u) << local.dump(2);
  auto again = run_cairn({"copy", "--with-referrers", "oci-dir:" + (dir_ / "withrefs").string() + ":v1", host() + "/mirror:v1"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  auto mirrored = discover_json(host() + "/mirror:v1");
  EXPECT_EQ(mirrored["referrers"].size(), 2u) << mirrored.dump(2);
}

TEST_F(RegistryTest, SbomAttachPublishesTheSbomAsAReferrer) {
  auto ref = push_small();
  auto r = run_cairn({"sbom", ref, "-o", "spdx-json=" + (dir_ / "sbom.spdx.json").string(), "-o",
                      "cyclonedx-json=" + (dir_ / "sbom.cdx.json").string(), "--attach"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  auto graph = discover_json(ref);
  EXPECT_EQ(artifact_types(graph["referrers"]), (std::set<std::string>{"application/spdx+json", "application/vnd.cyclonedx+json"}));
  // The attached SBOM is the one written to the file, byte for byte.
  auto pulled = run_cairn({"copy", "--with-referrers", ref, "oci-dir:" + (dir_ / "pulled").string() + ":v1"});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  std::string spdx = read_file(dir_ / "sbom.spdx.json");
  EXPECT_TRUE(fs::exists(dir_ / "pulled" / "blobs" / "sha256" / sha256_of(spdx).substr(7)));
}

// OCI 1.1 lets an index carry a subject (a multi-platform signature set, for one): it is
// a referrer like a manifest, in the registry's tag schema and in a layout.
TEST_F(RegistryTest, AnIndexWithASubjectIsAReferrerToo) {
  auto image = make_small_image(dir_ / "img", "v1");
  auto blobs = image.layout / "blobs" / "sha256";
  auto manifest_bytes = read_file(blobs / image.manifest_digest.substr(7));
  json image_descriptor = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                           {"digest", image.manifest_digest},
                           {"size", manifest_bytes.size()}};
  std::string index = json{{"schemaVersion", 2},
                           {"mediaType", "application/vnd.oci.image.index.v1+json"},
                           {"artifactType", "application/vnd.example.index-referrer"},
                           {"manifests", json::array({image_descriptor})},
                           {"subject", image_descriptor},
                           {"annotations", {{"org.example.note", "an index as referrer"}}}}
                          .dump();
  std::string index_digest = sha256_of(index);
  write_file(blobs / index_digest.substr(7), index);
  auto layout_index = load_json(image.layout / "index.json");
  layout_index["manifests"].push_back({{"mediaType", "application/vnd.oci.image.index.v1+json"},
                                       {"digest", index_digest},
                                       {"size", index.size()},
                                       {"annotations", {{"org.opencontainers.image.ref.name", "idx"}}}});
  write_file(image.layout / "index.json", layout_index.dump());

  auto local = discover_json("oci-dir:" + image.layout.string() + ":v1");
  ASSERT_EQ(local["referrers"].size(), 1u) << local.dump(2);
  EXPECT_EQ(local["referrers"][0]["artifactType"], "application/vnd.example.index-referrer");

  std::string layout = "oci-dir:" + image.layout.string();
  ASSERT_EQ(run_cairn({"copy", layout + ":v1", host() + "/app:v1"}).exit_code, 0);
  auto pushed = run_cairn({"copy", layout + ":idx", host() + "/app:idx"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.describe();
  auto tag_index = json::parse(skopeo_raw(host(), "app:sha256-" + image.manifest_digest.substr(7)));
  ASSERT_EQ(tag_index["manifests"].size(), 1u) << tag_index.dump(2);
  EXPECT_EQ(tag_index["manifests"][0]["digest"], index_digest);
  EXPECT_EQ(tag_index["manifests"][0]["mediaType"], "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(tag_index["manifests"][0]["annotations"]["org.example.note"], "an index as referrer");
  auto remote = discover_json(host() + "/app:v1");
  ASSERT_EQ(remote["referrers"].size(), 1u) << remote.dump(2);
  EXPECT_EQ(remote["referrers"][0]["artifactType"], "application/vnd.example.index-referrer");
}

TEST(RegistryLayout, AnOciLayoutIsAFullStoreWithoutARegistry) {
  TempDir dir("layout-store");
  auto image = make_small_image(dir / "img", "v1");
  std::string ref = "oci-dir:" + image.layout.string() + ":v1";
  write_file(dir / "note.txt", "note");
  auto a = run_cairn({"attach", ref, "--artifact", (dir / "note.txt").string(), "--artifact-type", "application/vnd.example.note"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto graph = discover_json(ref);
  EXPECT_EQ(artifact_types(graph["referrers"]), std::set<std::string>{"application/vnd.example.note"});
  auto sbom = run_cairn({"sbom", ref, "-o", "spdx-json=" + (dir / "s.json").string(), "--attach"});
  ASSERT_EQ(sbom.exit_code, 0) << sbom.describe();
  EXPECT_EQ(discover_json(ref)["referrers"].size(), 2u);
  // The referrers kept in index.json are not mistaken for images when no tag is named.
  auto untagged = run_cairn({"sbom", "oci-dir:" + image.layout.string(), "-o", "table"});
  EXPECT_EQ(untagged.exit_code, 0) << untagged.describe();
  EXPECT_NE(untagged.out.find("small-tool"), std::string::npos);
}

TEST(RegistryLayout, BuildKitAttestationManifestsInAnIndexAreDiscovered) {
  TempDir dir("buildkit");
  auto image = make_small_image(dir / "img", "v1");
  auto blobs = image.layout / "blobs" / "sha256";
  std::string statement = R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[],"predicate":{}})";
  std::string statement_digest = sha256_of(statement);
  write_file(blobs / statement_digest.substr(7), statement);
  std::string config = "{}";
  std::string att_manifest = json{{"schemaVersion", 2},
                                  {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                  {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", sha256_of(config)}, {"size", 2}}},
                                  {"layers",
                                   {{{"mediaType", "application/vnd.in-toto+json"},
                                     {"digest", statement_digest},
                                     {"size", statement.size()},
                                     {"annotations", {{"in-toto.io/predicate-type", "https://spdx.dev/Document"}}}}}}}
                                 .dump();
  write_file(blobs / sha256_of(config).substr(7), config);
  std::string att_digest = sha256_of(att_manifest);
  write_file(blobs / att_digest.substr(7), att_manifest);
  auto manifest_bytes = read_file(blobs / image.manifest_digest.substr(7));
  std::string index = json{{"schemaVersion", 2},
                           {"mediaType", "application/vnd.oci.image.index.v1+json"},
                           {"manifests",
                            {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", image.manifest_digest},
                              {"size", manifest_bytes.size()},
                              {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}},
                             {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", att_digest},
                              {"size", att_manifest.size()},
                              {"platform", {{"architecture", "unknown"}, {"os", "unknown"}}},
                              {"annotations",
                               {{"vnd.docker.reference.type", "attestation-manifest"}, {"vnd.docker.reference.digest", image.manifest_digest}}}}}}}
                          .dump();
  std::string index_digest = sha256_of(index);
  write_file(blobs / index_digest.substr(7), index);
  write_file(image.layout / "index.json",
             json{{"schemaVersion", 2},
                  {"manifests",
                   {{{"mediaType", "application/vnd.oci.image.index.v1+json"},
                     {"digest", index_digest},
                     {"size", index.size()},
                     {"annotations", {{"org.opencontainers.image.ref.name", "v1"}}}}}}}
                 .dump());
  auto graph = discover_json("oci-dir:" + image.layout.string() + ":v1");
  ASSERT_EQ(graph["referrers"].size(), 1u) << graph.dump(2);
  EXPECT_EQ(graph["referrers"][0]["digest"], att_digest);
  EXPECT_EQ(graph["referrers"][0]["source"], "buildkit-attestation for " + image.manifest_digest);
}

}  // namespace
}  // namespace cairn::e2e
