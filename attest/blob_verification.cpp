#include "attest/blob_verification.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

#include "core/digest.h"

namespace cairn::attest {

namespace {

const EVP_MD* evp_md(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::Sha256: return EVP_sha256();
    case HashAlgorithm::Sha384: return EVP_sha384();
    case HashAlgorithm::Sha512: return EVP_sha512();
  }
  return nullptr;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

std::string hex_of(std::string_view raw) { return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size()); }

std::unexpected<Error> not_verified(std::string message) { return fail(ErrorKind::Verification, std::move(message)); }

}  // namespace

std::optional<HashAlgorithm> signature_hash(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::EcdsaP256:
    case KeyAlgorithm::Rsa: return HashAlgorithm::Sha256;
    case KeyAlgorithm::EcdsaP384: return HashAlgorithm::Sha384;
    case KeyAlgorithm::EcdsaP521: return HashAlgorithm::Sha512;
    case KeyAlgorithm::Ed25519: return std::nullopt;
  }
  return std::nullopt;
}

HashAlgorithm message_digest_algorithm(KeyAlgorithm algorithm) { return signature_hash(algorithm).value_or(HashAlgorithm::Sha512); }

std::string digest_of(HashAlgorithm algorithm, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, evp_md(algorithm), nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

Result<Artifact> read_artifact(ByteStream& stream, const std::vector<HashAlgorithm>& algorithms, bool keep_bytes) {
  Artifact artifact{stream.name(), {}, std::nullopt};
  std::map<HashAlgorithm, std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>> contexts;
  for (HashAlgorithm a : algorithms) {
    if (contexts.contains(a)) continue;
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), evp_md(a), nullptr) != 1) return input_error("cannot start a digest: " + openssl_error_text());
    contexts.emplace(a, std::move(ctx));
  }
  if (keep_bytes) artifact.bytes.emplace();
  std::string buffer(1 << 16, '\0');
  for (;;) {
    auto n = stream.read(buffer.data(), buffer.size());
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    for (auto& [a, ctx] : contexts) EVP_DigestUpdate(ctx.get(), buffer.data(), *n);
    if (keep_bytes) {
      if (artifact.bytes->size() + *n > kMaxWholeMessageBytes)
        return input_error(stream.name() + ": larger than " + std::to_string(kMaxWholeMessageBytes >> 20) +
                           " MiB, the most cairn holds in memory for an Ed25519 signature (which covers the whole message); "
                           "use an ECDSA or RSA key for larger files");
      artifact.bytes->append(buffer.data(), *n);
    }
  }
  for (auto& [a, ctx] : contexts) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), out, &size);
    artifact.digests[a] = std::string(reinterpret_cast<const char*>(out), size);
  }
  return artifact;
}

Result<bool> verify_digest_signature(const PublicKey& key, HashAlgorithm algorithm, std::string_view digest, std::string_view signature) {
  if (key.algorithm() == KeyAlgorithm::Ed25519)
    return input_error("an Ed25519 signature covers the whole message and cannot be checked from a digest alone");
  if (digest.size() != hash_algorithm_size(algorithm)) return false;
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.evp().get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), evp_md(algorithm)) != 1)
    return input_error("cannot start a signature check: " + openssl_error_text());
  if (key.algorithm() == KeyAlgorithm::Rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)
    return input_error("cannot start a signature check: " + openssl_error_text());
  int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                           reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  ERR_clear_error();  // a bad signature leaves parse errors in the queue
  return rc == 1;
}

Status verify_artifact_signature(const PublicKey& key, const Artifact& artifact, std::string_view signature) {
  Result<bool> ok = false;
  if (artifact.bytes) {
    ok = key.verify(*artifact.bytes, signature);
  } else {
    auto hash = signature_hash(key.algorithm());
    if (!hash) return input_error(artifact.name + ": an Ed25519 signature can only be checked over the whole file, not a digest");
    auto digest = artifact.digests.find(*hash);
    if (digest == artifact.digests.end())
      return input_error(artifact.name + ": a " + algorithm_name(key.algorithm()) + " signature is checked over the " +
                         std::string(hash_algorithm_name(*hash)) + " digest, which is not known");
    ok = verify_digest_signature(key, *hash, digest->second, signature);
  }
  if (!ok) return std::unexpected(ok.error());
  if (!*ok)
    return not_verified("the signature does not verify over " + artifact.name + " with the " + algorithm_name(key.algorithm()) +
                        " key given: the file was changed after signing, or it was signed by another key");
  return {};
}

Status verify_bundle_with_key(const Bundle& bundle, const Artifact& artifact, const PublicKey& key, const std::string& where) {
  if (!bundle.message_signature)
    return not_verified(where + ": holds a DSSE envelope (an attestation), not a signature over a blob");
  if (bundle.verification_material.kind != VerificationMaterial::Kind::PublicKey)
    return not_verified(where + ": is certified by a certificate (keyless signing), not made with a key; verify it by identity");
  const MessageSignature& s = *bundle.message_signature;
  if (s.message_digest) {
    HashAlgorithm a = s.message_digest->algorithm;
    std::string name(hash_algorithm_name(a));
    auto ours = artifact.digests.find(a);
    if (ours == artifact.digests.end()) {
      if (!artifact.bytes) return input_error(where + ": messageDigest is " + name + ", but only other digests of " + artifact.name + " are known");
      auto computed = digest_of(a, *artifact.bytes);
      if (!constant_time_equal(computed, s.message_digest->digest))
        return not_verified(where + ": messageDigest " + name + ":" + hex_of(s.message_digest->digest) + " is not the digest of " +
                            artifact.name + " (" + name + ":" + hex_of(computed) + "); the bundle was made for other content");
    } else if (!constant_time_equal(ours->second, s.message_digest->digest)) {
      return not_verified(where + ": messageDigest " + name + ":" + hex_of(s.message_digest->digest) + " is not the digest of " +
                          artifact.name + " (" + name + ":" + hex_of(ours->second) + "); the bundle was made for other content");
    }
  }
  if (auto checked = verify_artifact_signature(key, artifact, s.signature); !checked) return std::unexpected(checked.error().context(where));
  return {};
}

Bundle key_message_bundle(const PublicKey& key, HashAlgorithm algorithm, std::string digest, std::string signature) {
  Bundle bundle;
  bundle.verification_material.kind = VerificationMaterial::Kind::PublicKey;
  bundle.verification_material.public_key_hint = public_key_hint(key.der());
  bundle.message_signature = MessageSignature{MessageDigest{algorithm, std::move(digest)}, std::move(signature)};
  return bundle;
}

}  // namespace cairn::attest
