#pragma once
// Copies an image or index, every platform and blob, between stores with digests
// unchanged; optionally what refers to it (discovery's graph, legacy tags under their
// own tags). Blobs go first, then child manifests, then the top manifest, then the tag,
// so a tag never points at something partial.
#include <string>

#include "oci/target.h"

namespace cairn::oci {

struct CopyOptions {
  bool with_referrers = false;
  unsigned parallel_blobs = 4;
};

struct CopyResult {
  Descriptor top;
  std::size_t manifests = 0;
  std::size_t blobs_copied = 0;
  std::size_t blobs_present = 0;
  std::size_t referrers = 0;
};

Result<CopyResult> copy_image(const Target& source, const Target& destination, const CopyOptions& options);

}  // namespace cairn::oci
