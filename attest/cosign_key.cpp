#include "attest/cosign_key.h"

#include <sodium.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "core/base64.h"

namespace cairn::attest {

namespace {

constexpr std::uint64_t kCosignN = 32768;
constexpr std::uint32_t kCosignR = 8, kCosignP = 1;
constexpr std::uint64_t kMaxN = 1u << 20;
constexpr std::uint64_t kMaxScryptBytes = 256u << 20;  // 128 * N * r
constexpr std::size_t kSaltBytes = 32;
constexpr std::size_t kMaxCiphertextBytes = 64 * 1024;
constexpr std::size_t kKeyBytes = crypto_secretbox_KEYBYTES;

Status ensure_sodium() {
  static const int rc = sodium_init();
  if (rc < 0) return input_error("libsodium failed to initialise");
  return {};
}

Result<SecretString> scrypt_key(std::string_view password, std::string_view salt, std::uint64_t n, std::uint32_t r,
                                std::uint32_t p) {
  SecretString key(std::string(kKeyBytes, '\0'));
  if (crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const std::uint8_t*>(password.data()), password.size(),
                                            reinterpret_cast<const std::uint8_t*>(salt.data()), salt.size(), n, r, p,
                                            reinterpret_cast<std::uint8_t*>(key.mutable_value().data()), kKeyBytes) != 0)
    return input_error("scrypt failed (out of memory?)");
  return key;
}

// A string field holding base64, decoded; `where` names the field.
Result<std::string> base64_field(const nlohmann::json& object, const char* field, const std::string& where) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_string()) return input_error(where + "." + field + " must be a base64 string");
  auto decoded = base64_decode(it->get<std::string>());
  if (!decoded) return std::unexpected(decoded.error().context(where + "." + field));
  return std::move(*decoded);
}

Result<std::uint64_t> number_field(const nlohmann::json& object, const char* field, const std::string& where) {
  auto it = object.find(field);
  if (it == object.end() || !it->is_number_unsigned()) return input_error(where + "." + field + " must be a positive integer");
  return it->get<std::uint64_t>();
}

}  // namespace

Result<std::string> encrypt_cosign_key(std::string_view pkcs8_der, std::string_view password) {
  if (auto ok = ensure_sodium(); !ok) return std::unexpected(ok.error());
  std::string salt(kSaltBytes, '\0'), nonce(crypto_secretbox_NONCEBYTES, '\0');
  randombytes_buf(salt.data(), salt.size());
  randombytes_buf(nonce.data(), nonce.size());
  auto key = scrypt_key(password, salt, kCosignN, kCosignR, kCosignP);
  if (!key) return std::unexpected(key.error());
  std::string box(pkcs8_der.size() + crypto_secretbox_MACBYTES, '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(box.data()), reinterpret_cast<const unsigned char*>(pkcs8_der.data()),
                        pkcs8_der.size(), reinterpret_cast<const unsigned char*>(nonce.data()),
                        reinterpret_cast<const unsigned char*>(key->data()));
  nlohmann::ordered_json doc;
  doc["kdf"]["name"] = "scrypt";
  doc["kdf"]["params"]["N"] = kCosignN;
  doc["kdf"]["params"]["r"] = kCosignR;
  doc["kdf"]["params"]["p"] = kCosignP;
  doc["kdf"]["salt"] = base64_encode(salt);
  doc["cipher"]["name"] = "nacl/secretbox";
  doc["cipher"]["nonce"] = base64_encode(nonce);
  doc["ciphertext"] = base64_encode(box);
  return doc.dump();
}

Result<CosignKeyDocument> parse_cosign_key_document(std::string_view json_text, const std::string& where) {
  auto doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return input_error(where + ": the encrypted key is not a JSON object");
  auto kdf = doc.find("kdf");
  auto cipher = doc.find("cipher");
  if (kdf == doc.end() || !kdf->is_object()) return input_error(where + ": field \"kdf\" must be an object");
  if (cipher == doc.end() || !cipher->is_object()) return input_error(where + ": field \"cipher\" must be an object");
  auto kdf_name = kdf->find("name");
  if (kdf_name == kdf->end() || *kdf_name != "scrypt")
    return input_error(where + ": kdf.name must be \"scrypt\" (the only key derivation cosign writes)");
  auto cipher_name = cipher->find("name");
  if (cipher_name == cipher->end() || *cipher_name != "nacl/secretbox")
    return input_error(where + ": cipher.name must be \"nacl/secretbox\" (the only cipher cosign writes)");
  auto params = kdf->find("params");
  if (params == kdf->end() || !params->is_object()) return input_error(where + ": kdf.params must be an object");
  auto n = number_field(*params, "N", where + ": kdf.params");
  auto r = number_field(*params, "r", where + ": kdf.params");
  auto p = number_field(*params, "p", where + ": kdf.params");
  for (const auto* v : {&n, &r, &p})
    if (!*v) return std::unexpected(v->error());
  if (*n < 2 || *n > kMaxN || (*n & (*n - 1)) != 0 || *r < 1 || *r > 32 || *p < 1 || *p > 16 || 128 * *n * *r > kMaxScryptBytes)
    return input_error(where + ": scrypt parameters N=" + std::to_string(*n) + " r=" + std::to_string(*r) + " p=" + std::to_string(*p) +
                       " are outside what cairn accepts (N a power of two up to 2^20, r up to 32, p up to 16, at most 256 MiB); "
                       "cosign writes N=32768 r=8 p=1");
  CosignKeyDocument out;
  out.n = *n;
  out.r = static_cast<std::uint32_t>(*r);
  out.p = static_cast<std::uint32_t>(*p);
  auto salt = base64_field(*kdf, "salt", where + ": kdf");
  if (!salt) return std::unexpected(salt.error());
  auto nonce = base64_field(*cipher, "nonce", where + ": cipher");
  if (!nonce) return std::unexpected(nonce.error());
  if (nonce->size() != crypto_secretbox_NONCEBYTES)
    return input_error(where + ": cipher.nonce is " + std::to_string(nonce->size()) + " bytes, not " +
                       std::to_string(crypto_secretbox_NONCEBYTES));
  auto ciphertext = base64_field(doc, "ciphertext", where);
  if (!ciphertext) return std::unexpected(ciphertext.error());
  if (ciphertext->size() <= crypto_secretbox_MACBYTES || ciphertext->size() > kMaxCiphertextBytes)
    return input_error(where + ": ciphertext of " + std::to_string(ciphertext->size()) + " bytes is not an encrypted key");
  out.salt = std::move(*salt);
  out.nonce = std::move(*nonce);
  out.ciphertext = std::move(*ciphertext);
  return out;
}

Result<SecretString> decrypt_cosign_key(std::string_view json_text, std::string_view password, const std::string& where) {
  if (auto ok = ensure_sodium(); !ok) return std::unexpected(ok.error());
  auto doc = parse_cosign_key_document(json_text, where);
  if (!doc) return std::unexpected(doc.error());
  auto key = scrypt_key(password, doc->salt, doc->n, doc->r, doc->p);
  if (!key) return std::unexpected(key.error());
  SecretString plain(std::string(doc->ciphertext.size() - crypto_secretbox_MACBYTES, '\0'));
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.mutable_value().data()),
                                 reinterpret_cast<const unsigned char*>(doc->ciphertext.data()), doc->ciphertext.size(),
                                 reinterpret_cast<const unsigned char*>(doc->nonce.data()),
                                 reinterpret_cast<const unsigned char*>(key->data())) != 0)
    return input_error(where + ": wrong password, or the key file is corrupted (decryption failed)");
  return plain;
}

}  // namespace cairn::attest
