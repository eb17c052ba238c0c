#pragma once
// cosign's encrypted private key format (go-tuf's "encrypted" JSON), the body of the PEM
// blocks "ENCRYPTED SIGSTORE PRIVATE KEY" (cosign 2) and "ENCRYPTED COSIGN PRIVATE KEY"
// (older cosign, what skopeo reads):
//   {"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":B64},
//    "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}
// ciphertext is secretbox(PKCS#8 DER) under scrypt(password, salt) (32 bytes), MAC first
// as Go's secretbox.Seal writes it. scrypt and secretbox come from libsodium.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret.h"

namespace cairn::attest {

inline constexpr std::string_view kSigstoreKeyLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";
inline constexpr std::string_view kCosignKeyLabel = "ENCRYPTED COSIGN PRIVATE KEY";

// The JSON document (compact, cosign's key order) for a PKCS#8 key, with a fresh random
// salt and nonce and cosign's parameters (N=32768, r=8, p=1).
Result<std::string> encrypt_cosign_key(std::string_view pkcs8_der, std::string_view password);

// The document's fields, checked: only scrypt and nacl/secretbox; N a power of two up
// to 2^20, r up to 32, p up to 16, and at most 256 MiB of scrypt memory, so a hostile
// file cannot exhaust memory; a 24-byte nonce.
struct CosignKeyDocument {
  std::uint64_t n = 0;
  std::uint32_t r = 0, p = 0;
  std::string salt, nonce, ciphertext;
};
Result<CosignKeyDocument> parse_cosign_key_document(std::string_view json_text, const std::string& where);

// The PKCS#8 DER inside such a document. Parameters are bounded (N up to 2^20, 256 MiB of
// scrypt memory) so a hostile file cannot exhaust memory; a wrong password and a
// corrupted ciphertext are one error, as secretbox cannot tell them apart.
Result<SecretString> decrypt_cosign_key(std::string_view json_text, std::string_view password, const std::string& where);

}  // namespace cairn::attest
