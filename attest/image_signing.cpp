#include "attest/image_signing.h"

#include "attest/cosign_signatures.h"
#include "attest/simple_signing.h"
#include "core/base64.h"
#include "oci/media_types.h"

namespace cairn::attest {

namespace {

Result<SignedImage> sign_one(oci::Store& store, const Digest& digest, Signer& signer, const ImageSignRequest& request) {
  std::string payload = simple_signing_payload(request.docker_reference, digest, request.annotations);
  auto signature = signer.sign(payload);
  if (!signature) return std::unexpected(signature.error());
  std::map<std::string, std::string> annotations{{std::string(kCosignSignatureAnnotation), base64_encode(*signature)}};
  auto chain = signer.certificate_chain();
  if (!chain.empty()) {
    annotations["dev.sigstore.cosign/certificate"] = chain.front();
    std::string rest;
    for (std::size_t i = 1; i < chain.size(); ++i) rest += chain[i];
    if (!rest.empty()) annotations["dev.sigstore.cosign/chain"] = rest;
  }
  auto appended = append_signature(store, digest, payload, annotations);
  if (!appended) return std::unexpected(appended.error().context("storing the signature of " + digest.str()));
  return SignedImage{digest, *appended};
}

}  // namespace

Result<std::vector<SignedImage>> sign_image(oci::Store& store, const oci::Descriptor& top, std::string_view top_bytes,
                                            Signer& signer, const ImageSignRequest& request) {
  std::vector<SignedImage> signed_images;
  auto first = sign_one(store, top.digest, signer, request);
  if (!first) return std::unexpected(first.error());
  signed_images.push_back(*first);
  if (!request.recursive || !oci::media::is_index(top.media_type)) return signed_images;
  auto index = oci::parse_index(top_bytes, "index " + top.digest.str());
  if (!index) return std::unexpected(index.error());
  for (const auto& child : index->manifests) {
    if (!oci::media::is_manifest(child.media_type) && !oci::media::is_index(child.media_type)) continue;
    auto signed_child = sign_one(store, child.digest, signer, request);
    if (!signed_child) return std::unexpected(signed_child.error());
    signed_images.push_back(*signed_child);
  }
  return signed_images;
}

}  // namespace cairn::attest
