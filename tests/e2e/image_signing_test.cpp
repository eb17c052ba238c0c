// cairn sign and verify on a real registry (distribution 2.8) and on OCI layouts, against
// ../shared/lab/cosign_peer.py, an independent implementation of cosign's legacy
// signature format: each verifies what the other signs, and the lab's tampered cases
// (a flipped signature bit, an altered payload, another image's signature copied in)
// fail, each with its own reason.
#include <gtest/gtest.h>

#include "core/digest.h"
#include "tests/e2e/e2e_support.h"
#include "tests/e2e/registry_fixture.h"
#include "tests/e2e/small_image.h"

namespace cairn::e2e {
namespace {

const std::string kPython = "/usr/bin/python3";

fs::path samples() { return fs::path(CAIRN_SHARED_DIR) / "lab" / "samples"; }
std::string peer() { return (fs::path(CAIRN_SHARED_DIR) / "lab" / "cosign_peer.py").string(); }
std::string key1() { return (samples() / "TEST-ONLY-cosign.key").string(); }
std::string key2() { return (samples() / "TEST-ONLY-cosign2-sigstore-pem.key").string(); }
std::string pub1() { return (samples() / "cosign.pub").string(); }
std::string pub2() { return (samples() / "cosign2.pub").string(); }
std::string pass_file() { return (samples() / "TEST-ONLY-cosign.pass").string(); }

RunOptions with_key_password() {
  std::string password = read_file(pass_file());
  while (!password.empty() && password.back() == '\n') password.pop_back();
  RunOptions o;
  o.env["CAIRN_PASSWORD"] = password;
  return o;
}

RunResult peer_run(const std::vector<std::string>& args) {
  std::vector<std::string> full{peer()};
  full.insert(full.end(), args.begin(), args.end());
  return run_program(kPython, full);
}

class ImageSigning : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = TestRegistry::start();
    ASSERT_TRUE(registry_);
    image_ = make_small_image(dir_ / "img", "v1");
  }
  // Pushes the small image (or a variant) to REPO:v1 and returns "HOST/REPO:v1".
  std::string push(const std::string& repo, unsigned seed = 1) {
    auto image = seed == 1 ? image_ : make_small_image(dir_ / ("img" + std::to_string(seed)), "v1", 0, seed);
    auto r = run_cairn({"copy", "oci-dir:" + image.layout.string() + ":v1", registry_->host() + "/" + repo + ":v1"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return registry_->host() + "/" + repo + ":v1";
  }
  json verify_json(const std::string& ref, const std::string& pub, std::vector<std::string> extra = {}, int expect_exit = 0) {
    std::vector<std::string> args{"verify", ref, "--key", pub, "--output", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_cairn(args);
    EXPECT_EQ(r.exit_code, expect_exit) << r.describe() << r.out;
    return parse_json(r.out, "cairn verify");
  }

  TempDir dir_{"image-signing"};
  std::unique_ptr<TestRegistry> registry_;
  SmallImage image_;
};

TEST_F(ImageSigning, PeerSignaturesVerifyWithCairnAndCairnsWithThePeer) {
  std::string ref = push("lab/app");
  auto none = run_cairn({"verify", ref, "--key", pub1()});
  EXPECT_EQ(none.exit_code, 1) << none.describe();
  EXPECT_NE(none.out.find("no signatures at all"), std::string::npos) << none.out;

  auto peer_signed = peer_run({"sign", key1(), pass_file(), ref});
  ASSERT_EQ(peer_signed.exit_code, 0) << peer_signed.describe() << peer_signed.out;
  auto verdict = verify_json(ref, pub1());
  EXPECT_EQ(verdict["verified"], true);
  EXPECT_EQ(verdict["digest"], image_.manifest_digest);
  auto other_key = run_cairn({"verify", ref, "--key", pub2()});
  EXPECT_EQ(other_key.exit_code, 1);
  EXPECT_NE(other_key.out.find("none valid: 1 not made by this key"), std::string::npos) << other_key.out;

  // cairn appends its signature (key 2, with an annotation); the peer's stays.
  auto signed_by_cairn = run_cairn({"sign", ref, "--key", key2(), "-a", "team=release"}, with_key_password());
  ASSERT_EQ(signed_by_cairn.exit_code, 0) << signed_by_cairn.describe();
  EXPECT_NE(signed_by_cairn.err.find("sign by digest"), std::string::npos) << "a tag was signed without a warning";
  auto peer_verified = peer_run({"verify", pub2(), ref, "--strict-identity"});
  EXPECT_EQ(peer_verified.exit_code, 0) << peer_verified.describe() << peer_verified.out;
  EXPECT_EQ(verify_json(ref, pub1())["verified"], true) << "the peer's signature was lost when cairn appended";
  auto both = verify_json(ref, pub2(), {"-a", "team=release", "--check-identity"});
  // The peer's legacy signature, cairn's legacy signature and cairn's bundle referrer.
  ASSERT_EQ(both["signatures"].size(), 3u) << both.dump(2);
  EXPECT_EQ(both["signatures"][1]["result"], "verified");
  EXPECT_EQ(both["signatures"][1]["dockerReference"], registry_->host() + "/lab/app");
  EXPECT_EQ(both["signatures"][2]["form"], "bundle");
  EXPECT_EQ(both["signatures"][2]["result"], "annotation-mismatch") << "a bundle carries no signed annotations";
  auto bundle_only = verify_json(ref, pub2());
  EXPECT_EQ(bundle_only["signatures"][2]["result"], "verified") << bundle_only.dump(2);
  auto wrong_annotation = verify_json(ref, pub2(), {"-a", "team=qa"}, 1);
  EXPECT_EQ(wrong_annotation["signatures"][2]["result"], "annotation-mismatch");
  EXPECT_EQ(wrong_annotation["signatures"][1]["result"], "annotation-mismatch") << wrong_annotation.dump(2);

  // The payload is cosign's, byte for byte: the peer's own verify parsed it above, and
  // the layer's bytes are what cosign's Go encoder writes.
  auto sig_manifest = json::parse(run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", "docker://" + registry_->host() +
                                                                     "/lab/app:sha256-" + image_.manifest_digest.substr(7) + ".sig"})
                                      .out);
  ASSERT_EQ(sig_manifest["layers"].size(), 2u);
  EXPECT_EQ(sig_manifest["layers"][1]["mediaType"], "application/vnd.dev.cosign.simplesigning.v1+json");
}

// The bundle cairn attaches verifies with sigstore-js (the code GitHub's attest action
// and npm use), given the image digest; a bundle signed for another manifest and moved
// onto this one is reported as such.
TEST_F(ImageSigning, BundleReferrersVerifyWithSigstoreJs) {
  auto install = run_program("/bin/sh", {"-c", "\"$0\"", (fs::path(CAIRN_SHARED_DIR) / "peers" / "sigstore-js" / "install.sh").string()});
  ASSERT_EQ(install.exit_code, 0) << install.describe();
  std::string sigstore_js = install.out.substr(0, install.out.find_last_not_of("\n") + 1);
  sigstore_js = sigstore_js.substr(sigstore_js.rfind('\n') + 1);

  std::string layout = "oci-dir:" + image_.layout.string() + ":v1";
  auto signed_bundle = run_cairn({"sign", layout, "--key", key2(), "--signature-format", "bundle"}, with_key_password());
  ASSERT_EQ(signed_bundle.exit_code, 0) << signed_bundle.describe();
  auto verdict = verify_json(layout, pub2());
  ASSERT_EQ(verdict["signatures"].size(), 1u) << verdict.dump(2);
  EXPECT_EQ(verdict["signatures"][0]["form"], "bundle");
  EXPECT_FALSE(fs::exists(image_.layout / "blobs" / "sha256" / ("sha256-" + image_.manifest_digest.substr(7) + ".sig")));

  // Find the bundle blob through discover, as any client would.
  auto graph = parse_json(run_cairn({"discover", layout, "--output", "json"}).out, "discover");
  ASSERT_EQ(graph["referrers"].size(), 1u) << graph.dump(2);
  EXPECT_EQ(graph["referrers"][0]["artifactType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  EXPECT_EQ(graph["referrers"][0]["annotations"]["dev.sigstore.bundle.content"], "message-signature");
  auto blobs = image_.layout / "blobs" / "sha256";
  auto referrer = load_json(blobs / graph["referrers"][0]["digest"].get<std::string>().substr(7));
  auto bundle_path = blobs / referrer["layers"][0]["digest"].get<std::string>().substr(7);
  auto checked = run_program("/usr/bin/node", {sigstore_js + "/verify-bundle.mjs", "--bundle", bundle_path.string(), "--key", pub2(),
                                               "--digest", image_.manifest_digest, "--tlog-threshold", "0", "--timestamp-threshold", "0",
                                               "--trusted-root",
                                               (fs::path(CAIRN_SHARED_DIR) / "acceptance" / "sigstore" / "trusted-roots" /
                                                "public-good.trusted_root.json")
                                                   .string()});
  EXPECT_EQ(checked.exit_code, 0) << checked.describe() << checked.out;

  // The same bundle moved onto another image: a signature for another image.
  auto other = make_small_image(dir_ / "other", "v1", 0, 3);
  write_file(dir_ / "bundle.json", read_file(bundle_path));
  auto moved = run_cairn({"attach", "oci-dir:" + other.layout.string() + ":v1", "--artifact", (dir_ / "bundle.json").string(),
                          "--artifact-type", "application/vnd.dev.sigstore.bundle.v0.3+json", "--media-type",
                          "application/vnd.dev.sigstore.bundle.v0.3+json"});
  ASSERT_EQ(moved.exit_code, 0) << moved.describe();
  auto replayed = verify_json("oci-dir:" + other.layout.string() + ":v1", pub2(), {}, 1);
  EXPECT_EQ(replayed["signatures"][0]["result"], "other-image") << replayed.dump(2);
}

TEST_F(ImageSigning, TamperedSignaturesFailEachWithItsOwnReason) {
  std::string flipped = push("lab/tampered-sig"), altered = push("lab/tampered-payload");
  std::string source = push("lab/other", 2), replayed = push("lab/tampered-replay");
  for (const auto& ref : {flipped, altered, source}) ASSERT_EQ(peer_run({"sign", key1(), pass_file(), ref}).exit_code, 0);
  ASSERT_EQ(peer_run({"tamper", flipped, "sig"}).exit_code, 0);
  ASSERT_EQ(peer_run({"tamper", altered, "payload"}).exit_code, 0);
  ASSERT_EQ(peer_run({"tamper", replayed, "replay", source}).exit_code, 0);

  auto a = verify_json(flipped, pub1(), {}, 1);
  EXPECT_EQ(a["signatures"][0]["result"], "not-this-key");
  EXPECT_NE(a["signatures"][0]["reason"].get<std::string>().find("over this image's payload"), std::string::npos) << a.dump(2);
  auto b = verify_json(altered, pub1(), {}, 1);
  EXPECT_EQ(b["signatures"][0]["result"], "not-this-key");
  EXPECT_NE(b["signatures"][0]["reason"].get<std::string>().find("payload names sha256:0000"), std::string::npos) << b.dump(2);
  auto c = verify_json(replayed, pub1(), {}, 1);
  EXPECT_EQ(c["signatures"][0]["result"], "other-image");
  auto text = run_cairn({"verify", replayed, "--key", pub1()});
  EXPECT_NE(text.out.find("a signature for another image, copied here"), std::string::npos) << text.out;
  // The peer agrees on all three.
  for (const auto& ref : {flipped, altered, replayed}) EXPECT_NE(peer_run({"verify", pub1(), ref}).exit_code, 0) << ref;
}

// skopeo carries cosign-format signatures when registries.d says use-sigstore-attachments:
// after it copies a cairn-signed image to another repository, cairn verify passes there.
// (Debian's skopeo cannot make or check such signatures itself: "sigstore disabled".)
TEST_F(ImageSigning, SignaturesSurviveSkopeoCopy) {
  std::string ref = push("lab/source");
  ASSERT_EQ(run_cairn({"sign", registry_->host() + "/lab/source@" + image_.manifest_digest, "--key", key1()}, with_key_password()).exit_code,
            0);
  write_file(dir_ / "registries.d" / "lab.yaml",
             "docker:\n  " + registry_->host() + ":\n    use-sigstore-attachments: true\n");
  write_file(dir_ / "policy.json", R"({"default":[{"type":"insecureAcceptAnything"}]})");
  std::vector<std::string> skopeo{"--policy", (dir_ / "policy.json").string(), "--registries.d", (dir_ / "registries.d").string(), "copy",
                                  "--src-tls-verify=false", "--dest-tls-verify=false"};
  auto copy = skopeo;
  copy.insert(copy.end(), {"docker://" + ref, "docker://" + registry_->host() + "/lab/copy:v1"});
  auto copied = run_program("/usr/bin/skopeo", copy);
  ASSERT_EQ(copied.exit_code, 0) << copied.describe();
  auto there = verify_json(registry_->host() + "/lab/copy:v1", pub1(), {"--check-identity"}, 1);
  // The payload still names the source repository: the signature verifies, and only the
  // identity check (asked for here) tells the copy apart.
  EXPECT_EQ(there["signatures"][0]["result"], "identity-mismatch") << there.dump(2);
  EXPECT_EQ(verify_json(registry_->host() + "/lab/copy:v1", pub1())["verified"], true);

}

TEST_F(ImageSigning, IndexesRecursivelyAndLayoutsWithoutARegistry) {
  // A layout needs no registry: sign and verify in place.
  std::string layout = "oci-dir:" + image_.layout.string() + ":v1";
  ASSERT_EQ(run_cairn({"sign", layout, "--key", key2()}, with_key_password()).exit_code, 0);
  EXPECT_EQ(verify_json(layout, pub2())["verified"], true);
  EXPECT_EQ(verify_json(layout, pub1(), {}, 1)["verified"], false);

  // An index: --recursive signs it and the manifest it lists.
  auto blobs = image_.layout / "blobs" / "sha256";
  auto manifest = read_file(blobs / image_.manifest_digest.substr(7));
  std::string index = json{{"schemaVersion", 2},
                           {"mediaType", "application/vnd.oci.image.index.v1+json"},
                           {"manifests",
                            {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", image_.manifest_digest},
                              {"size", manifest.size()},
                              {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}}}}}
                          .dump();
  auto push_index = run_program("/bin/sh", {"-c", "printf %s \"$0\" | sha256sum", index});
  std::string index_digest = "sha256:" + push_index.out.substr(0, 64);
  write_file(blobs / index_digest.substr(7), index);
  auto layout_index = load_json(image_.layout / "index.json");
  layout_index["manifests"].push_back({{"mediaType", "application/vnd.oci.image.index.v1+json"},
                                       {"digest", index_digest},
                                       {"size", index.size()},
                                       {"annotations", {{"org.opencontainers.image.ref.name", "multi"}}}});
  write_file(image_.layout / "index.json", layout_index.dump());
  std::string remote = registry_->host() + "/lab/multi:v1";
  ASSERT_EQ(run_cairn({"copy", "oci-dir:" + image_.layout.string() + ":multi", remote}).exit_code, 0);
  auto signed_all = run_cairn({"sign", remote, "--key", key1(), "--recursive"}, with_key_password());
  ASSERT_EQ(signed_all.exit_code, 0) << signed_all.describe();
  auto top = verify_json(remote, pub1());
  EXPECT_EQ(top["digest"], index_digest);
  EXPECT_EQ(verify_json(registry_->host() + "/lab/multi@" + image_.manifest_digest, pub1())["verified"], true);
}

// Writes a blob into a layout and returns its descriptor as JSON.
json add_blob(const fs::path& layout, const std::string& media_type, const std::string& bytes) {
  std::string digest = "sha256:" + sha256_hex(bytes);
  write_file(layout / "blobs" / "sha256" / digest.substr(7), bytes);
  return {{"mediaType", media_type}, {"size", bytes.size()}, {"digest", digest}};
}

// Replaces the image's .sig manifest in the layout with one holding `layers`.
void put_signature_manifest(const SmallImage& image, const json& layers) {
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                   {"config", add_blob(image.layout, "application/vnd.oci.image.config.v1+json", "{}")},
                   {"layers", layers}};
  json d = add_blob(image.layout, "application/vnd.oci.image.manifest.v1+json", manifest.dump());
  std::string tag = "sha256-" + image.manifest_digest.substr(7) + ".sig";
  auto index = load_json(image.layout / "index.json");
  json kept = json::array();
  for (const auto& m : index["manifests"])
    if (m["annotations"].value("org.opencontainers.image.ref.name", "") != tag) kept.push_back(m);
  d["annotations"] = {{"org.opencontainers.image.ref.name", tag}};
  kept.push_back(d);
  index["manifests"] = kept;
  write_file(image.layout / "index.json", index.dump());
}

TEST(ImageSigningHostile, FloodsBadAnnotationsAndHugeAnnotationsAreNamed) {
  TempDir dir("signing-hostile");
  auto image = make_small_image(dir / "img", "v1");
  std::string layout = "oci-dir:" + image.layout.string() + ":v1";
  std::string payload = R"({"critical":{"identity":{"docker-reference":"img"},"image":{"docker-manifest-digest":")" + image.manifest_digest +
                        R"("},"type":"cosign container image signature"},"optional":null})";
  json layer = add_blob(image.layout, "application/vnd.dev.cosign.simplesigning.v1+json", payload);

  // 10,000 layers: refused as a flood, without fetching them one by one.
  json flood = json::array();
  for (int i = 0; i < 10000; ++i) {
    json l = layer;
    l["annotations"] = {{"dev.cosignproject.cosign/signature", "MEUCIQ" + std::to_string(i)}};
    flood.push_back(l);
  }
  put_signature_manifest(image, flood);
  auto flooded = run_cairn({"verify", layout, "--key", pub1()});
  EXPECT_EQ(flooded.exit_code, 3) << flooded.describe();
  EXPECT_NE(flooded.err.find("10000 signature layers; cairn reads at most 1000"), std::string::npos) << flooded.err;
  auto append = run_cairn({"sign", layout, "--key", key1()}, with_key_password());
  EXPECT_EQ(append.exit_code, 3) << append.describe();

  // A signature annotation that is not base64, and one of 4 MiB: malformed, named.
  json not_base64 = layer, huge = layer;
  not_base64["annotations"] = {{"dev.cosignproject.cosign/signature", "***not base64***"}};
  huge["annotations"] = {{"dev.cosignproject.cosign/signature", std::string(4u << 20, 'A')}};
  put_signature_manifest(image, json::array({not_base64, huge}));
  auto bad = run_cairn({"verify", layout, "--key", pub1(), "--output", "json"});
  EXPECT_EQ(bad.exit_code, 1) << bad.describe();
  auto verdict = parse_json(bad.out, "verify");
  ASSERT_EQ(verdict["signatures"].size(), 2u) << bad.out.substr(0, 2000);
  EXPECT_EQ(verdict["signatures"][0]["result"], "malformed");
  EXPECT_NE(verdict["signatures"][0]["reason"].get<std::string>().find("not base64"), std::string::npos);
  EXPECT_EQ(verdict["signatures"][1]["result"], "not-this-key");
  EXPECT_NE(verdict["summary"].get<std::string>().find("none valid"), std::string::npos);

  // Over the manifest size limit (8 MiB): refused when the .sig manifest is read.
  put_signature_manifest(image, json::array({huge, huge, huge}));
  auto oversized = run_cairn({"verify", layout, "--key", pub1()});
  EXPECT_EQ(oversized.exit_code, 3) << oversized.describe();
}

TEST(ImageSigningHostile, WrongPasswordWritesNothing) {
  TempDir dir("signing-password");
  auto image = make_small_image(dir / "img", "v1");
  std::string before = read_file(image.layout / "index.json");
  RunOptions wrong;
  wrong.env["CAIRN_PASSWORD"] = "not the password";
  auto r = run_cairn({"sign", "oci-dir:" + image.layout.string() + ":v1", "--key", key1()}, wrong);
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("wrong password"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(image.layout / "index.json"), before);
}

}  // namespace
}  // namespace cairn::e2e
