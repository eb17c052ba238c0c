#pragma once
// Opens an image from disk (OCI layout directory, OCI archive, docker archive) down to
// one platform manifest: its metadata, every document digest-checked, and a way to
// stream each layer blob.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "core/error.h"
#include "core/stream.h"
#include "oci/image_model.h"

namespace cairn::oci {

struct LayerRef {
  std::string media_type;      // empty for docker-archive layers (compression sniffed)
  std::optional<Digest> digest;  // blob digest; unknown for old docker-archive layers
  std::optional<std::uint64_t> size;
  Digest diff_id;              // from the config: the digest of the uncompressed tar
  std::string name;            // for messages, e.g. "layer 2 (sha256:ab…)"
};

struct OpenedImage {
  std::string name;             // repository name for display and purls ("app", "lab/app")
  std::string tag;
  std::optional<Digest> manifest_digest;  // absent for docker archives without a manifest
  std::optional<Digest> index_digest;     // when chosen from an index
  Digest config_digest;
  std::string media_type;
  Platform platform;
  std::vector<LayerRef> layers;
  // Streams layer i's blob as stored (compressed); the caller verifies digests.
  std::function<Result<std::unique_ptr<ByteStream>>(std::size_t)> open_layer;
};

struct ImageRequest {
  std::string tag;        // for layouts: the org.opencontainers.image.ref.name to pick
  std::string digest;     // or a manifest/index digest to pick
  std::optional<Platform> platform;  // default: the host's
};

// Reads a document (manifest, index, config) whole, checked against its descriptor.
using DocumentReader = std::function<Result<std::string>(const Descriptor&)>;
// Streams a layer blob as stored; the layer reader checks its digest.
using LayerOpener = std::function<Result<std::unique_ptr<ByteStream>>(const Descriptor&)>;

// From a manifest or index descriptor down to one platform's image: chooses the
// platform, reads the config, checks that layers and diff_ids agree.
Result<OpenedImage> resolve_image(Descriptor top, const ImageRequest& request, const std::string& where,
                                  const DocumentReader& read_document, const LayerOpener& open_blob);

// Reads and checks a blob whole (manifests, configs): size and digest must match.
Result<std::string> read_verified_blob(const class FileTree& tree, const std::string& path, const Descriptor& d);

Result<OpenedImage> open_oci_layout(const std::string& path, const ImageRequest& request);
Result<OpenedImage> open_oci_archive(const std::string& path, const ImageRequest& request);
Result<OpenedImage> open_docker_archive(const std::string& path, const ImageRequest& request);

}  // namespace cairn::oci
