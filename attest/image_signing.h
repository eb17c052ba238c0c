#pragma once
// Signs an image in a store: the manifest digest a target resolves to (and, recursively,
// each manifest an index lists), in cosign's legacy form (a simple-signing payload
// appended to the sha256-<hex>.sig tag), as a Sigstore bundle v0.3 referrer (a
// messageSignature over the manifest's bytes, so its messageDigest is the image digest),
// or both.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attest/signer.h"
#include "core/digest.h"
#include "core/error.h"
#include "oci/image_model.h"
#include "oci/store.h"

namespace cairn::attest {

enum class SignatureFormat { Legacy, Bundle, Both };

struct ImageSignRequest {
  std::string docker_reference;  // "HOST/REPO", what the payload's identity says
  std::map<std::string, std::string> annotations;  // signed into the legacy payload
  bool recursive = false;  // an index: also each manifest it lists
  SignatureFormat format = SignatureFormat::Both;
};

struct SignedImage {
  Digest digest;
  std::optional<Digest> signature_manifest;  // the .sig manifest after the append
  std::optional<Digest> bundle_referrer;     // the referrer manifest holding the bundle
};

// `top` is the manifest or index the target resolved to, with its bytes.
Result<std::vector<SignedImage>> sign_image(oci::Store& store, const oci::Descriptor& top, std::string_view top_bytes,
                                            Signer& signer, const ImageSignRequest& request);

}  // namespace cairn::attest
