#pragma once
// Checks the signatures of one image digest with a public key and says, for each one
// found, why it passed or failed: cosign's legacy .sig layers, and Sigstore bundles
// (messageSignature) attached as referrers by cairn or by other tools. A signature counts only if the key verifies it, its
// payload names this very digest (no replay from another image), and the requested
// annotations and identity match.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attest/keys.h"
#include "core/digest.h"
#include "core/error.h"
#include "oci/store.h"

namespace cairn::verify {

// Why a signature did not count; Verified when it did.
enum class Outcome { Verified, NotThisKey, OtherImage, Malformed, AnnotationMismatch, IdentityMismatch };
std::string outcome_name(Outcome outcome);  // "verified", "not-this-key", "other-image", …

struct SignatureCheck {
  std::string form;    // "legacy" (cosign .sig layer) or "bundle"
  std::string source;  // where it was found, e.g. "sha256-ab….sig layer 0"
  Outcome outcome = Outcome::Malformed;
  std::string reason;  // one sentence
  std::string docker_reference;  // what the payload claims, when readable
  std::string signed_digest;
  std::map<std::string, std::string> annotations;
};

struct ImageVerifyOptions {
  std::map<std::string, std::string> annotations;  // each must be in the signed payload
  bool check_identity = false;                     // the payload's docker-reference must be...
  std::string expected_reference;                  // ...this repository ("HOST/REPO")
};

struct ImageVerdict {
  std::string image;  // as the user named it
  Digest digest;
  std::vector<SignatureCheck> signatures;

  bool verified() const;
  // One paragraph: which of "no signatures at all", "none by this key", "signed for
  // another image", "malformed" happened, or how many verified.
  std::string summary() const;
  nlohmann::ordered_json to_json() const;
};

// `manifest_bytes` are the bytes of `digest` (bundles sign them: their messageDigest is the
// image digest).
Result<ImageVerdict> verify_image_signatures(oci::Store& store, const std::string& image, const Digest& digest,
                                             std::string_view manifest_bytes, const attest::PublicKey& key,
                                             const ImageVerifyOptions& options);

}  // namespace cairn::verify
