#pragma once
// Writes small container images by hand for the hostile-input tests: OCI image layouts
// (blobs/sha256/<hex>, index.json, oci-layout) and docker-save archives, from layer tar
// streams built in memory. Everything the tests tamper with afterwards (a blob, a
// diff_id, a descriptor) is reachable through the returned digests.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {

inline constexpr const char* kTarLayerType = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kGzipLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";

// One layer: the blob as stored, its media type, and the digest of the uncompressed tar.
struct Layer {
  std::string blob;
  std::string media_type;
  std::string diff_id;  // "sha256:<hex>"
};

Layer tar_layer(const std::string& tar);
Layer gzip_layer(const std::string& tar);
std::string gzip(const std::string& bytes);

// A pax tar stream of sparse files (path, size): each one hole but for 4 KiB of data at
// its end, so the stream stays small whatever the size; then the regular files given.
std::string tar_with_sparse_files(const std::vector<std::pair<std::string, std::uint64_t>>& sparse,
                                  const std::vector<std::pair<std::string, std::string>>& files);

// A dpkg status stanza for an installed package.
std::string dpkg_stanza(const std::string& name, const std::string& version, const std::string& extra = "");

struct WrittenImage {
  std::string manifest_hex;
  std::string config_hex;
  std::vector<std::string> layer_hex;
  std::string manifest_json;
  std::string config_json;
};

struct ImageOptions {
  std::vector<std::string> diff_ids;  // replaces the layers' true diff_ids when non-empty
  std::string tag = "latest";
};

// Writes an OCI image layout at `dir` holding one image of `layers`.
WrittenImage write_oci_layout(const fs::path& dir, const std::vector<Layer>& layers, const ImageOptions& options = {});

// Rewrites index.json to point at one manifest descriptor with the given digest and size.
void write_index(const fs::path& dir, const std::string& manifest_hex, std::uint64_t size, const std::string& tag = "latest");

fs::path blob_path(const fs::path& layout, const std::string& hex);

// A `docker save` archive (uncompressed tar): manifest.json, <config hex>.json and
// <n>/layer.tar per layer. `listed_layers` replaces the layer paths manifest.json names
// when non-empty (to name files that are not there).
std::string docker_archive(const std::vector<Layer>& layers, const std::vector<std::string>& listed_layers = {});

// The bytes of an OCI layout directory as an archive (an oci-archive: input).
std::string tar_directory(const fs::path& dir);

}  // namespace cairn::e2e
