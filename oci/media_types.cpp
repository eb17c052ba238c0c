#include "oci/media_types.h"

namespace cairn::oci::media {

bool is_manifest(std::string_view t) { return t == kOciManifest || t == kDockerManifest; }
bool is_index(std::string_view t) { return t == kOciIndex || t == kDockerManifestList; }

Compression layer_compression(std::string_view t) {
  if (t == kOciLayerTar || t == "application/vnd.oci.image.layer.nondistributable.v1.tar" ||
      t == "application/vnd.docker.image.rootfs.diff.tar")
    return Compression::None;
  if (t == kOciLayerGzip || t == kOciLayerNondistGzip || t == kDockerLayerGzip || t == kDockerForeignLayerGzip)
    return Compression::Gzip;
  if (t == kOciLayerZstd || t == "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")
    return Compression::Zstd;
  return Compression::Unknown;
}

}  // namespace cairn::oci::media
