// Registry authentication (htpasswd Basic; a token server in front of a real registry)
// and faults injected by a proxy in front of the real registry: dropped connections,
// 5xx and 429 answers, corrupted blobs, redirects to blob storage.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/registry_fixture.h"
#include "tests/e2e/small_image.h"

namespace cairn::e2e {
namespace {

RunOptions with_config(const fs::path& dir, const std::string& password = "") {
  RunOptions o;
  o.env["DOCKER_CONFIG"] = dir.string();
  if (!password.empty()) o.env["CAIRN_REGISTRY_PASSWORD"] = password;
  return o;
}

class AuthTest : public ::testing::TestWithParam<TestRegistry::Auth> {};

TEST_P(AuthTest, LoginCheckedStoredUsedAndRemoved) {
  auto registry = TestRegistry::start(GetParam());
  ASSERT_TRUE(registry);
  TempDir dir("registry-auth");
  auto image = make_small_image(dir / "img", "v1");
  std::string src = "oci-dir:" + image.layout.string() + ":v1";
  std::string dst = registry->host() + "/private/app:v1";
  auto config = dir / "docker";

  auto anonymous = run_cairn({"copy", src, dst}, with_config(config));
  EXPECT_EQ(anonymous.exit_code, 3) << anonymous.describe();
  EXPECT_NE(anonymous.err.find("cairn login " + registry->host()), std::string::npos) << anonymous.err;

  auto wrong = run_cairn({"login", registry->host(), "-u", TestRegistry::kUser}, with_config(config, "not-the-password"));
  EXPECT_EQ(wrong.exit_code, 3) << wrong.describe();
  EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos) << "the password leaked into: " << wrong.err;
  EXPECT_FALSE(fs::exists(config / "config.json"));

  auto login = run_cairn({"login", registry->host(), "-u", TestRegistry::kUser}, with_config(config, TestRegistry::kPassword));
  ASSERT_EQ(login.exit_code, 0) << login.describe();
  struct stat st {};
  ASSERT_EQ(::stat((config / "config.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(load_json(config / "config.json")["auths"].contains(registry->host()));

  const std::string push_scope = "repository:private/app:pull,push", pull_scope = "repository:private/app:pull";
  int push_tokens = registry->token_requests(push_scope), pull_tokens = registry->token_requests(pull_scope);
  auto pushed = run_cairn({"copy", src, dst}, with_config(config));
  ASSERT_EQ(pushed.exit_code, 0) << pushed.describe();
  EXPECT_EQ(pushed.out, image.manifest_digest + "\n");
  if (GetParam() == TestRegistry::Auth::Token) {
    // One token per scope for the whole copy (several blobs and manifests): cached.
    EXPECT_EQ(registry->token_requests(push_scope) - push_tokens, 1) << registry->token_log();
    EXPECT_LE(registry->token_requests(pull_scope) - pull_tokens, 1) << registry->token_log();
  }
  write_file(dir / "note", "note");
  auto attached = run_cairn({"attach", dst, "--artifact", (dir / "note").string(), "--artifact-type", "application/vnd.example"},
                            with_config(config));
  EXPECT_EQ(attached.exit_code, 0) << attached.describe();
  auto scanned = run_cairn({"sbom", dst, "-o", "table"}, with_config(config));
  EXPECT_EQ(scanned.exit_code, 0) << scanned.describe();
  EXPECT_NE(scanned.out.find("small-tool"), std::string::npos);

  // The password also arrives on stdin when the environment has none; here it is empty.
  auto logout = run_cairn({"logout", registry->host()}, with_config(config));
  ASSERT_EQ(logout.exit_code, 0) << logout.describe();
  EXPECT_FALSE(load_json(config / "config.json")["auths"].contains(registry->host()));
  auto after = run_cairn({"discover", dst}, with_config(config));
  EXPECT_EQ(after.exit_code, 3) << after.describe();
}

INSTANTIATE_TEST_SUITE_P(BasicAndToken, AuthTest, ::testing::Values(TestRegistry::Auth::Basic, TestRegistry::Auth::Token),
                         [](const auto& info) { return info.param == TestRegistry::Auth::Basic ? "Basic" : "Token"; });

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = TestRegistry::start();
    ASSERT_TRUE(registry_);
    // A blob larger than the upload chunk size, so pushes use chunked PATCHes.
    image_ = make_small_image(dir_ / "img", "v1", 70u << 20);
    auto push = run_cairn({"copy", "oci-dir:" + image_.layout.string() + ":v1", registry_->host() + "/app:v1"});
    ASSERT_EQ(push.exit_code, 0) << push.describe();
    proxy_ = RegistryProxy::start(registry_->host(), {});
    ASSERT_TRUE(proxy_);
  }
  std::string through_proxy() const { return proxy_->host() + "/app:v1"; }

  TempDir dir_{"registry-faults"};
  std::unique_ptr<TestRegistry> registry_;
  std::unique_ptr<RegistryProxy> proxy_;
  SmallImage image_;
};

TEST_F(FaultTest, ChunkedPushLandsTheLargeBlob) {
  // The push in SetUp went straight to the registry; check it with skopeo.
  auto raw = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", "docker://" + registry_->host() + "/app:v1"});
  ASSERT_EQ(raw.exit_code, 0) << raw.describe();
  EXPECT_NE(raw.out.find(image_.layer_digest), std::string::npos);
  auto pushed_again = run_cairn({"copy", "oci-dir:" + image_.layout.string() + ":v1", through_proxy()});
  ASSERT_EQ(pushed_again.exit_code, 0) << pushed_again.describe();
  // The second push found every blob present (HEAD first) and uploaded nothing.
  EXPECT_EQ(proxy_->request_log().find("PATCH"), std::string::npos) << proxy_->request_log();
}

TEST_F(FaultTest, DroppedBlobTransferIsResumedWithRange) {
  proxy_->set_faults(R"([{"method":"GET","path_regex":"/blobs/sha256:)" + image_.layer_digest.substr(7) +
                     R"(","times":1,"drop_after_bytes":5000000}])");
  auto r = run_cairn({"copy", through_proxy(), "oci-dir:" + (dir_ / "out").string() + ":v1"});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << proxy_->request_log();
  EXPECT_NE(proxy_->request_log().find("range=bytes="), std::string::npos) << proxy_->request_log();
  EXPECT_EQ(read_file(dir_ / "out" / "blobs" / "sha256" / image_.layer_digest.substr(7)).size(), image_.layer_size);
}

TEST_F(FaultTest, ServerErrorsAndRateLimitsAreRetried) {
  proxy_->set_faults(R"([{"method":"GET","path_regex":"/manifests/","times":2,"status":500},
                         {"method":"GET","path_regex":"/blobs/","times":1,"status":429,"retry_after":1},
                         {"method":"GET","path_regex":"/blobs/","times":1,"status":503}])");
  auto r = run_cairn({"copy", through_proxy(), "oci-dir:" + (dir_ / "out").string() + ":v1"});
  ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << proxy_->request_log();
  EXPECT_EQ(r.out, image_.manifest_digest + "\n");
}

TEST_F(FaultTest, PersistentFailureNamesRegistryRepositoryOperationAndStatus) {
  proxy_->set_faults(R"([{"method":"GET","path_regex":"/manifests/","times":-1,"status":503}])");
  auto r = run_cairn({"copy", through_proxy(), "oci-dir:" + (dir_ / "out").string() + ":v1"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  for (const std::string& part : {proxy_->host() + "/app", std::string("manifest v1"), std::string("HTTP 503")})
    EXPECT_NE(r.err.find(part), std::string::npos) << part << " not in: " << r.err;
}

TEST_F(FaultTest, CorruptBlobFailsAndLeavesNoTagBehind) {
  proxy_->set_faults(R"([{"method":"GET","path_regex":"/blobs/sha256:)" + image_.layer_digest.substr(7) +
                     R"(","times":-1,"corrupt":true}])");
  auto second = TestRegistry::start();
  ASSERT_TRUE(second);
  auto r = run_cairn({"copy", through_proxy(), second->host() + "/copy:v1"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  // cairn's own check while uploading, before the registry could complete the upload.
  EXPECT_NE(r.err.find("pushing blob " + image_.layer_digest), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("content has digest"), std::string::npos) << r.err;
  auto tag = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", "docker://" + second->host() + "/copy:v1"});
  EXPECT_NE(tag.exit_code, 0) << "the tag exists after a failed copy: " << tag.out;
  // Scanned straight from the registry: the layer reader's own digest check refuses it.
  auto scanned = run_cairn({"sbom", through_proxy(), "-o", "table"});
  EXPECT_EQ(scanned.exit_code, 3) << scanned.describe();
  EXPECT_NE(scanned.err.find("blob has digest"), std::string::npos) << scanned.err;
  EXPECT_TRUE(scanned.out.empty()) << scanned.out;
  // Into a layout: no tag in index.json either.
  auto local = run_cairn({"copy", through_proxy(), "oci-dir:" + (dir_ / "local").string() + ":v1"});
  EXPECT_EQ(local.exit_code, 3) << local.describe();
  if (fs::exists(dir_ / "local" / "index.json")) {
    EXPECT_EQ(read_file(dir_ / "local" / "index.json").find("\"v1\""), std::string::npos);
  }
}

// Registries backed by object storage answer blob GETs with a redirect to another origin.
// Here proxy A (in front of a Basic-auth registry) redirects the layer to proxy B, in front
// of an anonymous registry holding the same blob, standing in for the storage: the blob
// is fetched there, checked, and the registry's credentials never go with it.
TEST(BlobRedirect, FollowedToStorageWithoutTheRegistryCredentials) {
  auto secured = TestRegistry::start(TestRegistry::Auth::Basic);
  auto storage = TestRegistry::start();
  ASSERT_TRUE(secured);
  ASSERT_TRUE(storage);
  TempDir dir("blob-redirect");
  auto config = dir / "docker";
  auto login = run_cairn({"login", secured->host(), "-u", TestRegistry::kUser}, with_config(config, TestRegistry::kPassword));
  ASSERT_EQ(login.exit_code, 0) << login.describe();
  auto image = make_small_image(dir / "img", "v1");
  std::string src = "oci-dir:" + image.layout.string() + ":v1";
  ASSERT_EQ(run_cairn({"copy", src, secured->host() + "/app:v1"}, with_config(config)).exit_code, 0);
  ASSERT_EQ(run_cairn({"copy", src, storage->host() + "/app:v1"}).exit_code, 0);
  auto front = RegistryProxy::start(secured->host(), {});
  auto blob_store = RegistryProxy::start(storage->host(), {});
  ASSERT_TRUE(front);
  ASSERT_TRUE(blob_store);
  front->set_faults(R"([{"method":"GET","path_regex":"/blobs/)" + image.layer_digest + R"(","times":-1,"redirect_to":"http://)" +
                    blob_store->host() + R"("}])");
  // The front proxy's address must carry the stored credentials: log in there as well.
  ASSERT_EQ(run_cairn({"login", front->host(), "-u", TestRegistry::kUser}, with_config(config, TestRegistry::kPassword)).exit_code, 0);

  auto scanned = run_cairn({"sbom", front->host() + "/app:v1", "-o", "table"}, with_config(config));
  ASSERT_EQ(scanned.exit_code, 0) << scanned.describe() << "\n" << front->request_log();
  EXPECT_NE(scanned.out.find("small-tool"), std::string::npos);
  auto pulled = run_cairn({"copy", front->host() + "/app:v1", "oci-dir:" + (dir / "out").string() + ":v1"}, with_config(config));
  ASSERT_EQ(pulled.exit_code, 0) << pulled.describe();
  EXPECT_TRUE(fs::exists(dir / "out" / "blobs" / "sha256" / image.layer_digest.substr(7)));

  EXPECT_NE(front->request_log().find("GET /v2/app/blobs/" + image.layer_digest + " 307 authorization=Basic fault=redirect"),
            std::string::npos)
      << front->request_log();
  auto storage_log = blob_store->request_log();
  EXPECT_NE(storage_log.find("GET /v2/app/blobs/" + image.layer_digest + " 200"), std::string::npos) << storage_log;
  EXPECT_EQ(storage_log.find("authorization=Basic"), std::string::npos) << "credentials went to another origin:\n" << storage_log;
}

TEST(ReferrersApi, UsedWhereTheRegistryHasIt) {
  auto registry = TestRegistry::start();
  ASSERT_TRUE(registry);
  RegistryProxy::Options options;
  options.referrers_api = true;  // the proxy is a test double of the OCI 1.1 referrers endpoint
  auto proxy = RegistryProxy::start(registry->host(), options);
  ASSERT_TRUE(proxy);
  TempDir dir("referrers-api");
  auto image = make_small_image(dir / "img", "v1");
  std::string ref = proxy->host() + "/app:v1";
  auto push = run_cairn({"copy", "oci-dir:" + image.layout.string() + ":v1", ref});
  ASSERT_EQ(push.exit_code, 0) << push.describe();
  write_file(dir / "note", "note");
  auto a = run_cairn({"attach", ref, "--artifact", (dir / "note").string(), "--artifact-type", "application/vnd.example.api"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  auto d = run_cairn({"discover", ref, "--output", "json"});
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  auto graph = parse_json(d.out, "discover");
  ASSERT_EQ(graph["referrers"].size(), 1u) << d.out;
  EXPECT_EQ(graph["referrers"][0]["artifactType"], "application/vnd.example.api");
  auto log = proxy->request_log();
  EXPECT_NE(log.find("/referrers/" + image.manifest_digest), std::string::npos) << log;
  EXPECT_EQ(log.find("PUT /v2/app/manifests/sha256-"), std::string::npos) << "the tag schema was used although the API exists:\n" << log;
  // --referrers-mode tag forces the tag schema even here.
  auto forced = run_cairn({"attach", ref, "--referrers-mode", "tag", "--artifact", (dir / "note").string(), "--artifact-type",
                           "application/vnd.example.tag"});
  ASSERT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_NE(proxy->request_log().find("PUT /v2/app/manifests/sha256-"), std::string::npos) << proxy->request_log();
}

TEST(SigstoreJsPeer, BundleAttachedByTheAttestActionCodeIsDiscovered) {
  auto install = run_program("/bin/sh", {"-c", "\"$0\"", (fs::path(CAIRN_SHARED_DIR) / "peers" / "sigstore-js" / "install.sh").string()});
  ASSERT_EQ(install.exit_code, 0) << install.describe();
  std::string peer = install.out.substr(0, install.out.find_last_not_of("\n") + 1);
  peer = peer.substr(peer.rfind('\n') + 1);
  auto registry = TestRegistry::start(TestRegistry::Auth::Basic);
  ASSERT_TRUE(registry);
  TempDir dir("sigstore-js-attach");
  auto config = dir / "docker";
  auto login = run_cairn({"login", registry->host(), "-u", TestRegistry::kUser}, with_config(config, TestRegistry::kPassword));
  ASSERT_EQ(login.exit_code, 0) << login.describe();
  auto image = make_small_image(dir / "img", "v1");
  std::string ref = registry->host() + "/app:v1";
  ASSERT_EQ(run_cairn({"copy", "oci-dir:" + image.layout.string() + ":v1", ref}, with_config(config)).exit_code, 0);
  write_file(dir / "bundle.json", R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{},"messageSignature":{}})");
  auto attach = run_program("/usr/bin/node", {peer + "/attach-bundle.mjs", "--image", registry->host() + "/app", "--digest", image.manifest_digest,
                                              "--bundle", (dir / "bundle.json").string(), "--annotation", "dev.sigstore.bundle.content=message-signature",
                                              "--username", TestRegistry::kUser, "--password", TestRegistry::kPassword});
  ASSERT_EQ(attach.exit_code, 0) << attach.describe() << attach.out;
  auto peer_index = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", "--creds",
                                                    std::string(TestRegistry::kUser) + ":" + TestRegistry::kPassword,
                                                    "docker://" + registry->host() + "/app:sha256-" + image.manifest_digest.substr(7)});
  ASSERT_EQ(peer_index.exit_code, 0) << peer_index.describe();
  auto d = run_cairn({"discover", ref, "--output", "json"}, with_config(config));
  ASSERT_EQ(d.exit_code, 0) << d.describe();
  auto graph = parse_json(d.out, "discover");
  ASSERT_EQ(graph["referrers"].size(), 1u) << d.out;
  EXPECT_EQ(graph["referrers"][0]["artifactType"], "application/vnd.dev.sigstore.bundle.v0.3+json");

  // cairn appends to the peer's index and keeps its form: same keys, in the same order.
  write_file(dir / "note", "note");
  auto mine = run_cairn({"attach", ref, "--artifact", (dir / "note").string(), "--artifact-type", "application/vnd.example"},
                        with_config(config));
  ASSERT_EQ(mine.exit_code, 0) << mine.describe();
  auto after = run_program("/usr/bin/skopeo", {"inspect", "--raw", "--tls-verify=false", "--creds",
                                               std::string(TestRegistry::kUser) + ":" + TestRegistry::kPassword,
                                               "docker://" + registry->host() + "/app:sha256-" + image.manifest_digest.substr(7)});
  ASSERT_EQ(after.exit_code, 0) << after.describe();
  auto peer_doc = nlohmann::ordered_json::parse(peer_index.out);
  auto our_doc = nlohmann::ordered_json::parse(after.out);
  std::vector<std::string> peer_keys, our_keys, peer_entry_keys, our_entry_keys;
  for (auto& [k, v] : peer_doc.items()) peer_keys.push_back(k);
  for (auto& [k, v] : our_doc.items()) our_keys.push_back(k);
  EXPECT_EQ(our_keys, peer_keys) << after.out;
  ASSERT_EQ(our_doc["manifests"].size(), 2u);
  EXPECT_EQ(our_doc["manifests"][0], peer_doc["manifests"][0]) << "the peer's entry must be kept as it was";
  for (auto& [k, v] : peer_doc["manifests"][0].items()) peer_entry_keys.push_back(k);
  for (auto& [k, v] : our_doc["manifests"][1].items()) our_entry_keys.push_back(k);
  EXPECT_EQ(our_entry_keys, peer_entry_keys) << after.out;
}

}  // namespace
}  // namespace cairn::e2e
