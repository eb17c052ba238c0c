#pragma once
// What signs. Callers (sign, sign-blob, attest) hold a Signer and never know whether a
// key file, a keyless certificate (Fulcio), a KMS or a PKCS#11 token is behind it.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "attest/keys.h"
#include "core/error.h"

namespace cairn::attest {

class Signer {
 public:
  virtual ~Signer() = default;

  // A signature over `message` with the key's fixed digest (see keys.h): ASN.1 DER for
  // ECDSA, raw for Ed25519, PKCS#1 v1.5 for RSA.
  virtual Result<std::string> sign(std::string_view message) = 0;

  virtual const PublicKey& public_key() const = 0;

  // PEM certificates, leaf first, when the key is certified (keyless); empty otherwise.
  virtual std::vector<std::string> certificate_chain() const { return {}; }
};

// A private key held in memory (from a key file).
class KeySigner final : public Signer {
 public:
  explicit KeySigner(PrivateKey key) : key_(std::move(key)), public_key_(key_.public_key()) {}
  Result<std::string> sign(std::string_view message) override { return key_.sign(message); }
  const PublicKey& public_key() const override { return public_key_; }

 private:
  PrivateKey key_;
  PublicKey public_key_;
};

}  // namespace cairn::attest
