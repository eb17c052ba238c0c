#pragma once
// Sigstore bundles (protobuf-specs dev.sigstore.bundle.v1.Bundle) in their protobuf-JSON
// form: camelCase names, bytes as standard base64, zero values omitted, fields in the
// order the .proto declares them (as sigstore-go's protojson and sigstore-js write them).
// cairn writes v0.3 and reads v0.1 to v0.3. Transparency-log entries and timestamps are
// kept as raw JSON here; the keyless verifier interprets them.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::attest {

inline constexpr std::string_view kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kBundleMediaTypeV02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
inline constexpr std::string_view kBundleMediaTypeV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
// The v0.3 media type in the older spelling, which some v0.3 bundles carry.
inline constexpr std::string_view kBundleMediaTypeV03Legacy = "application/vnd.dev.sigstore.bundle+json;version=0.3";

// A bundle holds DSSE payloads (SBOMs can be large) but nothing near this.
inline constexpr std::size_t kMaxBundleBytes = 64u << 20;

// protobuf-specs HashAlgorithm values a message digest may carry.
enum class HashAlgorithm { Sha256, Sha384, Sha512 };
std::string_view hash_algorithm_json_name(HashAlgorithm algorithm);  // "SHA2_256"…
std::string_view hash_algorithm_name(HashAlgorithm algorithm);       // "sha256"…
std::size_t hash_algorithm_size(HashAlgorithm algorithm);             // 32, 48, 64

struct MessageDigest {
  HashAlgorithm algorithm = HashAlgorithm::Sha256;
  std::string digest;  // raw bytes
};

struct MessageSignature {
  std::optional<MessageDigest> message_digest;  // optional in the spec; cairn always writes it
  std::string signature;                        // raw bytes
};

struct DsseSignature {
  std::string sig;    // raw bytes
  std::string keyid;  // empty when absent
};

struct DsseEnvelope {
  std::string payload;  // raw bytes
  std::string payload_type;
  std::vector<DsseSignature> signatures;
};

struct VerificationMaterial {
  enum class Kind { PublicKey, X509CertificateChain, Certificate };
  Kind kind = Kind::PublicKey;
  std::string public_key_hint;                // publicKey.hint (may be empty)
  std::vector<std::string> certificates_der;  // chain leaf first; exactly one for Certificate
  std::string tlog_entries_json;              // raw JSON array; empty when absent or empty
  std::string timestamp_verification_data_json;  // raw JSON object; empty when absent
};

struct Bundle {
  std::string media_type = std::string(kBundleMediaTypeV03);
  VerificationMaterial verification_material;
  std::optional<MessageSignature> message_signature;  // exactly one of these two
  std::optional<DsseEnvelope> dsse_envelope;
};

// The protobuf-JSON text of the bundle (compact, no trailing newline).
Result<std::string> write_bundle(const Bundle& bundle);

// Reads a bundle, strictly: known media types only, each field of its JSON type, base64
// that decodes, duplicate keys refused, at most kMaxBundleBytes. `where` names the file
// in errors, which also name the field ("b.json: messageSignature.signature: …").
Result<Bundle> parse_bundle(std::string_view json_text, const std::string& where);

// The key hint cosign and sigstore-go write: base64 of SHA-256 over the DER
// SubjectPublicKeyInfo.
std::string public_key_hint(std::string_view spki_der);

}  // namespace cairn::attest
