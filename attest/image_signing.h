#pragma once
// Signs an image in a store: the manifest digest a target resolves to (and, recursively,
// each manifest an index lists), in cosign's legacy form (a simple-signing payload
// appended to the sha256-<hex>.sig tag).
#include <map>
#include <string>
#include <vector>

#include "attest/signer.h"
#include "core/digest.h"
#include "core/error.h"
#include "oci/image_model.h"
#include "oci/store.h"

namespace cairn::attest {

struct ImageSignRequest {
  std::string docker_reference;  // "HOST/REPO", what the payload's identity says
  std::map<std::string, std::string> annotations;
  bool recursive = false;  // an index: also each manifest it lists
};

struct SignedImage {
  Digest digest;
  Digest signature_manifest;  // the .sig manifest after the append
};

// `top` is the manifest or index the target resolved to, with its bytes.
Result<std::vector<SignedImage>> sign_image(oci::Store& store, const oci::Descriptor& top, std::string_view top_bytes,
                                            Signer& signer, const ImageSignRequest& request);

}  // namespace cairn::attest
