#pragma once
// Key-based message signatures over blobs: the artifact's digests in one streaming pass,
// signatures checked over a digest (no need to hold a large file), and the check of a
// Sigstore bundle's messageSignature against an artifact and a public key.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/keys.h"
#include "attest/sigstore_bundle.h"
#include "core/error.h"
#include "core/stream.h"

namespace cairn::attest {

// Ed25519 signs the message itself, so a blob signed or verified with it is held whole:
// up to this size. Other algorithms sign a digest and stream files of any size.
inline constexpr std::size_t kMaxWholeMessageBytes = 1u << 30;

// The digest a key's signatures are made over (see keys.h); nullopt for Ed25519.
std::optional<HashAlgorithm> signature_hash(KeyAlgorithm algorithm);
// The messageDigest algorithm cairn writes for a key: its signature hash, and SHA-512
// for Ed25519 (sigstore-go's algorithm registry pairs PKIX_ED25519 with SHA2_512).
HashAlgorithm message_digest_algorithm(KeyAlgorithm algorithm);

// An artifact as verification sees it: raw digests by algorithm, and its bytes when asked.
struct Artifact {
  std::string name;  // for messages
  std::map<HashAlgorithm, std::string> digests;
  std::optional<std::string> bytes;
};

std::string digest_of(HashAlgorithm algorithm, std::string_view data);

// Reads the stream once, computing each digest; keeps the bytes when keep_bytes (refusing
// more than kMaxWholeMessageBytes then).
Result<Artifact> read_artifact(ByteStream& stream, const std::vector<HashAlgorithm>& algorithms, bool keep_bytes);

// Whether `signature` is valid over the message whose `algorithm` digest is `digest`
// (ECDSA and RSA keys; Ed25519 cannot verify a digest). False for a wrong or malformed
// signature; an error only when the check cannot run.
Result<bool> verify_digest_signature(const PublicKey& key, HashAlgorithm algorithm, std::string_view digest, std::string_view signature);

// Checks a raw signature over the artifact: over its bytes when held, else over its
// digest. A Verification error says why it failed.
Status verify_artifact_signature(const PublicKey& key, const Artifact& artifact, std::string_view signature);

// Checks a bundle's messageSignature made by `key`: the bundle names a public key (not a
// certificate), its messageDigest is the artifact's digest, and the signature verifies.
// A Verification error says which of these failed; `where` names the bundle.
Status verify_bundle_with_key(const Bundle& bundle, const Artifact& artifact, const PublicKey& key, const std::string& where);

// The bundle cairn writes for a key signature over a blob: v0.3, publicKey hint, no log
// entry, messageSignature with the digest of `algorithm`.
Bundle key_message_bundle(const PublicKey& key, HashAlgorithm algorithm, std::string digest, std::string signature);

}  // namespace cairn::attest
