#include "attest/image_signing.h"

#include "attest/blob_verification.h"
#include "attest/cosign_signatures.h"
#include "attest/sigstore_bundle.h"
#include "attest/simple_signing.h"
#include "core/base64.h"
#include "oci/attach.h"
#include "oci/media_types.h"

namespace cairn::attest {

namespace {

Result<Digest> sign_legacy(oci::Store& store, const Digest& digest, Signer& signer, const ImageSignRequest& request) {
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
  return *appended;
}

// A messageSignature over the manifest bytes, attached to the manifest as a referrer the
// way sigstore-js (GitHub's attest action) attaches bundles.
Result<Digest> sign_bundle(oci::Store& store, const oci::Descriptor& manifest, std::string_view bytes, Signer& signer) {
  auto signature = signer.sign(bytes);
  if (!signature) return std::unexpected(signature.error());
  HashAlgorithm algorithm = message_digest_algorithm(signer.public_key().algorithm());
  auto bundle = write_bundle(key_message_bundle(signer.public_key(), algorithm, digest_of(algorithm, bytes), *signature));
  if (!bundle) return std::unexpected(bundle.error());
  oci::AttachRequest request;
  request.artifact_type = std::string(kBundleMediaTypeV03);
  request.files.push_back({"", *bundle, std::string(kBundleMediaTypeV03), ""});
  request.annotations["dev.sigstore.bundle.content"] = "message-signature";
  auto attached = oci::attach_artifact(store, manifest, request);
  if (!attached) return std::unexpected(attached.error().context("attaching the bundle of " + manifest.digest.str()));
  return attached->manifest.digest;
}

Result<SignedImage> sign_one(oci::Store& store, const oci::Descriptor& manifest, std::string_view bytes, Signer& signer,
                             const ImageSignRequest& request) {
  SignedImage out{manifest.digest, std::nullopt, std::nullopt};
  if (request.format != SignatureFormat::Bundle) {
    auto legacy = sign_legacy(store, manifest.digest, signer, request);
    if (!legacy) return std::unexpected(legacy.error());
    out.signature_manifest = *legacy;
  }
  if (request.format != SignatureFormat::Legacy) {
    auto bundle = sign_bundle(store, manifest, bytes, signer);
    if (!bundle) return std::unexpected(bundle.error());
    out.bundle_referrer = *bundle;
  }
  return out;
}

}  // namespace

Result<std::vector<SignedImage>> sign_image(oci::Store& store, const oci::Descriptor& top, std::string_view top_bytes,
                                            Signer& signer, const ImageSignRequest& request) {
  std::vector<SignedImage> signed_images;
  auto first = sign_one(store, top, top_bytes, signer, request);
  if (!first) return std::unexpected(first.error());
  signed_images.push_back(*first);
  if (!request.recursive || !oci::media::is_index(top.media_type)) return signed_images;
  auto index = oci::parse_index(top_bytes, "index " + top.digest.str());
  if (!index) return std::unexpected(index.error());
  for (const auto& child : index->manifests) {
    if (!oci::media::is_manifest(child.media_type) && !oci::media::is_index(child.media_type)) continue;
    auto fetched = store.fetch_manifest(child.digest.str());
    if (!fetched) return std::unexpected(fetched.error());
    auto signed_child = sign_one(store, child, fetched->bytes, signer, request);
    if (!signed_child) return std::unexpected(signed_child.error());
    signed_images.push_back(*signed_child);
  }
  return signed_images;
}

}  // namespace cairn::attest
