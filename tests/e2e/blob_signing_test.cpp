// cairn sign-blob and verify-blob against the peers: bundles cairn writes verify with
// sigstore-js's verify-bundle.mjs (--key, no log entry or timestamp demanded); the
// managed-key conformance bundles verify (or fail, for the _fail cases) with cairn; and
// each way a blob signature can be wrong fails with its own reason.
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {
namespace {

fs::path samples() { return fs::path(CAIRN_SHARED_DIR) / "lab" / "samples"; }
fs::path sigstore_dir() { return fs::path(CAIRN_SHARED_DIR) / "acceptance" / "sigstore"; }
fs::path conformance() { return sigstore_dir() / "conformance" / "bundle-verify"; }

std::string test_only_password() {
  std::string password = read_file(samples() / "TEST-ONLY-cosign.pass");
  while (!password.empty() && password.back() == '\n') password.pop_back();
  return password;
}

RunOptions with_password(const std::string& password) {
  RunOptions o;
  o.env["CAIRN_PASSWORD"] = password;
  return o;
}

// The sigstore-js peer, installed once (install.sh prints its directory last).
const std::string& sigstore_js() {
  static std::string dir = [] {
    auto install = run_program("/bin/sh", {"-c", "\"$0\"", (fs::path(CAIRN_SHARED_DIR) / "peers" / "sigstore-js" / "install.sh").string()});
    if (install.exit_code != 0) return std::string();
    std::string out = install.out.substr(0, install.out.find_last_not_of("\n") + 1);
    return out.substr(out.rfind('\n') + 1);
  }();
  return dir;
}

RunResult peer_verify(const fs::path& bundle, const fs::path& artifact, const fs::path& key) {
  return run_program("/usr/bin/node", {sigstore_js() + "/verify-bundle.mjs", "--bundle", bundle.string(), "--artifact", artifact.string(),
                                       "--trusted-root", (sigstore_dir() / "trusted-roots" / "public-good.trusted_root.json").string(), "--key",
                                       key.string(), "--tlog-threshold", "0", "--timestamp-threshold", "0"});
}

// Three MiB: more than one read buffer, so digests are computed across reads.
std::string artifact_bytes() {
  std::string data;
  for (int i = 0; data.size() < (3u << 20); ++i) data += "line " + std::to_string(i) + " of a release artifact\n";
  return data;
}

TEST(BlobSigning, TestOnlyCosignKeyBundleVerifiesWithSigstoreJsAndCairn) {
  ASSERT_FALSE(sigstore_js().empty()) << "sigstore-js peer did not install";
  TempDir dir("blob-sign");
  write_file(dir / "artifact.bin", artifact_bytes());
  auto sign = run_cairn({"sign-blob", (dir / "artifact.bin").string(), "--key", (samples() / "TEST-ONLY-cosign.key").string(), "--bundle",
                         (dir / "artifact.sigstore.json").string(), "--output-signature", (dir / "artifact.sig").string()},
                        with_password(test_only_password()));
  ASSERT_EQ(sign.exit_code, 0) << sign.describe();
  auto bundle = load_json(dir / "artifact.sigstore.json");
  EXPECT_EQ(bundle["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  EXPECT_FALSE(bundle["verificationMaterial"].contains("tlogEntries"));

  auto js = peer_verify(dir / "artifact.sigstore.json", dir / "artifact.bin", samples() / "cosign.pub");
  EXPECT_EQ(js.exit_code, 0) << js.describe() << js.out;

  for (auto [flag, file] : {std::pair{"--bundle", "artifact.sigstore.json"}, std::pair{"--signature", "artifact.sig"}}) {
    auto verify = run_cairn({"verify-blob", (dir / "artifact.bin").string(), "--key", (samples() / "cosign.pub").string(), flag, (dir / file).string()});
    EXPECT_EQ(verify.exit_code, 0) << flag << ": " << verify.describe();
    EXPECT_NE(verify.err.find("Verified OK"), std::string::npos);
  }
}

TEST(BlobSigning, GeneratedKeysOfEachAlgorithmVerifyWithSigstoreJs) {
  ASSERT_FALSE(sigstore_js().empty()) << "sigstore-js peer did not install";
  TempDir dir("blob-algorithms");
  write_file(dir / "artifact.txt", "hello, bundle\n");
  // Ed25519 is left out of the sigstore-js leg: sigstore-js passes the messageDigest's
  // hash to Node's crypto.verify, which refuses any digest for an Ed25519 key.
  for (std::string algorithm : {"ecdsa-p256", "ecdsa-p384", "rsa-3072", "ed25519"}) {
    std::string prefix = (dir / algorithm).string();
    auto gen = run_cairn({"generate-key-pair", "--algorithm", algorithm, "--output-key-prefix", prefix}, with_password("pw"));
    ASSERT_EQ(gen.exit_code, 0) << gen.describe();
    std::string bundle = prefix + ".sigstore.json";
    auto sign = run_cairn({"sign-blob", (dir / "artifact.txt").string(), "--key", prefix + ".key", "--bundle", bundle}, with_password("pw"));
    ASSERT_EQ(sign.exit_code, 0) << algorithm << ": " << sign.describe();
    auto mine = run_cairn({"verify-blob", (dir / "artifact.txt").string(), "--key", prefix + ".pub", "--bundle", bundle});
    EXPECT_EQ(mine.exit_code, 0) << algorithm << ": " << mine.describe();
    if (algorithm == "ed25519") continue;
    auto js = peer_verify(bundle, dir / "artifact.txt", prefix + ".pub");
    EXPECT_EQ(js.exit_code, 0) << algorithm << ": " << js.describe() << js.out;
  }
}

TEST(BlobSigning, ManagedKeyConformanceCases) {
  fs::path artifact = conformance() / "a.txt";
  for (std::string passing : {"managed-key-happy-path", "managed-key-and-trusted-root"}) {
    auto r = run_cairn({"verify-blob", artifact.string(), "--key", (conformance() / passing / "key.pub").string(), "--bundle",
                        (conformance() / passing / "bundle.sigstore.json").string()});
    EXPECT_EQ(r.exit_code, 0) << passing << ": " << r.describe();
  }
  // The case's key.pub is not a valid P-256 point: it cannot verify anything.
  auto wrong = run_cairn({"verify-blob", artifact.string(), "--key", (conformance() / "managed-key-wrong-key_fail" / "key.pub").string(),
                          "--bundle", (conformance() / "managed-key-wrong-key_fail" / "bundle.sigstore.json").string()});
  EXPECT_NE(wrong.exit_code, 0) << wrong.describe();
  EXPECT_EQ(wrong.err.find("Verified OK"), std::string::npos);
  // A key-signed bundle checked with no key: cairn has nothing to trust it with.
  auto no_key = run_cairn({"verify-blob", artifact.string(), "--bundle", (conformance() / "managed-key-no-key_fail" / "bundle.sigstore.json").string()});
  EXPECT_EQ(no_key.exit_code, 2) << no_key.describe();
  // The right key from the happy path, a changed artifact.
  TempDir dir("blob-conformance");
  write_file(dir / "a.txt", read_file(artifact) + "x");
  auto changed = run_cairn({"verify-blob", (dir / "a.txt").string(), "--key", (conformance() / "managed-key-happy-path" / "key.pub").string(),
                            "--bundle", (conformance() / "managed-key-happy-path" / "bundle.sigstore.json").string()});
  EXPECT_EQ(changed.exit_code, 1) << changed.describe();
}

class BlobFailures : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir / "artifact.txt", "signed content\n");
    auto sign = run_cairn({"sign-blob", (dir / "artifact.txt").string(), "--key", (samples() / "TEST-ONLY-cosign.key").string(), "--bundle",
                           (dir / "b.json").string(), "--output-signature", (dir / "artifact.sig").string()},
                          with_password(test_only_password()));
    ASSERT_EQ(sign.exit_code, 0) << sign.describe();
  }
  RunResult verify(const fs::path& file, const fs::path& key, const std::string& flag, const fs::path& evidence) {
    return run_cairn({"verify-blob", file.string(), "--key", key.string(), flag, evidence.string()});
  }
  TempDir dir{"blob-failures"};
};

TEST_F(BlobFailures, TamperedFileFailsOnTheDigest) {
  write_file(dir / "tampered.txt", "signed content!\n");
  auto r = verify(dir / "tampered.txt", samples() / "cosign.pub", "--bundle", dir / "b.json");
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("messageDigest"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("other content"), std::string::npos) << r.err;
  auto sig = verify(dir / "tampered.txt", samples() / "cosign.pub", "--signature", dir / "artifact.sig");
  EXPECT_EQ(sig.exit_code, 1) << sig.describe();
  EXPECT_NE(sig.err.find("does not verify"), std::string::npos) << sig.err;
}

TEST_F(BlobFailures, WrongKeyFailsOnTheSignature) {
  auto r = verify(dir / "artifact.txt", samples() / "cosign2.pub", "--bundle", dir / "b.json");
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("another key"), std::string::npos) << r.err;
}

TEST_F(BlobFailures, SignatureThatIsNotBase64IsAnInputError) {
  auto bundle = load_json(dir / "b.json");
  bundle["messageSignature"]["signature"] = "MEUCIQ*not-base64*";
  write_file(dir / "bad.json", bundle.dump());
  auto r = verify(dir / "artifact.txt", samples() / "cosign.pub", "--bundle", dir / "bad.json");
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("messageSignature.signature: not standard base64"), std::string::npos) << r.err;
  write_file(dir / "bad.sig", "%%% not base64 %%%");
  auto s = verify(dir / "artifact.txt", samples() / "cosign.pub", "--signature", dir / "bad.sig");
  EXPECT_EQ(s.exit_code, 3) << s.describe();
  EXPECT_NE(s.err.find("not a base64 signature"), std::string::npos) << s.err;
}

TEST_F(BlobFailures, UsageErrors) {
  std::string artifact = (dir / "artifact.txt").string();
  std::string key = (samples() / "TEST-ONLY-cosign.key").string();
  auto no_output = run_cairn({"sign-blob", artifact, "--key", key}, with_password(test_only_password()));
  EXPECT_EQ(no_output.exit_code, 2) << no_output.describe();
  auto over_input = run_cairn({"sign-blob", artifact, "--key", key, "--bundle", artifact}, with_password(test_only_password()));
  EXPECT_EQ(over_input.exit_code, 2) << over_input.describe();
  EXPECT_EQ(read_file(dir / "artifact.txt"), "signed content\n");
  auto both = run_cairn({"verify-blob", artifact, "--key", (samples() / "cosign.pub").string(), "--bundle", (dir / "b.json").string(),
                         "--signature", (dir / "artifact.sig").string()});
  EXPECT_EQ(both.exit_code, 2) << both.describe();
  auto neither = run_cairn({"verify-blob", artifact, "--key", (samples() / "cosign.pub").string()});
  EXPECT_EQ(neither.exit_code, 2) << neither.describe();
  auto missing = run_cairn({"verify-blob", (dir / "nope.txt").string(), "--key", (samples() / "cosign.pub").string(), "--bundle",
                            (dir / "b.json").string()});
  EXPECT_EQ(missing.exit_code, 3) << missing.describe();
}

}  // namespace
}  // namespace cairn::e2e
