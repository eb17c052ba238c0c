#pragma once
// Writes OCI documents: descriptors, artifact manifests (OCI 1.1: artifactType, the empty
// config, subject) and indexes. Keys come in the order the specs' examples and
// @sigstore/oci use, so cairn's documents look like theirs.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/image_model.h"

namespace cairn::oci {

// The OCI empty descriptor's content: "{}" (sha256:44136fa3…, size 2).
inline constexpr std::string_view kEmptyJson = "{}";
Descriptor empty_config_descriptor();

nlohmann::ordered_json descriptor_json(const Descriptor& d);

struct ArtifactManifest {
  std::string artifact_type;
  std::vector<Descriptor> layers;  // the artifact's blobs
  std::optional<Descriptor> subject;
  std::map<std::string, std::string> annotations;
  Descriptor config = empty_config_descriptor();
};
std::string write_manifest(const ArtifactManifest& manifest);

std::string write_index(const std::vector<Descriptor>& manifests, const std::map<std::string, std::string>& annotations = {});

// A descriptor of a manifest as the referrers API lists it: its media type, digest and
// size, its artifactType (else its config's media type) and its annotations.
Descriptor referrer_descriptor(const Manifest& manifest, const Descriptor& stored);
// An index has no config: its artifactType is the only one it reports.
Descriptor referrer_descriptor(const Index& index, const Descriptor& stored);

// "org.opencontainers.image.created" for new artifacts: SOURCE_DATE_EPOCH when set (for
// reproducible output), else now; RFC 3339 UTC.
std::string creation_timestamp();

}  // namespace cairn::oci
