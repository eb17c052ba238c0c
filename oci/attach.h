#pragma once
// Attaches files to an image as an OCI 1.1 referrer: each file a layer blob, the empty
// config, artifactType, subject and annotations, pushed to the subject's store (which
// records the referrer by API, tag schema or index.json). Used by `cairn attach` and by
// `cairn sbom --attach`; signatures and attestations reuse it in later commands.
#include <map>
#include <string>
#include <vector>

#include "oci/store.h"

namespace cairn::oci {

struct ArtifactFile {
  std::string path;        // read from disk (streamed, hashed first) ...
  std::string bytes;       // ... or these bytes when path is empty
  std::string media_type;  // the layer's media type
  std::string title;       // org.opencontainers.image.title; default: the file's name
};

struct AttachRequest {
  std::string artifact_type;
  std::vector<ArtifactFile> files;
  std::map<std::string, std::string> annotations;  // on the manifest; org.opencontainers.image.created added unless given
};

struct Attached {
  Descriptor manifest;  // as the referrers API lists it (artifactType, annotations)
  std::string bytes;    // the manifest
};

Result<Attached> attach_artifact(Store& store, const Descriptor& subject, const AttachRequest& request);

}  // namespace cairn::oci
