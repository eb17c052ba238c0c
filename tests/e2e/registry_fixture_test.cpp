// Proves the registry test fixture with plain curl: the real docker-registry in each auth
// mode, the token server, and the proxy's forwarding, faults and referrers double.
#include "tests/e2e/registry_fixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/digest.h"
#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {
namespace {

constexpr const char* kCurl = "/usr/bin/curl";
constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";

struct HttpReply {
  int curl_exit = -1;
  int status = 0;
  std::string headers;  // the final header block
  std::string body;
  std::string err;

  // The value of the last header called `name` (case-insensitive), "" when absent.
  std::string header(const std::string& name) const {
    std::istringstream in(headers);
    std::string line, value;
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    };
    while (std::getline(in, line)) {
      auto colon = line.find(':');
      if (colon == std::string::npos || lower(line.substr(0, colon)) != lower(name)) continue;
      value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    }
    return value;
  }
  std::string describe() const {
    return "HTTP " + std::to_string(status) + ", curl exit " + std::to_string(curl_exit) + "; " + err + "\n" + headers +
           body.substr(0, 500);
  }
};

// Runs curl; `args` are the method, headers, data and URL.
HttpReply curl(const std::vector<std::string>& args) {
  TempDir tmp("curl");
  std::vector<std::string> all{"-sS", "-D", (tmp / "headers").string(), "-o", (tmp / "body").string(),
                               "-w", "%{http_code}", "--max-time", "60"};
  all.insert(all.end(), args.begin(), args.end());
  RunResult r = run_program(kCurl, all);
  HttpReply reply;
  reply.curl_exit = r.exit_code;
  reply.status = std::atoi(r.out.c_str());
  reply.err = r.err;
  reply.body = read_file(tmp / "body");
  std::string headers = read_file(tmp / "headers");
  // Keep the last block (after any "100 Continue").
  auto last = headers.rfind("HTTP/");
  reply.headers = last == std::string::npos ? headers : headers.substr(last);
  return reply;
}

std::string sha256_digest(const std::string& data) { return "sha256:" + sha256_hex(data); }

// A monolithic blob upload (POST, then PUT with the digest). Returns the PUT's status.
int push_blob(const std::string& host, const std::string& repo, const std::string& data,
              const std::vector<std::string>& auth = {}) {
  std::vector<std::string> post = auth;
  post.insert(post.end(), {"-X", "POST", "http://" + host + "/v2/" + repo + "/blobs/uploads/"});
  HttpReply started = curl(post);
  EXPECT_EQ(started.status, 202) << started.describe();
  std::string location = started.header("Location");
  if (location.empty()) return started.status;
  if (location.rfind("http", 0) != 0) location = "http://" + host + location;
  location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + sha256_digest(data);
  TempDir tmp("blob");
  write_file(tmp / "blob", data);
  std::vector<std::string> put = auth;
  put.insert(put.end(), {"-X", "PUT", "-H", "Content-Type: application/octet-stream", "--data-binary",
                         "@" + (tmp / "blob").string(), location});
  HttpReply done = curl(put);
  EXPECT_EQ(done.status, 201) << done.describe();
  return done.status;
}

HttpReply put_manifest(const std::string& host, const std::string& repo, const std::string& reference,
                       const std::string& manifest, const std::vector<std::string>& auth = {}) {
  TempDir tmp("manifest");
  write_file(tmp / "manifest.json", manifest);
  std::vector<std::string> args = auth;
  args.insert(args.end(), {"-X", "PUT", "-H", std::string("Content-Type: ") + kOciManifest, "--data-binary",
                           "@" + (tmp / "manifest.json").string(),
                           "http://" + host + "/v2/" + repo + "/manifests/" + reference});
  return curl(args);
}

json descriptor_of(const std::string& media_type, const std::string& data) {
  return {{"mediaType", media_type}, {"digest", sha256_digest(data)}, {"size", data.size()}};
}

// Pushes a one-layer image and returns its manifest bytes.
std::string push_image(const std::string& host, const std::string& repo, const std::string& tag,
                       const std::vector<std::string>& auth = {}) {
  const std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
  const std::string layer = "layer bytes of " + repo + ":" + tag;
  push_blob(host, repo, config, auth);
  push_blob(host, repo, layer, auth);
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", kOciManifest},
                   {"config", descriptor_of("application/vnd.oci.image.config.v1+json", config)},
                   {"layers", json::array({descriptor_of("application/vnd.oci.image.layer.v1.tar", layer)})}};
  std::string text = manifest.dump();
  HttpReply put = put_manifest(host, repo, tag, text, auth);
  EXPECT_EQ(put.status, 201) << put.describe();
  return text;
}

std::string bearer_token(const TestRegistry& registry, const std::string& scope, bool with_credentials = true) {
  std::vector<std::string> args;
  if (with_credentials)
    args.insert(args.end(), {"-u", std::string(TestRegistry::kUser) + ":" + TestRegistry::kPassword});
  args.push_back(registry.token_realm() + "?service=" + TestRegistry::kService + "&scope=" + scope);
  HttpReply reply = curl(args);
  EXPECT_EQ(reply.status, 200) << reply.describe();
  json doc = parse_json(reply.body, "token response");
  if (!doc.is_object() || !doc.contains("token")) return "";
  EXPECT_EQ(doc["token"], doc["access_token"]);
  EXPECT_EQ(doc["expires_in"], 300);
  EXPECT_TRUE(doc.contains("issued_at"));
  return doc["token"].get<std::string>();
}

std::vector<std::string> bearer(const std::string& token) { return {"-H", "Authorization: Bearer " + token}; }

TEST(RegistryFixture, AnonymousRegistryAnswersV2) {
  auto registry = TestRegistry::start();
  ASSERT_NE(registry, nullptr);
  HttpReply reply = curl({"http://" + registry->host() + "/v2/"});
  EXPECT_EQ(reply.status, 200) << reply.describe() << registry->log();
  EXPECT_TRUE(std::filesystem::is_directory(registry->data_dir()));
}

TEST(RegistryFixture, BasicAuthRegistryChallengesAndChecksThePassword) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Basic);
  ASSERT_NE(registry, nullptr);
  const std::string url = "http://" + registry->host() + "/v2/";
  HttpReply anonymous = curl({url});
  EXPECT_EQ(anonymous.status, 401) << anonymous.describe();
  EXPECT_EQ(anonymous.header("WWW-Authenticate").rfind("Basic realm=", 0), 0u) << anonymous.describe();
  HttpReply good = curl({"-u", std::string(TestRegistry::kUser) + ":" + TestRegistry::kPassword, url});
  EXPECT_EQ(good.status, 200) << good.describe() << registry->log();
  HttpReply bad = curl({"-u", std::string(TestRegistry::kUser) + ":wrong", url});
  EXPECT_EQ(bad.status, 401) << bad.describe();
}

TEST(RegistryFixture, TokenRegistryChallengesWithRealmAndService) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Token);
  ASSERT_NE(registry, nullptr);
  HttpReply reply = curl({"http://" + registry->host() + "/v2/"});
  EXPECT_EQ(reply.status, 401) << reply.describe();
  std::string challenge = reply.header("WWW-Authenticate");
  EXPECT_EQ(challenge.rfind("Bearer ", 0), 0u) << challenge;
  EXPECT_NE(challenge.find("realm=\"" + registry->token_realm() + "\""), std::string::npos) << challenge;
  EXPECT_NE(challenge.find("service=\"cairn-test-registry\""), std::string::npos) << challenge;
}

TEST(RegistryFixture, TokenWithCredentialsPushesAndPulls) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Token);
  ASSERT_NE(registry, nullptr);
  const std::string scope = "repository:cairn/test:pull,push";
  std::string token = bearer_token(*registry, scope);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(registry->token_requests(scope), 1) << registry->token_log();

  HttpReply v2 = curl({"-H", "Authorization: Bearer " + token, "http://" + registry->host() + "/v2/"});
  EXPECT_EQ(v2.status, 200) << v2.describe() << registry->log();
  std::string manifest = push_image(registry->host(), "cairn/test", "v1", bearer(token));
  auto get_args = bearer(token);
  get_args.insert(get_args.end(), {"-H", std::string("Accept: ") + kOciManifest,
                                   "http://" + registry->host() + "/v2/cairn/test/manifests/v1"});
  HttpReply pulled = curl(get_args);
  EXPECT_EQ(pulled.status, 200) << pulled.describe() << registry->log();
  EXPECT_EQ(pulled.body, manifest);
  EXPECT_EQ(pulled.header("Docker-Content-Digest"), sha256_digest(manifest));

  // Without a token the same manifest is refused, with a challenge naming the scope.
  HttpReply refused = curl({"http://" + registry->host() + "/v2/cairn/test/manifests/v1"});
  EXPECT_EQ(refused.status, 401) << refused.describe();
  EXPECT_NE(refused.header("WWW-Authenticate").find("scope=\"repository:cairn/test:pull\""), std::string::npos)
      << refused.describe();
}

TEST(RegistryFixture, TokenServerRefusesWrongPasswordAndGivesAnonymousNoAccess) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Token);
  ASSERT_NE(registry, nullptr);
  const std::string scope = "repository:cairn/test:pull,push";
  HttpReply wrong = curl({"-u", std::string(TestRegistry::kUser) + ":wrong",
                          registry->token_realm() + "?service=cairn-test-registry&scope=" + scope});
  EXPECT_EQ(wrong.status, 401) << wrong.describe();
  EXPECT_EQ(registry->token_requests(scope), 0) << registry->token_log();
  EXPECT_NE(registry->token_log().find("GET-refused\tcairn-test\t" + scope), std::string::npos);

  std::string anonymous = bearer_token(*registry, scope, /*with_credentials=*/false);
  ASSERT_FALSE(anonymous.empty());
  auto args = bearer(anonymous);
  args.insert(args.end(), {"-X", "POST", "http://" + registry->host() + "/v2/cairn/test/blobs/uploads/"});
  HttpReply push = curl(args);
  EXPECT_EQ(push.status, 401) << push.describe();
  EXPECT_NE(registry->token_log().find("GET\t-\t" + scope), std::string::npos) << registry->token_log();
}

TEST(RegistryFixture, TokenServerOAuthPasswordAndRefreshGrants) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Token);
  ASSERT_NE(registry, nullptr);
  const std::string scope = "repository:cairn/oauth:pull";
  HttpReply password = curl({"-X", "POST", "--data-urlencode", "grant_type=password", "--data-urlencode",
                             "client_id=cairn-test", "--data-urlencode", "service=cairn-test-registry",
                             "--data-urlencode", "scope=" + scope, "--data-urlencode",
                             std::string("username=") + TestRegistry::kUser, "--data-urlencode",
                             std::string("password=") + TestRegistry::kPassword, registry->token_realm()});
  ASSERT_EQ(password.status, 200) << password.describe();
  json granted = parse_json(password.body, "password grant");
  ASSERT_TRUE(granted.contains("refresh_token")) << password.body;
  ASSERT_TRUE(granted.contains("access_token")) << password.body;
  EXPECT_EQ(granted["scope"], scope);

  HttpReply refreshed = curl({"-X", "POST", "--data-urlencode", "grant_type=refresh_token", "--data-urlencode",
                              "client_id=cairn-test", "--data-urlencode", "service=cairn-test-registry",
                              "--data-urlencode", "scope=" + scope, "--data-urlencode",
                              "refresh_token=" + granted["refresh_token"].get<std::string>(), registry->token_realm()});
  ASSERT_EQ(refreshed.status, 200) << refreshed.describe();
  json again = parse_json(refreshed.body, "refresh grant");
  EXPECT_FALSE(again.contains("refresh_token"));
  HttpReply v2 = curl({"-H", "Authorization: Bearer " + again.value("access_token", std::string()),
                       "http://" + registry->host() + "/v2/"});
  EXPECT_EQ(v2.status, 200) << v2.describe();
  EXPECT_EQ(registry->token_requests(scope), 2) << registry->token_log();

  HttpReply bad_password = curl({"-X", "POST", "-d", "grant_type=password&client_id=x&username=cairn-test&password=no",
                                 registry->token_realm()});
  EXPECT_EQ(bad_password.status, 401) << bad_password.describe();
  HttpReply bad_refresh =
      curl({"-X", "POST", "-d", "grant_type=refresh_token&client_id=x&refresh_token=forged", registry->token_realm()});
  EXPECT_EQ(bad_refresh.status, 401) << bad_refresh.describe();
}

TEST(RegistryFixture, ProxyForwardsAndLogsRequests) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Basic);
  ASSERT_NE(registry, nullptr);
  auto proxy = RegistryProxy::start(registry->host(), {});
  ASSERT_NE(proxy, nullptr);
  const std::string user = std::string(TestRegistry::kUser) + ":" + TestRegistry::kPassword;
  HttpReply anonymous = curl({"http://" + proxy->host() + "/v2/"});
  EXPECT_EQ(anonymous.status, 401) << anonymous.describe();
  HttpReply authed = curl({"-u", user, "-H", "Range: bytes=0-9", "http://" + proxy->host() + "/v2/"});
  EXPECT_EQ(authed.status, 200) << authed.describe() << proxy->output();
  // Uploads go through the proxy and the registry's Location points back at it.
  HttpReply started = curl({"-u", user, "-X", "POST", "http://" + proxy->host() + "/v2/cairn/p/blobs/uploads/"});
  EXPECT_EQ(started.status, 202) << started.describe();
  EXPECT_EQ(started.header("Location").rfind("http://" + proxy->host() + "/v2/cairn/p/blobs/uploads/", 0), 0u)
      << started.describe();
  EXPECT_EQ(push_blob(proxy->host(), "cairn/p", std::string(300000, 'x'), {"-u", user}), 201) << proxy->request_log();

  std::string log = proxy->request_log();
  EXPECT_NE(log.find("GET /v2/ 401 authorization=none\n"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /v2/ 200 range=bytes=0-9 authorization=Basic\n"), std::string::npos) << log;
  EXPECT_NE(log.find("POST /v2/cairn/p/blobs/uploads/ 202 authorization=Basic\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" 201 authorization=Basic\n"), std::string::npos) << log;
  EXPECT_EQ(log.find(TestRegistry::kPassword), std::string::npos) << "the request log holds the password";
  proxy->clear_request_log();
  EXPECT_EQ(proxy->request_log(), "");
}

TEST(RegistryFixture, FaultRulesApplyTheConfiguredNumberOfTimes) {
  auto registry = TestRegistry::start();
  ASSERT_NE(registry, nullptr);
  auto proxy = RegistryProxy::start(registry->host(),
                                    {.faults_json = R"([{"method":"GET","path_regex":"^/v2/$","times":1,"status":500}])"});
  ASSERT_NE(proxy, nullptr);
  const std::string url = "http://" + proxy->host() + "/v2/";
  EXPECT_EQ(curl({url}).status, 500);
  EXPECT_EQ(curl({url}).status, 200);
  EXPECT_EQ(curl({url}).status, 200);
  std::string log = proxy->request_log();
  EXPECT_NE(log.find("GET /v2/ 500 authorization=none fault=status\nGET /v2/ 200"), std::string::npos) << log;

  // Replaced rules take effect on the next request; a HEAD does not match a GET rule.
  proxy->set_faults(R"([{"method":"GET","path_regex":"^/v2/$","times":-1,"status":429,"retry_after":7}])");
  for (int i = 0; i < 3; ++i) {
    HttpReply limited = curl({url});
    EXPECT_EQ(limited.status, 429) << limited.describe();
    EXPECT_EQ(limited.header("Retry-After"), "7") << limited.describe();
  }
  EXPECT_EQ(curl({"-I", url}).status, 200);
  // A delay forwards the request afterwards (its length is not measured: tests read no clocks).
  proxy->set_faults(R"([{"method":"*","path_regex":"^/v2/$","times":1,"delay_seconds":0.2}])");
  EXPECT_EQ(curl({url}).status, 200);
  EXPECT_NE(proxy->request_log().find("GET /v2/ 200 authorization=none fault=delay\n"), std::string::npos)
      << proxy->request_log();
  proxy->set_faults("[]");
  EXPECT_EQ(curl({url}).status, 200);
}

TEST(RegistryFixture, DropAfterBytesTruncatesABlobGet) {
  auto registry = TestRegistry::start();
  ASSERT_NE(registry, nullptr);
  std::string blob(200000, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 7 + i / 251);
  ASSERT_EQ(push_blob(registry->host(), "cairn/drop", blob), 201);
  auto proxy = RegistryProxy::start(
      registry->host(), {.faults_json = R"([{"method":"GET","path_regex":"/blobs/sha256:","times":1,"drop_after_bytes":1000}])"});
  ASSERT_NE(proxy, nullptr);
  const std::string url = "http://" + proxy->host() + "/v2/cairn/drop/blobs/" + sha256_digest(blob);
  HttpReply cut = curl({url});
  EXPECT_EQ(cut.status, 200);
  EXPECT_NE(cut.curl_exit, 0) << "curl did not notice the truncation: " << cut.describe();
  EXPECT_EQ(cut.body, blob.substr(0, 1000));
  HttpReply whole = curl({url});
  EXPECT_EQ(whole.curl_exit, 0) << whole.describe();
  EXPECT_TRUE(whole.body == blob) << "second GET returned " << whole.body.size() << " bytes";
  EXPECT_NE(proxy->request_log().find("fault=drop_after_bytes"), std::string::npos) << proxy->request_log();
}

TEST(RegistryFixture, CorruptFlipsOneByteKeepingTheLength) {
  auto registry = TestRegistry::start();
  ASSERT_NE(registry, nullptr);
  const std::string blob(100001, 'c');
  ASSERT_EQ(push_blob(registry->host(), "cairn/corrupt", blob), 201);
  auto proxy = RegistryProxy::start(
      registry->host(), {.faults_json = R"([{"method":"GET","path_regex":"/blobs/","times":1,"corrupt":true}])"});
  ASSERT_NE(proxy, nullptr);
  HttpReply bad = curl({"http://" + proxy->host() + "/v2/cairn/corrupt/blobs/" + sha256_digest(blob)});
  EXPECT_EQ(bad.curl_exit, 0) << bad.describe();
  ASSERT_EQ(bad.body.size(), blob.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < blob.size(); ++i) differing += bad.body[i] != blob[i];
  EXPECT_EQ(differing, 1u);
  EXPECT_NE(bad.body[blob.size() / 2], blob[blob.size() / 2]);
}

TEST(RegistryFixture, ReferrersDoubleListsPushedReferrersAndFilters) {
  auto registry = TestRegistry::start();
  ASSERT_NE(registry, nullptr);
  auto proxy = RegistryProxy::start(registry->host(), {.referrers_api = true});
  ASSERT_NE(proxy, nullptr);
  const std::string host = proxy->host();
  std::string image = push_image(host, "cairn/ref", "v1");
  json subject = descriptor_of(kOciManifest, image);

  const std::string empty = "{}";
  push_blob(host, "cairn/ref", empty);
  const std::string sbom = R"({"spdxVersion":"SPDX-2.3"})";
  push_blob(host, "cairn/ref", sbom);
  json sbom_referrer = {{"schemaVersion", 2},
                        {"mediaType", kOciManifest},
                        {"artifactType", "application/spdx+json"},
                        {"config", descriptor_of("application/vnd.oci.empty.v1+json", empty)},
                        {"layers", json::array({descriptor_of("application/spdx+json", sbom)})},
                        {"subject", subject},
                        {"annotations", {{"org.opencontainers.image.created", "2026-01-01T00:00:00Z"}}}};
  const std::string sbom_text = sbom_referrer.dump();
  HttpReply put = put_manifest(host, "cairn/ref", sha256_digest(sbom_text), sbom_text);
  EXPECT_EQ(put.status, 201) << put.describe();
  EXPECT_EQ(put.header("OCI-Subject"), subject["digest"].get<std::string>()) << put.describe();

  // A second referrer whose artifact type comes from its config media type.
  const std::string sig_config = R"({"sig":true})";
  push_blob(host, "cairn/ref", sig_config);
  json sig_referrer = {{"schemaVersion", 2},
                       {"mediaType", kOciManifest},
                       {"config", descriptor_of("application/vnd.cairn.test.sig", sig_config)},
                       {"layers", json::array({descriptor_of("application/spdx+json", sbom)})},
                       {"subject", subject}};
  const std::string sig_text = sig_referrer.dump();
  EXPECT_EQ(put_manifest(host, "cairn/ref", sha256_digest(sig_text), sig_text).status, 201);

  const std::string url = "http://" + host + "/v2/cairn/ref/referrers/" + subject["digest"].get<std::string>();
  HttpReply all = curl({url});
  ASSERT_EQ(all.status, 200) << all.describe();
  EXPECT_EQ(all.header("Content-Type"), "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(all.header("OCI-Filters-Applied"), "");
  json index = parse_json(all.body, "referrers index");
  EXPECT_EQ(index["schemaVersion"], 2);
  ASSERT_EQ(index["manifests"].size(), 2u) << all.body;
  json first = index["manifests"][0];
  EXPECT_EQ(first["digest"], sha256_digest(sbom_text));
  EXPECT_EQ(first["size"], sbom_text.size());
  EXPECT_EQ(first["mediaType"], kOciManifest);
  EXPECT_EQ(first["artifactType"], "application/spdx+json");
  EXPECT_EQ(first["annotations"]["org.opencontainers.image.created"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(index["manifests"][1]["artifactType"], "application/vnd.cairn.test.sig");

  HttpReply filtered = curl({url + "?artifactType=application/vnd.cairn.test.sig"});
  ASSERT_EQ(filtered.status, 200) << filtered.describe();
  EXPECT_EQ(filtered.header("OCI-Filters-Applied"), "artifactType");
  json only = parse_json(filtered.body, "filtered referrers");
  ASSERT_EQ(only["manifests"].size(), 1u) << filtered.body;
  EXPECT_EQ(only["manifests"][0]["digest"], sha256_digest(sig_text));

  HttpReply none = curl({"http://" + host + "/v2/cairn/ref/referrers/sha256:" + std::string(64, '0')});
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(parse_json(none.body, "empty referrers")["manifests"], json::array());

  // Without the flag the request reaches distribution 2.8, which has no referrers API.
  auto plain = RegistryProxy::start(registry->host(), {});
  ASSERT_NE(plain, nullptr);
  HttpReply missing = curl({"http://" + plain->host() + "/v2/cairn/ref/referrers/" + subject["digest"].get<std::string>()});
  EXPECT_EQ(missing.status, 404) << missing.describe();
}

TEST(RegistryFixture, ReferrersDoubleDemandsTheRegistrysCredentials) {
  auto registry = TestRegistry::start(TestRegistry::Auth::Token);
  ASSERT_NE(registry, nullptr);
  auto proxy = RegistryProxy::start(registry->host(), {.referrers_api = true});
  ASSERT_NE(proxy, nullptr);
  const std::string url = "http://" + proxy->host() + "/v2/cairn/auth/referrers/sha256:" + std::string(64, 'a');
  HttpReply anonymous = curl({url});
  EXPECT_EQ(anonymous.status, 401) << anonymous.describe();
  EXPECT_NE(anonymous.header("WWW-Authenticate").find("scope=\"repository:cairn/auth:pull\""), std::string::npos)
      << anonymous.describe();
  std::string token = bearer_token(*registry, "repository:cairn/auth:pull");
  auto args = bearer(token);
  args.push_back(url);
  EXPECT_EQ(curl(args).status, 200);
}

}  // namespace
}  // namespace cairn::e2e
