#include "verify/image_signatures.h"

#include "attest/blob_verification.h"
#include "attest/cosign_signatures.h"
#include "attest/sigstore_bundle.h"
#include "attest/simple_signing.h"
#include "core/base64.h"

namespace cairn::verify {

namespace {

// Repository part of a docker-reference ("host/repo:tag" or "host/repo@sha256:…" → "host/repo").
std::string repository_of(std::string reference) {
  if (auto at = reference.find('@'); at != std::string::npos) reference.resize(at);
  auto slash = reference.rfind('/');
  auto colon = reference.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) reference.resize(colon);
  return reference;
}

// Payloads by digest: signatures of one image usually sign the same payload, which is
// then fetched once.
using PayloadCache = std::map<std::string, Result<std::string>>;

SignatureCheck check_legacy_layer(oci::Store& store, PayloadCache& payloads, const oci::Descriptor& layer, const std::string& source,
                                  const Digest& digest, const attest::PublicKey& key, const ImageVerifyOptions& options) {
  SignatureCheck check;
  check.form = "legacy";
  check.source = source;
  auto fail = [&](Outcome outcome, std::string reason) {
    check.outcome = outcome;
    check.reason = std::move(reason);
    return check;
  };
  auto annotation = layer.annotations.find(std::string(attest::kCosignSignatureAnnotation));
  if (annotation == layer.annotations.end())
    return fail(Outcome::Malformed, "no " + std::string(attest::kCosignSignatureAnnotation) + " annotation");
  auto signature = base64_decode(annotation->second);
  if (!signature) return fail(Outcome::Malformed, "the signature annotation is not base64 (" + signature.error().message + ")");
  if (layer.size > attest::kMaxPayloadBytes)
    return fail(Outcome::Malformed, "the payload is " + std::to_string(layer.size) + " bytes, more than a signature payload can be");
  auto cached = payloads.find(layer.digest.str());
  if (cached == payloads.end()) cached = payloads.emplace(layer.digest.str(), store.fetch_blob(layer, attest::kMaxPayloadBytes)).first;
  const auto& payload = cached->second;
  if (!payload) return fail(Outcome::Malformed, "its payload could not be read: " + payload.error().message);
  auto valid = key.verify(*payload, *signature);
  if (!valid) return fail(Outcome::Malformed, valid.error().message);
  if (!*valid) {
    // The payload is unproven here, so it only explains: it cannot pass anything.
    auto unproven = attest::parse_simple_signing(*payload, source);
    if (unproven && unproven->manifest_digest != digest.str())
      return fail(Outcome::NotThisKey, "the signature does not verify with this key, and the unsigned payload names " +
                                           unproven->manifest_digest + ": the payload was altered, or signed by another key");
    return fail(Outcome::NotThisKey,
                "the signature does not verify with this key over this image's payload: signed by another key, or the signature was altered");
  }
  auto claims = attest::parse_simple_signing(*payload, source);
  if (!claims) return fail(Outcome::Malformed, "signed, but " + claims.error().message);
  check.docker_reference = claims->docker_reference;
  check.signed_digest = claims->manifest_digest;
  check.annotations = claims->annotations;
  if (claims->type != attest::kSimpleSigningType)
    return fail(Outcome::Malformed, "signed, but the payload type is \"" + claims->type + "\", not \"" +
                                        std::string(attest::kSimpleSigningType) + "\"");
  if (claims->manifest_digest != digest.str())
    return fail(Outcome::OtherImage, "a valid signature for another image, " + claims->manifest_digest + " (" +
                                         claims->docker_reference + "), copied here; it says nothing about " + digest.str());
  for (const auto& [k, v] : options.annotations) {
    auto found = claims->annotations.find(k);
    if (found == claims->annotations.end()) return fail(Outcome::AnnotationMismatch, "signed without the annotation " + k);
    if (found->second != v)
      return fail(Outcome::AnnotationMismatch, "signed with " + k + "=" + found->second + ", not " + k + "=" + v);
  }
  if (options.check_identity && repository_of(claims->docker_reference) != options.expected_reference)
    return fail(Outcome::IdentityMismatch, "signed for " + claims->docker_reference + ", not for " + options.expected_reference);
  check.outcome = Outcome::Verified;
  check.reason = "verified: signed by this key for " + claims->docker_reference + "@" + claims->manifest_digest;
  return check;
}

bool is_bundle_type(std::string_view type) {
  return type == attest::kBundleMediaTypeV03 || type == attest::kBundleMediaTypeV03Legacy || type == attest::kBundleMediaTypeV02 ||
         type == attest::kBundleMediaTypeV01;
}

// A bundle referrer: a messageSignature over this manifest's bytes, made by the key.
// DSSE bundles are attestations (checked by verify-attestation) and are not listed here.
std::optional<SignatureCheck> check_bundle_referrer(oci::Store& store, const oci::Descriptor& referrer, const Digest& digest,
                                                    const attest::Artifact& manifest, const attest::PublicKey& key,
                                                    const ImageVerifyOptions& options) {
  SignatureCheck check;
  check.form = "bundle";
  check.source = "referrer " + referrer.digest.str();
  auto fail = [&](Outcome outcome, std::string reason) {
    check.outcome = outcome;
    check.reason = std::move(reason);
    return check;
  };
  auto fetched = store.fetch_manifest(referrer.digest.str());
  if (!fetched) return fail(Outcome::Malformed, "its manifest could not be read: " + fetched.error().message);
  auto parsed = oci::parse_manifest(fetched->bytes, check.source);
  if (!parsed) return fail(Outcome::Malformed, parsed.error().message);
  if (parsed->layers.empty()) return fail(Outcome::Malformed, "the referrer has no layer holding the bundle");
  auto text = store.fetch_blob(parsed->layers.front(), attest::kMaxBundleBytes);
  if (!text) return fail(Outcome::Malformed, "the bundle could not be read: " + text.error().message);
  auto bundle = attest::parse_bundle(*text, check.source);
  if (!bundle) return fail(Outcome::Malformed, bundle.error().message);
  if (!bundle->message_signature) return std::nullopt;
  const auto& md = bundle->message_signature->message_digest;
  if (md && md->algorithm == attest::HashAlgorithm::Sha256 && md->digest != attest::digest_of(attest::HashAlgorithm::Sha256, *manifest.bytes)) {
    check.signed_digest = "sha256:" + to_hex(reinterpret_cast<const unsigned char*>(md->digest.data()), md->digest.size());
    return fail(Outcome::OtherImage, "a bundle for another manifest, " + check.signed_digest + ", attached here; it says nothing about " +
                                         digest.str());
  }
  if (auto verified = attest::verify_bundle_with_key(*bundle, manifest, key, check.source); !verified)
    return fail(Outcome::NotThisKey, verified.error().message);
  check.signed_digest = digest.str();
  if (!options.annotations.empty())
    return fail(Outcome::AnnotationMismatch, "verified, but a bundle signs the manifest alone and carries no signed annotations");
  if (options.check_identity)
    return fail(Outcome::IdentityMismatch, "verified, but a bundle signs the manifest alone and names no repository");
  check.outcome = Outcome::Verified;
  check.reason = "verified: a Sigstore bundle signed by this key over " + digest.str();
  return check;
}

}  // namespace

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::Verified: return "verified";
    case Outcome::NotThisKey: return "not-this-key";
    case Outcome::OtherImage: return "other-image";
    case Outcome::Malformed: return "malformed";
    case Outcome::AnnotationMismatch: return "annotation-mismatch";
    case Outcome::IdentityMismatch: return "identity-mismatch";
  }
  return "?";
}

bool ImageVerdict::verified() const {
  for (const auto& s : signatures)
    if (s.outcome == Outcome::Verified) return true;
  return false;
}

std::string ImageVerdict::summary() const {
  std::string subject = image + " (" + digest.str() + ")";
  if (signatures.empty()) return "no signatures at all for " + subject + ": nothing in its .sig tag or its referrers";
  std::map<Outcome, int> counts;
  for (const auto& s : signatures) ++counts[s.outcome];
  if (verified())
    return std::to_string(counts[Outcome::Verified]) + " of " + std::to_string(signatures.size()) + " signature(s) of " + subject +
           " verified";
  std::string out = std::to_string(signatures.size()) + " signature(s) for " + subject + ", none valid:";
  auto add = [&](Outcome o, const std::string& what) {
    if (counts[o]) out += " " + std::to_string(counts[o]) + " " + what + ";";
  };
  add(Outcome::NotThisKey, "not made by this key");
  add(Outcome::OtherImage, "a signature for another image, copied here");
  add(Outcome::Malformed, "malformed");
  add(Outcome::AnnotationMismatch, "without the required annotations");
  add(Outcome::IdentityMismatch, "for another repository");
  out.pop_back();
  return out;
}

nlohmann::ordered_json ImageVerdict::to_json() const {
  nlohmann::ordered_json j;
  j["image"] = image;
  j["digest"] = digest.str();
  j["verified"] = verified();
  j["summary"] = summary();
  j["signatures"] = nlohmann::ordered_json::array();
  for (const auto& s : signatures) {
    nlohmann::ordered_json e;
    e["form"] = s.form;
    e["source"] = s.source;
    e["result"] = outcome_name(s.outcome);
    e["reason"] = s.reason;
    if (!s.docker_reference.empty()) e["dockerReference"] = s.docker_reference;
    if (!s.signed_digest.empty()) e["signedDigest"] = s.signed_digest;
    if (!s.annotations.empty()) e["annotations"] = s.annotations;
    j["signatures"].push_back(std::move(e));
  }
  return j;
}

Result<ImageVerdict> verify_image_signatures(oci::Store& store, const std::string& image, const Digest& digest,
                                             std::string_view manifest_bytes, const attest::PublicKey& key,
                                             const ImageVerifyOptions& options) {
  ImageVerdict verdict;
  verdict.image = image;
  verdict.digest = digest;
  auto legacy = attest::read_signature_manifest(store, digest);
  if (!legacy) return std::unexpected(legacy.error());
  if (*legacy) {
    std::string tag = attest::signature_tag(digest);
    PayloadCache payloads;
    for (std::size_t i = 0; i < (*legacy)->layers.size(); ++i) {
      const auto& layer = (*legacy)->layers[i];
      if (layer.media_type != attest::kSimpleSigningMediaType) continue;  // not a signature layer
      verdict.signatures.push_back(check_legacy_layer(store, payloads, layer, tag + " layer " + std::to_string(i), digest, key, options));
    }
  }
  auto referrers = store.referrers(digest);
  if (!referrers) return std::unexpected(referrers.error());
  attest::Artifact manifest{digest.str(), {}, std::string(manifest_bytes)};
  for (const auto& referrer : *referrers) {
    if (!is_bundle_type(referrer.artifact_type)) continue;
    if (auto check = check_bundle_referrer(store, referrer, digest, manifest, key, options)) verdict.signatures.push_back(*check);
  }
  return verdict;
}

}  // namespace cairn::verify
