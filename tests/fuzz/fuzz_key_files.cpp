// Key files as a hostile or corrupted file would hold them: PEM framing, OpenSSL's
// private and public key readers, and cosign's encrypted-key JSON. The password source
// fails, so no input can make the fuzzer run scrypt (that cost is bounded separately by
// parse_cosign_key_document, which is fuzzed directly).
#include <cstdint>
#include <string_view>

#include "attest/cosign_key.h"
#include "attest/key_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cairn::attest::PasswordSource no_password = []() -> cairn::Result<cairn::SecretString> {
    return cairn::usage_error("no password in the fuzzer");
  };
  (void)cairn::attest::parse_private_key(bytes, no_password, "fuzz.key");
  (void)cairn::attest::PublicKey::from_pem(bytes, "fuzz.pub");
  (void)cairn::attest::PublicKey::from_der(bytes, "fuzz.der");
  (void)cairn::attest::parse_cosign_key_document(bytes, "fuzz.json");
  return 0;
}
