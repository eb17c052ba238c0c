// In-process verification speed: N ECDSA P-256 signatures over distinct simple-signing
// payloads, checked with attest::PublicKey::verify (what `cairn verify` does per
// signature). Prints "verifications/s" for bench/signing.sh to set beside
// `openssl speed ecdsap256`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "attest/keys.h"
#include "attest/simple_signing.h"

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  auto key = cairn::attest::PrivateKey::generate("ecdsa-p256");
  if (!key) return 1;
  auto pub = key->public_key();
  std::vector<std::string> payloads, signatures;
  for (int i = 0; i < n; ++i) {
    cairn::Digest digest{"sha256", std::string(63, 'a') + std::to_string(i % 10)};
    payloads.push_back(cairn::attest::simple_signing_payload("registry.example/app" + std::to_string(i), digest, {}));
    signatures.push_back(*key->sign(payloads.back()));
  }
  auto start = std::chrono::steady_clock::now();
  int valid = 0;
  for (int i = 0; i < n; ++i) valid += *pub.verify(payloads[i], signatures[i]) ? 1 : 0;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (valid != n) {
    std::fprintf(stderr, "only %d of %d signatures verified\n", valid, n);
    return 1;
  }
  std::printf("%d verifications in %.4f s: %.0f verifications/s\n", n, seconds, n / seconds);
  return 0;
}
