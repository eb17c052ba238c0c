#include "oci/docker_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cairn::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh directory for one test's config and helpers, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "cairn-docker-config-XXXXXX").string();
    path_ = ::mkdtemp(templ.data()) ? templ : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& text, fs::perms mode = fs::perms(0644)) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  fs::permissions(path, mode);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

// Sets an environment variable for one test and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

DockerConfig load_text(const TempDir& dir, const std::string& text) {
  write_file(dir.path() / "config.json", text);
  auto config = DockerConfig::load(dir.str());
  EXPECT_TRUE(config) << config.error().message;
  return config ? *config : DockerConfig();
}

Credential lookup_ok(const DockerConfig& config, const std::string& registry) {
  auto found = config.lookup(registry);
  EXPECT_TRUE(found) << found.error().message;
  if (!found || !*found) {
    ADD_FAILURE() << "no credential for " << registry;
    return {};
  }
  return **found;
}

// "alice:s3cr:et" in base64.
constexpr const char* kAliceAuth = "YWxpY2U6czNjcjpldA==";

TEST(DockerConfig, ReadsAuthFieldAndUsernamePasswordFields) {
  TempDir dir;
  auto config = load_text(dir, std::string(R"({"auths":{"ghcr.io":{"auth":")") + kAliceAuth +
                                   R"("},"127.0.0.1:5000":{"username":"bob","password":"pw"}}})");
  Credential alice = lookup_ok(config, "ghcr.io");
  EXPECT_EQ(alice.username, "alice");
  EXPECT_EQ(alice.password, "s3cr:et");
  Credential bob = lookup_ok(config, "127.0.0.1:5000");
  EXPECT_EQ(bob.username, "bob");
  EXPECT_EQ(bob.password, "pw");
  auto none = config.lookup("quay.io");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_EQ(config.path(), (dir.path() / "config.json").string());
}

TEST(DockerConfig, AuthWithoutPaddingIsAccepted) {
  TempDir dir;
  auto config = load_text(dir, R"({"auths":{"ghcr.io":{"auth":"YWxpY2U6czNjcjpldA"}}})");
  EXPECT_EQ(lookup_ok(config, "ghcr.io").password, "s3cr:et");
}

TEST(DockerConfig, MatchesLegacyKeysByHostName) {
  TempDir dir;
  auto config = load_text(dir, R"({"auths":{
      "https://registry.example.com/v1/":{"username":"a","password":"1"},
      "http://localhost:5000":{"username":"b","password":"2"},
      "quay.io/":{"username":"c","password":"3"},
      "https://ghcr.io":{"username":"legacy","password":"4"},
      "ghcr.io":{"username":"exact","password":"5"}}})");
  EXPECT_EQ(lookup_ok(config, "registry.example.com").username, "a");
  EXPECT_EQ(lookup_ok(config, "localhost:5000").username, "b");
  EXPECT_EQ(lookup_ok(config, "quay.io").username, "c");
  EXPECT_EQ(lookup_ok(config, "ghcr.io").username, "exact");  // the exact key wins
  auto other_port = config.lookup("localhost:5001");
  ASSERT_TRUE(other_port);
  EXPECT_FALSE(*other_port);
}

TEST(DockerConfig, DockerHubUsesItsHistoricalKeyUnderEveryName) {
  TempDir dir;
  auto config = load_text(dir, R"({"auths":{"https://index.docker.io/v1/":{"username":"hub","password":"h"}}})");
  for (const char* name : {"docker.io", "index.docker.io", "registry-1.docker.io"})
    EXPECT_EQ(lookup_ok(config, name).username, "hub") << name;
}

TEST(DockerConfig, IdentityAndRegistryTokens) {
  TempDir dir;
  // "alice:" in base64: docker writes the user name beside an identity token.
  auto config = load_text(dir, R"({"auths":{
      "myregistry.azurecr.io":{"auth":"YWxpY2U6","identitytoken":"refresh-token"},
      "tokens.example":{"registrytoken":"bearer-token"}}})");
  Credential identity = lookup_ok(config, "myregistry.azurecr.io");
  EXPECT_EQ(identity.username, "alice");
  EXPECT_EQ(identity.password, "");
  EXPECT_EQ(identity.identity_token, "refresh-token");
  Credential bearer = lookup_ok(config, "tokens.example");
  EXPECT_EQ(bearer.username, "<token>");
  EXPECT_EQ(bearer.password, "bearer-token");
}

TEST(DockerConfig, MissingOrEmptyFileIsAnEmptyConfig) {
  TempDir dir;
  auto missing = DockerConfig::load((dir.path() / "nowhere").string());
  ASSERT_TRUE(missing) << missing.error().message;
  auto none = missing->lookup("ghcr.io");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto empty = load_text(dir, "  \n");
  EXPECT_FALSE(*empty.lookup("ghcr.io"));
  auto entry_without_credential = load_text(dir, R"({"auths":{"ghcr.io":{}}})");
  EXPECT_FALSE(*entry_without_credential.lookup("ghcr.io"));
}

TEST(DockerConfig, EmptyDirectoryArgumentMeansDockerConfigVariable) {
  TempDir dir;
  write_file(dir.path() / "config.json", R"({"auths":{"ghcr.io":{"username":"env","password":"p"}}})");
  ScopedEnv env("DOCKER_CONFIG", dir.str());
  auto config = DockerConfig::load();
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(lookup_ok(*config, "ghcr.io").username, "env");
}

TEST(DockerConfig, MalformedFilesAreErrorsNamingFileAndField) {
  struct Case {
    const char* text;
    const char* expected;  // in the message
  };
  const Case cases[] = {
      {"{", "not valid JSON"},
      {"[]", "top level"},
      {R"({"auths":"x"})", "auths must be an object"},
      {R"({"auths":{"ghcr.io":7}})", "auths[\"ghcr.io\"] must be an object"},
      {R"({"auths":{"ghcr.io":{"auth":7}}})", "auths[\"ghcr.io\"].auth must be a string"},
      {R"({"auths":{"ghcr.io":{"username":["a"]}}})", "auths[\"ghcr.io\"].username must be a string"},
      {R"({"auths":{"ghcr.io":{"identitytoken":{}}}})", "auths[\"ghcr.io\"].identitytoken must be a string"},
      {R"({"auths":{"ghcr.io":{"auth":"!!!not base64"}}})", "auths[\"ghcr.io\"].auth is not valid base64"},
      {R"({"auths":{"ghcr.io":{"auth":"Zm9v"}}})", "auths[\"ghcr.io\"].auth does not decode to user:password"},
      {R"({"auths":{"ghcr.io":{"auth":"YWJj="}}})", "auths[\"ghcr.io\"].auth is not valid base64"},
      {R"({"credsStore":5})", "credsStore must be a string"},
      {R"({"credsStore":"../../bin/evil"})", "credsStore"},
      {R"({"credHelpers":[]})", "credHelpers must be an object"},
      {R"({"credHelpers":{"gcr.io":true}})", "credHelpers[\"gcr.io\"] must be a string"},
      {R"({"credHelpers":{"gcr.io":"a b"}})", "credHelpers[\"gcr.io\"]"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    write_file(dir.path() / "config.json", c.text);
    auto config = DockerConfig::load(dir.str());
    ASSERT_FALSE(config) << c.text;
    EXPECT_NE(config.error().message.find((dir.path() / "config.json").string()), std::string::npos)
        << config.error().message;
    EXPECT_NE(config.error().message.find(c.expected), std::string::npos) << config.error().message;
  }
}

TEST(DockerConfig, ParseCapsSizeAndNeverQuotesSecrets) {
  std::string huge = R"({"auths":{"a":{"password":")" + std::string(5 << 20, 'x') + R"("}}})";
  auto too_big = parse_docker_config(huge, "big.json");
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("big.json"), std::string::npos);
  auto bad = parse_docker_config(R"({"auths":{"r":{"auth":"c2VjcmV0LXZhbHVl"}}})", "c.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.find("secret-value"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("c2VjcmV0LXZhbHVl"), std::string::npos) << bad.error().message;
}

TEST(DockerConfig, StoreAndEraseKeepOtherFieldsAndWriteMode0600) {
  TempDir dir;
  fs::path file = dir.path() / "config.json";
  write_file(file, R"({"psFormat":"table {{.ID}}","HttpHeaders":{"User-Agent":"x"},
      "auths":{"other.example":{"auth":"YWxpY2U6czNjcjpldA==","email":"a@example.com"},
               "https://ghcr.io/v1/":{"username":"old","password":"old"}}})",
             fs::perms(0644));
  auto config = DockerConfig::load(dir.str());
  ASSERT_TRUE(config) << config.error().message;

  ASSERT_TRUE(config->store("ghcr.io", {"carol", "pa:ss", ""}));
  EXPECT_EQ(mode_of(file), 0600u);
  json doc = json::parse(read_file(file));
  EXPECT_EQ(doc["psFormat"], "table {{.ID}}");
  EXPECT_EQ(doc["HttpHeaders"]["User-Agent"], "x");
  EXPECT_EQ(doc["auths"]["other.example"]["email"], "a@example.com");
  EXPECT_EQ(doc["auths"]["ghcr.io"], json({{"auth", "Y2Fyb2w6cGE6c3M="}}));  // base64 "carol:pa:ss"
  EXPECT_EQ(lookup_ok(*config, "ghcr.io").password, "pa:ss");
  auto reloaded = DockerConfig::load(dir.str());
  ASSERT_TRUE(reloaded) << reloaded.error().message;
  EXPECT_EQ(lookup_ok(*reloaded, "ghcr.io").username, "carol");

  // Logout removes the key and its legacy variants, and nothing else.
  auto erased = reloaded->erase("ghcr.io");
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_TRUE(*erased);
  doc = json::parse(read_file(file));
  EXPECT_FALSE(doc["auths"].contains("ghcr.io"));
  EXPECT_FALSE(doc["auths"].contains("https://ghcr.io/v1/"));
  EXPECT_TRUE(doc["auths"].contains("other.example"));
  EXPECT_EQ(doc["psFormat"], "table {{.ID}}");
  EXPECT_FALSE(*reloaded->lookup("ghcr.io"));
  auto again = reloaded->erase("ghcr.io");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST(DockerConfig, StoreCreatesThePrivateDirectoryAndDockerHubKey) {
  TempDir dir;
  fs::path config_dir = dir.path() / "new" / "docker";
  auto config = DockerConfig::load(config_dir.string());
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->store("docker.io", {"hubuser", "hubpass", "refresh"}));
  EXPECT_EQ(mode_of(config_dir), 0700u);
  EXPECT_EQ(mode_of(config_dir / "config.json"), 0600u);
  json doc = json::parse(read_file(config_dir / "config.json"));
  EXPECT_TRUE(doc["auths"].contains("https://index.docker.io/v1/"));
  EXPECT_EQ(doc["auths"]["https://index.docker.io/v1/"]["identitytoken"], "refresh");
  Credential hub = lookup_ok(*config, "registry-1.docker.io");
  EXPECT_EQ(hub.username, "hubuser");
  EXPECT_EQ(hub.identity_token, "refresh");
  EXPECT_FALSE(config->store("ghcr.io", {"user:colon", "p", ""}));
  EXPECT_FALSE(config->store("ghcr.io", {}));
}

TEST(DockerConfig, StoreFollowsASymlinkedConfig) {
  TempDir dir;
  write_file(dir.path() / "dotfiles" / "docker.json", "{}");
  fs::create_directories(dir.path() / "cfg");
  fs::create_symlink(dir.path() / "dotfiles" / "docker.json", dir.path() / "cfg" / "config.json");
  auto config = DockerConfig::load((dir.path() / "cfg").string());
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_TRUE(config->store("ghcr.io", {"u", "p", ""}));
  EXPECT_TRUE(fs::is_symlink(dir.path() / "cfg" / "config.json"));
  EXPECT_NE(read_file(dir.path() / "dotfiles" / "docker.json").find("ghcr.io"), std::string::npos);
}

// Credential helpers: test helpers written as shell scripts into a directory put first
// on PATH for the test.
class DockerConfigHelpers : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = dir_.path() / "bin";
    fs::create_directories(bin_);
    // docker-credential-cairntest: a test credential helper for these unit tests only.
    // It keeps each credential as a file named by the hex of its server URL under
    // bin/store, records the last input of each action, and answers like the real
    // docker-credential-helpers (the not-found message on stdout, exit 1).
    write_helper("cairntest", R"SH(#!/bin/sh
dir="$(dirname "$0")/store"
mkdir -p "$dir"
input=$(cat)
printf '%s' "$input" > "$dir/last-$1"
key() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
case "$1" in
  get)
    f="$dir/$(key "$input")"
    if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  store)
    url=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\([^"]*\)".*/\1/p')
    [ -n "$url" ] || { echo "missing server URL"; exit 1; }
    printf '%s' "$input" > "$dir/$(key "$url")" ;;
  erase)
    f="$dir/$(key "$input")"
    if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  *) echo "unknown action"; exit 1 ;;
esac
)SH");
    // Test helpers that misbehave.
    write_helper("cairngarbage", "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":\"u\",\"Secret\":\"leaked-secret'\n");
    write_helper("cairnfails", "#!/bin/sh\ncat >/dev/null\necho 'keychain is locked'\nexit 2\n");
    write_helper("cairnnumber", "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":5,\"Secret\":\"s\"}'\n");
    const char* old = std::getenv("PATH");
    path_env_.emplace("PATH", bin_.string() + ":" + (old ? old : "/usr/bin:/bin"));
  }

  void write_helper(const std::string& name, const std::string& script) {
    write_file(bin_ / ("docker-credential-" + name), script, fs::perms(0755));
  }

  fs::path store_dir() const { return bin_ / "store"; }

  TempDir dir_;
  fs::path bin_;
  std::optional<ScopedEnv> path_env_;
};

TEST_F(DockerConfigHelpers, CredHelperStoresGetsAndErases) {
  auto config = load_text(dir_, R"({"credHelpers":{"ghcr.io":"cairntest"},"auths":{},"detachKeys":"ctrl-x"})");
  auto none = config.lookup("ghcr.io");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
  EXPECT_EQ(read_file(store_dir() / "last-get"), "ghcr.io");

  ASSERT_TRUE(config.store("ghcr.io", {"dave", "helper-secret", ""}));
  json sent = json::parse(read_file(store_dir() / "last-store"));
  EXPECT_EQ(sent, json({{"ServerURL", "ghcr.io"}, {"Username", "dave"}, {"Secret", "helper-secret"}}));
  std::string file = read_file(dir_.path() / "config.json");
  EXPECT_EQ(file.find("helper-secret"), std::string::npos) << file;
  json doc = json::parse(file);
  EXPECT_EQ(doc["auths"]["ghcr.io"], json::object());
  EXPECT_EQ(doc["detachKeys"], "ctrl-x");
  EXPECT_EQ(mode_of(dir_.path() / "config.json"), 0600u);

  Credential got = lookup_ok(config, "ghcr.io");
  EXPECT_EQ(got.username, "dave");
  EXPECT_EQ(got.password, "helper-secret");

  auto erased = config.erase("ghcr.io");
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_TRUE(*erased);
  EXPECT_EQ(read_file(store_dir() / "last-erase"), "ghcr.io");
  EXPECT_FALSE(json::parse(read_file(dir_.path() / "config.json"))["auths"].contains("ghcr.io"));
  EXPECT_FALSE(*config.lookup("ghcr.io"));
  auto again = config.erase("ghcr.io");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
}

TEST_F(DockerConfigHelpers, CredHelperWinsOverAuthsAndCredsStore) {
  // As in docker: with a helper configured, a plain-text entry is not consulted.
  auto config = load_text(dir_, R"({"credsStore":"cairnfails","credHelpers":{"ghcr.io":"cairntest"},
      "auths":{"ghcr.io":{"username":"plain","password":"text"}}})");
  auto found = config.lookup("ghcr.io");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(*found);
}

TEST_F(DockerConfigHelpers, CredsStoreServesDockerHubUnderItsHistoricalKey) {
  auto config = load_text(dir_, R"({"credsStore":"cairntest"})");
  ASSERT_TRUE(config.store("docker.io", {"hubuser", "", "hub-refresh-token"}));
  // An identity token reaches the helper as the secret of "<token>".
  json sent = json::parse(read_file(store_dir() / "last-store"));
  EXPECT_EQ(sent["ServerURL"], "https://index.docker.io/v1/");
  EXPECT_EQ(sent["Username"], "<token>");
  EXPECT_EQ(sent["Secret"], "hub-refresh-token");
  Credential got = lookup_ok(config, "index.docker.io");
  EXPECT_EQ(got.identity_token, "hub-refresh-token");
  EXPECT_EQ(got.password, "");
  EXPECT_EQ(read_file(store_dir() / "last-get"), "https://index.docker.io/v1/");
}

TEST_F(DockerConfigHelpers, MisbehavingHelpersAreErrorsNamingHelperAndRegistry) {
  struct Case {
    const char* helper;
    const char* expected;
  };
  const Case cases[] = {
      {"cairngarbage", "not a JSON object"},
      {"cairnnumber", "Username is not a string"},
      {"cairnfails", "exit status 2: keychain is locked"},
      {"cairnmissing", "not found"},
  };
  for (const auto& c : cases) {
    auto config = load_text(dir_, std::string(R"({"credHelpers":{"quay.io":")") + c.helper + "\"}}");
    auto found = config.lookup("quay.io");
    ASSERT_FALSE(found) << c.helper;
    const std::string& message = found.error().message;
    EXPECT_NE(message.find(std::string("docker-credential-") + c.helper), std::string::npos) << message;
    EXPECT_NE(message.find("quay.io"), std::string::npos) << message;
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    EXPECT_EQ(message.find("leaked-secret"), std::string::npos) << message;
  }
}

TEST_F(DockerConfigHelpers, FailingStoreNeverEchoesTheSecret) {
  write_helper("cairnecho", "#!/bin/sh\ncat\nexit 1\n");
  auto config = load_text(dir_, R"({"credsStore":"cairnecho"})");
  auto stored = config.store("ghcr.io", {"erin", "do-not-print-me", ""});
  ASSERT_FALSE(stored);
  EXPECT_NE(stored.error().message.find("docker-credential-cairnecho"), std::string::npos) << stored.error().message;
  EXPECT_EQ(stored.error().message.find("do-not-print-me"), std::string::npos) << stored.error().message;
}

}  // namespace
}  // namespace cairn::oci
