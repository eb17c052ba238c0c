#include "oci/attach.h"

#include <filesystem>

#include "oci/image_writer.h"
#include "oci/media_types.h"

namespace cairn::oci {

namespace {

Result<Descriptor> describe_file(const std::string& path, const std::string& media_type) {
  auto stream = FileRangeStream::open(path, 0, UINT64_MAX, path);
  if (!stream) return std::unexpected(stream.error());
  Hasher hasher;
  std::uint64_t size = 0;
  std::string buf(1 << 20, '\0');
  for (;;) {
    auto n = (*stream)->read(buf.data(), buf.size());
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    hasher.update(buf.data(), *n);
    size += *n;
  }
  Descriptor d;
  d.media_type = media_type;
  d.digest = Digest{"sha256", hasher.hex_digest()};
  d.size = size;
  return d;
}

}  // namespace

Result<Attached> attach_artifact(Store& store, const Descriptor& subject, const AttachRequest& request) {
  if (request.artifact_type.empty()) return usage_error("an artifact needs an artifact type (--artifact-type)");
  ArtifactManifest manifest;
  manifest.artifact_type = request.artifact_type;
  manifest.subject = Descriptor{subject.media_type, subject.digest, subject.size, std::nullopt, {}, ""};
  manifest.annotations = request.annotations;
  if (!manifest.annotations.count("org.opencontainers.image.created"))
    manifest.annotations["org.opencontainers.image.created"] = creation_timestamp();

  auto empty = manifest.config;
  if (auto s = store.push_bytes(empty, std::string(kEmptyJson)); !s) return std::unexpected(s.error());
  for (const auto& file : request.files) {
    Descriptor layer;
    BlobOpener open;
    if (!file.path.empty()) {
      auto described = describe_file(file.path, file.media_type);
      if (!described) return std::unexpected(described.error());
      layer = *described;
      std::string path = file.path;
      open = [path]() -> Result<std::unique_ptr<ByteStream>> {
        auto s = FileRangeStream::open(path, 0, UINT64_MAX, path);
        if (!s) return std::unexpected(s.error());
        return std::unique_ptr<ByteStream>(std::move(*s));
      };
    } else {
      layer = describe_bytes(file.media_type, file.bytes);
      std::string bytes = file.bytes;
      open = [bytes]() -> Result<std::unique_ptr<ByteStream>> { return std::unique_ptr<ByteStream>(std::make_unique<MemoryStream>(bytes, "artifact")); };
    }
    std::string title = !file.title.empty() ? file.title : std::filesystem::path(file.path).filename().string();
    if (!title.empty()) layer.annotations["org.opencontainers.image.title"] = title;
    Descriptor bare = layer;
    bare.annotations.clear();
    if (auto s = store.push_blob(bare, open); !s) return std::unexpected(s.error());
    manifest.layers.push_back(layer);
  }
  Attached out;
  out.bytes = write_manifest(manifest);
  auto stored = describe_bytes(std::string(media::kOciManifest), out.bytes);
  if (auto s = store.push_manifest(stored, out.bytes); !s) return std::unexpected(s.error());
  auto parsed = parse_manifest(out.bytes, "artifact manifest");
  if (!parsed) return std::unexpected(parsed.error());
  out.manifest = referrer_descriptor(*parsed, stored);
  return out;
}

}  // namespace cairn::oci
