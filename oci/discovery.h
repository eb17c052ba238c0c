#pragma once
// Everything that refers to an image, from every place tools put it: the referrers API
// or the referrers tag schema (Store::referrers), cosign's legacy tags
// (sha256-<hex>.sig / .att / .sbom), and BuildKit attestation manifests inside an image
// index. Followed recursively (a signature of an SBOM), each manifest listed once.
#include <string>
#include <vector>

#include "oci/store.h"

namespace cairn::oci {

struct ReferrerNode {
  Descriptor descriptor;  // mediaType, digest, size, artifactType, annotations
  std::string source;     // "referrers", "cosign-tag sha256-….sig", "buildkit-attestation"
  std::string tag;        // the legacy tag it was found under, if any
  std::vector<ReferrerNode> referrers;
};

struct DiscoverOptions {
  std::string artifact_type;  // only nodes of this type (their descendants are still searched)
  int max_depth = 8;
  bool legacy_tags = true;
  std::size_t max_nodes = 10000;  // a registry cannot make discovery run forever
};

// cosign's artifact types for its legacy tags, as cosign names them in OCI 1.1 mode.
inline constexpr const char* kCosignSignatureType = "application/vnd.dev.cosign.artifact.sig.v1+json";
inline constexpr const char* kCosignAttestationType = "application/vnd.dev.cosign.artifact.att.v1+json";
inline constexpr const char* kCosignSbomType = "application/vnd.dev.cosign.artifact.sbom.v1+json";

// `subject` is the image's manifest or index as fetched; for an index, BuildKit
// attestation manifests inside it are listed as referrers of the platform manifests they
// describe, under that index.
Result<std::vector<ReferrerNode>> discover(Store& store, const FetchedManifest& subject, const DiscoverOptions& options);

}  // namespace cairn::oci
