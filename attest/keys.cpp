#include "attest/keys.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

namespace cairn::attest {

namespace {

constexpr int kMinRsaBits = 2048;

EvpKey own(EVP_PKEY* key) { return EvpKey(key, EVP_PKEY_free); }

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

const EVP_MD* digest_of(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::EcdsaP256: return EVP_sha256();
    case KeyAlgorithm::EcdsaP384: return EVP_sha384();
    case KeyAlgorithm::EcdsaP521: return EVP_sha512();
    case KeyAlgorithm::Rsa: return EVP_sha256();
    case KeyAlgorithm::Ed25519: return nullptr;
  }
  return nullptr;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

std::string openssl_error_text() {
  unsigned long code = 0, last = 0;
  while ((code = ERR_get_error()) != 0) last = code;
  if (!last) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

std::string algorithm_name(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::EcdsaP256: return "ecdsa-p256";
    case KeyAlgorithm::EcdsaP384: return "ecdsa-p384";
    case KeyAlgorithm::EcdsaP521: return "ecdsa-p521";
    case KeyAlgorithm::Ed25519: return "ed25519";
    case KeyAlgorithm::Rsa: return "rsa";
  }
  return "?";
}

std::string digest_name(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::EcdsaP256:
    case KeyAlgorithm::Rsa: return "sha256";
    case KeyAlgorithm::EcdsaP384: return "sha384";
    case KeyAlgorithm::EcdsaP521: return "sha512";
    case KeyAlgorithm::Ed25519: return "";
  }
  return "";
}

Result<KeyAlgorithm> classify_key(EVP_PKEY* key, const std::string& where) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519: return KeyAlgorithm::Ed25519;
    case EVP_PKEY_RSA: {
      int bits = EVP_PKEY_get_bits(key);
      if (bits < kMinRsaBits)
        return input_error(where + ": RSA key of " + std::to_string(bits) + " bits; cairn signs and verifies with RSA keys of " +
                           std::to_string(kMinRsaBits) + " bits or more");
      return KeyAlgorithm::Rsa;
    }
    case EVP_PKEY_EC: {
      char curve[80] = {0};
      std::size_t len = 0;
      if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve, &len))
        return input_error(where + ": EC key without a named curve (explicit curve parameters are not supported)");
      std::string name(curve, len);
      if (name == "prime256v1" || name == "P-256") return KeyAlgorithm::EcdsaP256;
      if (name == "secp384r1" || name == "P-384") return KeyAlgorithm::EcdsaP384;
      if (name == "secp521r1" || name == "P-521") return KeyAlgorithm::EcdsaP521;
      return input_error(where + ": EC key on curve " + name +
                         ", which Sigstore does not use; supported curves are P-256, P-384 and P-521");
    }
    default:
      return input_error(where + ": a " + std::string(OBJ_nid2sn(EVP_PKEY_get_base_id(key))) +
                         " key; supported are ECDSA (P-256, P-384, P-521), Ed25519 and RSA");
  }
}

// ---- PublicKey ---------------------------------------------------------------------

Result<PublicKey> PublicKey::adopt(EVP_PKEY* key, const std::string& where) {
  auto owned = own(key);
  auto algorithm = classify_key(key, where);
  if (!algorithm) return std::unexpected(algorithm.error());
  return PublicKey(std::move(owned), *algorithm);
}

Result<PublicKey> PublicKey::from_der(std::string_view spki_der, const std::string& where) {
  const auto* p = reinterpret_cast<const unsigned char*>(spki_der.data());
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size()));
  if (!key) return input_error(where + ": not a DER SubjectPublicKeyInfo (" + openssl_error_text() + ")");
  if (p != reinterpret_cast<const unsigned char*>(spki_der.data()) + spki_der.size()) {
    EVP_PKEY_free(key);
    return input_error(where + ": trailing bytes after the public key");
  }
  return adopt(key, where);
}

Result<PublicKey> PublicKey::from_pem(std::string_view pem, const std::string& where) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos &&
      pem.find("-----BEGIN PUBLIC KEY-----") == std::string_view::npos) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert) return input_error(where + ": unreadable CERTIFICATE PEM (" + openssl_error_text() + ")");
    EVP_PKEY* key = X509_get_pubkey(cert);
    X509_free(cert);
    if (!key) return input_error(where + ": the certificate's public key is unreadable (" + openssl_error_text() + ")");
    return adopt(key, where);
  }
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!key)
    return input_error(where + ": no PUBLIC KEY or CERTIFICATE PEM block (" + openssl_error_text() +
                       "); give the .pub file, not the private key");
  return adopt(key, where);
}

std::string PublicKey::der() const {
  unsigned char* out = nullptr;
  int n = i2d_PUBKEY(key_.get(), &out);
  if (n <= 0) return {};
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

std::string PublicKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return bio_text(bio.get());
}

Result<bool> PublicKey::verify(std::string_view message, std::string_view signature) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest_of(algorithm_), nullptr, key_.get()) != 1)
    return input_error("cannot start a signature check: " + openssl_error_text());
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();  // a bad signature leaves parse errors in the queue
  return rc == 1;
}

// ---- PrivateKey --------------------------------------------------------------------

Result<PrivateKey> PrivateKey::generate(std::string_view algorithm) {
  EVP_PKEY* key = nullptr;
  if (algorithm == "ecdsa-p256") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  else if (algorithm == "ecdsa-p384") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  else if (algorithm == "ed25519") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  else if (algorithm == "rsa-3072") key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(3072));
  else
    return usage_error("unknown key algorithm \"" + std::string(algorithm) + "\"; choose ecdsa-p256, ecdsa-p384, ed25519 or rsa-3072");
  if (!key) return input_error("generating a " + std::string(algorithm) + " key failed: " + openssl_error_text());
  return from_evp(key, "generated key");
}

Result<PrivateKey> PrivateKey::from_evp(EVP_PKEY* key, const std::string& where) {
  auto owned = own(key);
  auto algorithm = classify_key(key, where);
  if (!algorithm) return std::unexpected(algorithm.error());
  return PrivateKey(std::move(owned), *algorithm);
}

Result<PrivateKey> PrivateKey::from_pkcs8_der(std::string_view der, const std::string& where) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS8_PRIV_KEY_INFO* info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size()));
  if (!info) return input_error(where + ": the decrypted key is not PKCS#8 (" + openssl_error_text() + ")");
  EVP_PKEY* key = EVP_PKCS82PKEY(info);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!key) return input_error(where + ": the PKCS#8 key is unreadable (" + openssl_error_text() + ")");
  return from_evp(key, where);
}

PublicKey PrivateKey::public_key() const {
  // Through DER: the public half alone, with no private material attached.
  unsigned char* out = nullptr;
  int n = i2d_PUBKEY(key_.get(), &out);
  std::string der(reinterpret_cast<char*>(out), n > 0 ? static_cast<std::size_t>(n) : 0);
  OPENSSL_free(out);
  auto key = PublicKey::from_der(der, "public key");
  return std::move(*key);  // our own key always round-trips
}

Result<SecretString> PrivateKey::pkcs8_der() const {
  PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key_.get());
  if (!info) return input_error("cannot encode the private key as PKCS#8: " + openssl_error_text());
  unsigned char* out = nullptr;
  int n = i2d_PKCS8_PRIV_KEY_INFO(info, &out);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (n <= 0) return input_error("cannot encode the private key as PKCS#8: " + openssl_error_text());
  SecretString der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_clear_free(out, static_cast<std::size_t>(n));
  return der;
}

Result<std::string> PrivateKey::sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_of(algorithm_), nullptr, key_.get()) != 1)
    return input_error("cannot start signing: " + openssl_error_text());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &size, data, message.size()) != 1)
    return input_error("signing failed: " + openssl_error_text());
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data, message.size()) != 1)
    return input_error("signing failed: " + openssl_error_text());
  signature.resize(size);
  return signature;
}

}  // namespace cairn::attest
