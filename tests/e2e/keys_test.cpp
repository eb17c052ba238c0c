// cairn generate-key-pair and public-key against cosign's key format as the lab's
// TEST-ONLY keys and ../shared/lab/cosign_peer.py (an independent implementation,
// checked against Go's x/crypto) write and read it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {
namespace {

const std::string kPython = "/usr/bin/python3";

fs::path samples() { return fs::path(CAIRN_SHARED_DIR) / "lab" / "samples"; }
std::string peer() { return (fs::path(CAIRN_SHARED_DIR) / "lab" / "cosign_peer.py").string(); }

RunOptions with_password(const std::string& password) {
  RunOptions o;
  o.env["CAIRN_PASSWORD"] = password;
  return o;
}

// cairn with neither password variable set and no controlling terminal (setsid), as in
// CI: it must fail at once, never wait for input.
RunResult run_cairn_without_password(std::vector<std::string> args) {
  std::vector<std::string> wrapped{"-u", "CAIRN_PASSWORD", "-u", "COSIGN_PASSWORD", "/usr/bin/setsid", "-w", CAIRN_BINARY};
  wrapped.insert(wrapped.end(), args.begin(), args.end());
  RunOptions o;
  o.timeout_seconds = 60;
  return run_program("/usr/bin/env", wrapped, o);
}

TEST(KeysInterop, TestOnlyCosignKeysOfBothLabelsLoad) {
  std::string password = read_file(samples() / "TEST-ONLY-cosign.pass");
  while (!password.empty() && password.back() == '\n') password.pop_back();
  for (auto [key, pub] : {std::pair{"TEST-ONLY-cosign.key", "cosign.pub"}, std::pair{"TEST-ONLY-cosign2-sigstore-pem.key", "cosign2.pub"}}) {
    auto r = run_cairn({"public-key", "--key", (samples() / key).string()}, with_password(password));
    ASSERT_EQ(r.exit_code, 0) << key << ": " << r.describe();
    EXPECT_EQ(r.out, read_file(samples() / pub)) << key;
  }
  EXPECT_NE(read_file(samples() / "TEST-ONLY-cosign.key").find("ENCRYPTED COSIGN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(read_file(samples() / "TEST-ONLY-cosign2-sigstore-pem.key").find("ENCRYPTED SIGSTORE PRIVATE KEY"), std::string::npos);

  auto wrong = run_cairn({"public-key", "--key", (samples() / "TEST-ONLY-cosign.key").string()}, with_password("not-it"));
  EXPECT_EQ(wrong.exit_code, 3) << wrong.describe();
  EXPECT_NE(wrong.err.find("TEST-ONLY-cosign.key: wrong password"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("not-it"), std::string::npos) << "the password leaked: " << wrong.err;
}

TEST(KeysInterop, KeysCairnWritesThePeerReadsAndTheOtherWayRound) {
  TempDir dir("keys-interop");
  write_file(dir / "pass", "correct horse\n");
  for (const char* algorithm : {"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"}) {
    std::string prefix = (dir / algorithm).string();
    auto made = run_cairn({"generate-key-pair", "--algorithm", algorithm, "--output-key-prefix", prefix}, with_password("correct horse"));
    ASSERT_EQ(made.exit_code, 0) << made.describe();
    struct stat st {};
    ASSERT_EQ(::stat((prefix + ".key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << algorithm;
    EXPECT_NE(read_file(prefix + ".key").find("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"), std::string::npos);
    auto pub = run_cairn({"public-key", "--key", prefix + ".key"}, with_password("correct horse"));
    ASSERT_EQ(pub.exit_code, 0) << pub.describe();
    EXPECT_EQ(pub.out, read_file(prefix + ".pub")) << algorithm;
  }
  // The peer decrypts cairn's key (scrypt and secretbox as Go's x/crypto does them).
  auto loaded = run_program(kPython, {peer(), "loadkey", (dir / "ecdsa-p256.key").string(), (dir / "pass").string()});
  EXPECT_EQ(loaded.exit_code, 0) << loaded.describe() << loaded.out;
  // And cairn reads the peer's keys, under both labels.
  for (const char* label : {"COSIGN", "SIGSTORE"}) {
    std::string prefix = (dir / (std::string("peer-") + label)).string();
    auto keygen = run_program(kPython, {peer(), "keygen", prefix, (dir / "pass").string(), "--pem-type", label});
    ASSERT_EQ(keygen.exit_code, 0) << keygen.describe();
    auto pub = run_cairn({"public-key", "--key", prefix + ".key"}, with_password("correct horse"));
    ASSERT_EQ(pub.exit_code, 0) << pub.describe();
    EXPECT_EQ(pub.out, read_file(prefix + ".pub")) << label;
  }
}

TEST(KeysInterop, PasswordsComeFromTheEnvironmentOrNowhere) {
  TempDir dir("keys-password");
  std::string prefix = (dir / "k").string();
  auto none = run_cairn_without_password({"generate-key-pair", "--output-key-prefix", prefix});
  EXPECT_EQ(none.exit_code, 2) << none.describe();
  EXPECT_NE(none.err.find("CAIRN_PASSWORD"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(prefix + ".key"));

  auto empty = run_cairn({"generate-key-pair", "--output-key-prefix", prefix}, with_password(""));
  EXPECT_EQ(empty.exit_code, 2) << empty.describe();
  EXPECT_NE(empty.err.find("--allow-empty-password"), std::string::npos) << empty.err;
  EXPECT_FALSE(fs::exists(prefix + ".key"));
  auto allowed = run_cairn({"generate-key-pair", "--output-key-prefix", prefix, "--allow-empty-password"}, with_password(""));
  ASSERT_EQ(allowed.exit_code, 0) << allowed.describe();

  // Never overwritten; COSIGN_PASSWORD is honoured for pipelines coming from cosign.
  std::string before = read_file(prefix + ".key");
  RunOptions cosign_env;
  cosign_env.env["COSIGN_PASSWORD"] = "x";
  auto again = run_cairn({"generate-key-pair", "--output-key-prefix", prefix}, cosign_env);
  EXPECT_EQ(again.exit_code, 2) << again.describe();
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(prefix + ".key"), before);

  auto locked = run_cairn_without_password({"public-key", "--key", prefix + ".key"});
  EXPECT_EQ(locked.exit_code, 2) << locked.describe();
  EXPECT_NE(locked.err.find("CAIRN_PASSWORD"), std::string::npos) << locked.err;
}

}  // namespace
}  // namespace cairn::e2e
