#pragma once
// Signing keys of the algorithms cosign and Sigstore use: ECDSA P-256/P-384/P-521,
// Ed25519 and RSA (2048 bits and up), as OpenSSL 3 EVP keys. Each algorithm has one
// fixed digest, as sigstore-go's defaults: SHA-256 for P-256 and RSA (PKCS#1 v1.5),
// SHA-384 for P-384, SHA-512 for P-521; Ed25519 signs the message itself.
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/secret.h"

namespace cairn::attest {

enum class KeyAlgorithm { EcdsaP256, EcdsaP384, EcdsaP521, Ed25519, Rsa };

// "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "ed25519", "rsa".
std::string algorithm_name(KeyAlgorithm algorithm);

// The digest a signature of this algorithm is made over ("sha256"...); empty for Ed25519.
std::string digest_name(KeyAlgorithm algorithm);

using EvpKey = std::shared_ptr<EVP_PKEY>;

class PublicKey {
 public:
  // A SubjectPublicKeyInfo ("PUBLIC KEY" PEM), or the key of the first CERTIFICATE.
  static Result<PublicKey> from_pem(std::string_view pem, const std::string& where);
  static Result<PublicKey> from_der(std::string_view spki_der, const std::string& where);

  KeyAlgorithm algorithm() const { return algorithm_; }
  std::string der() const;  // SubjectPublicKeyInfo
  std::string pem() const;  // "-----BEGIN PUBLIC KEY-----" …

  // Whether `signature` (ASN.1 DER for ECDSA, raw for Ed25519, PKCS#1 v1.5 for RSA) is
  // valid over `message`. False for a wrong or malformed signature; an error only when
  // the check itself cannot run.
  Result<bool> verify(std::string_view message, std::string_view signature) const;

  const EvpKey& evp() const { return key_; }

 private:
  PublicKey(EvpKey key, KeyAlgorithm algorithm) : key_(std::move(key)), algorithm_(algorithm) {}
  // Takes ownership of an OpenSSL key and checks it is an algorithm cairn verifies with.
  static Result<PublicKey> adopt(EVP_PKEY* key, const std::string& where);
  friend class PrivateKey;
  EvpKey key_;
  KeyAlgorithm algorithm_;
};

class PrivateKey {
 public:
  // ecdsa-p256 | ecdsa-p384 | ed25519 | rsa-3072 (what generate-key-pair offers).
  static Result<PrivateKey> generate(std::string_view algorithm);
  // An unencrypted PKCS#8 PrivateKeyInfo.
  static Result<PrivateKey> from_pkcs8_der(std::string_view der, const std::string& where);
  // An OpenSSL-read key of any form, checked to be an algorithm cairn signs with.
  static Result<PrivateKey> from_evp(EVP_PKEY* key, const std::string& where);

  KeyAlgorithm algorithm() const { return algorithm_; }
  PublicKey public_key() const;
  // Unencrypted PKCS#8 PrivateKeyInfo DER, in a buffer cleared after use.
  Result<SecretString> pkcs8_der() const;

  Result<std::string> sign(std::string_view message) const;

 private:
  PrivateKey(EvpKey key, KeyAlgorithm algorithm) : key_(std::move(key)), algorithm_(algorithm) {}
  EvpKey key_;
  KeyAlgorithm algorithm_;
};

// The algorithm of an OpenSSL key, or an error naming what is not supported ("EC key on
// curve secp256k1", "RSA key of 1024 bits").
Result<KeyAlgorithm> classify_key(EVP_PKEY* key, const std::string& where);

// The last OpenSSL error as text (drains the queue), for messages.
std::string openssl_error_text();

}  // namespace cairn::attest
