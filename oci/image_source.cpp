#include "oci/image_source.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "oci/file_tree.h"
#include "oci/media_types.h"

namespace cairn::oci {

namespace {

constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";

std::string short_digest(const Digest& d) { return d.algorithm + ":" + d.hex.substr(0, 12); }

std::string blob_path(const Digest& d) { return "blobs/" + d.algorithm + "/" + d.hex; }

// BuildKit stores attestation manifests in an index with platform unknown/unknown.
bool is_attestation(const Descriptor& d) {
  auto it = d.annotations.find("vnd.docker.reference.type");
  return it != d.annotations.end() && it->second == "attestation-manifest";
}

std::string tag_of(const Descriptor& d) {
  for (const char* key : {kRefNameAnnotation, kContainerdNameAnnotation}) {
    auto it = d.annotations.find(key);
    if (it != d.annotations.end()) return it->second;
  }
  return "";
}

// The tag part of a ref.name ("docker.io/library/x:1.0" → "1.0"; "latest" → "latest").
std::string tag_suffix(const std::string& ref) {
  auto slash = ref.rfind('/');
  auto colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) return ref.substr(colon + 1);
  return ref;
}

Result<Descriptor> pick_platform(const Index& index, const Platform& wanted, const std::string& where) {
  std::vector<std::string> available;
  for (const auto& m : index.manifests) {
    if (is_attestation(m) || !m.platform) continue;
    if (m.platform->satisfies(wanted)) return m;
    available.push_back(m.platform->str());
  }
  std::string list;
  for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
  return usage_error(where + " has no image for platform " + wanted.str() + "; it has: " +
                     (list.empty() ? "(no platform-specific images)" : list) + ". Choose one with --platform");
}

}  // namespace

// Follows index → manifest, choosing the platform, and reads the config.
Result<OpenedImage> resolve_image(Descriptor top, const ImageRequest& request, const std::string& where,
                                  const DocumentReader& read_document, const LayerOpener& open_blob) {
  OpenedImage img;
  Platform wanted = request.platform.value_or(Platform::host());
  for (int depth = 0; media::is_index(top.media_type); ++depth) {
    if (depth > 4) return input_error(where + ": image indexes nested more than 4 deep");
    auto bytes = read_document(top);
    if (!bytes) return std::unexpected(bytes.error());
    auto index = parse_index(*bytes, "index " + top.digest.str());
    if (!index) return std::unexpected(index.error());
    if (!img.index_digest) img.index_digest = top.digest;
    auto chosen = pick_platform(*index, wanted, where + " (index " + short_digest(top.digest) + ")");
    if (!chosen) return std::unexpected(chosen.error());
    top = *chosen;
  }
  if (!media::is_manifest(top.media_type))
    return input_error(where + ": " + top.digest.str() + " has media type \"" + top.media_type +
                       "\", which is neither an image manifest nor an index");
  auto bytes = read_document(top);
  if (!bytes) return std::unexpected(bytes.error());
  auto manifest = parse_manifest(*bytes, "manifest " + top.digest.str());
  if (!manifest) return std::unexpected(manifest.error());
  auto config_bytes = read_document(manifest->config);
  if (!config_bytes) return std::unexpected(config_bytes.error());
  auto config = parse_config(*config_bytes, "config " + manifest->config.digest.str());
  if (!config) return std::unexpected(config.error());
  if (config->diff_ids.size() != manifest->layers.size())
    return input_error(where + ": manifest " + short_digest(top.digest) + " lists " + std::to_string(manifest->layers.size()) +
                       " layers but its config lists " + std::to_string(config->diff_ids.size()) + " diff_ids");
  img.manifest_digest = top.digest;
  img.config_digest = manifest->config.digest;
  img.media_type = manifest->media_type;
  img.platform = {config->os, config->architecture, config->variant};
  std::vector<Descriptor> blobs;
  for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
    const auto& l = manifest->layers[i];
    if (media::layer_compression(l.media_type) == media::Compression::Unknown)
      return input_error(where + ": layer " + std::to_string(i) + " (" + l.digest.str() + ") has media type \"" +
                         l.media_type + "\", which is not a layer type cairn can read (tar, tar+gzip, tar+zstd)");
    img.layers.push_back({l.media_type, l.digest, l.size, config->diff_ids[i],
                          "layer " + std::to_string(i) + " (" + l.digest.str() + ")"});
    blobs.push_back(l);
  }
  img.open_layer = [open_blob, blobs](std::size_t i) { return open_blob(blobs.at(i)); };
  return img;
}

namespace {

Result<OpenedImage> open_layout_tree(const std::shared_ptr<FileTree>& tree, const std::string& where,
                                     const ImageRequest& request) {
  auto layout = tree->read_small("oci-layout", 4096);
  if (!layout) return input_error(where + " is not an OCI image layout: it has no oci-layout file");
  auto layout_doc = nlohmann::json::parse(*layout, nullptr, false);
  if (layout_doc.is_discarded() || !layout_doc.is_object() || !layout_doc.contains("imageLayoutVersion"))
    return input_error(where + "/oci-layout: expected {\"imageLayoutVersion\": \"1.0.0\"}");
  auto index_bytes = tree->read_small("index.json", kMaxDocumentBytes);
  if (!index_bytes) return std::unexpected(index_bytes.error());
  auto index = parse_index(*index_bytes, where + "/index.json");
  if (!index) return std::unexpected(index.error());

  std::vector<Descriptor> candidates;
  for (const auto& m : index->manifests) {
    if (!request.digest.empty()) {
      if (m.digest.str() == request.digest) candidates.push_back(m);
    } else if (!request.tag.empty()) {
      std::string t = tag_of(m);
      if (t == request.tag || tag_suffix(t) == request.tag) candidates.push_back(m);
    } else if (!is_attestation(m) && m.artifact_type.empty()) {
      // Untagged entries with an artifactType are referrers (signatures, SBOMs) that a
      // layout store keeps reachable, not images.
      candidates.push_back(m);
    }
  }
  std::string name = std::filesystem::path(where).filename().string();
  if (name.empty()) name = std::filesystem::path(where).parent_path().filename().string();
  if (candidates.empty() && !request.digest.empty()) {
    // A digest not in index.json may still be a blob of the layout (a platform manifest).
    auto digest = Digest::parse(request.digest);
    if (!digest) return std::unexpected(Error{ErrorKind::Usage, digest.error().message});
    if (!tree->contains(blob_path(*digest)))
      return input_error(where + " has no manifest or index with digest " + request.digest);
    auto bytes = tree->read_small(blob_path(*digest), kMaxDocumentBytes);
    if (!bytes) return std::unexpected(bytes.error());
    auto type = sniff_media_type(*bytes, tree->describe(blob_path(*digest)));
    if (!type) return std::unexpected(type.error());
    candidates.push_back(Descriptor{*type, *digest, bytes->size(), std::nullopt, {}, ""});
  }
  if (candidates.empty()) {
    std::string tags;
    for (const auto& m : index->manifests)
      if (!tag_of(m).empty()) tags += (tags.empty() ? "" : ", ") + tag_suffix(tag_of(m));
    if (!request.tag.empty())
      return input_error(where + " has no image tagged \"" + request.tag + "\"; its tags: " + (tags.empty() ? "(none)" : tags));
    return input_error(where + "/index.json lists no images");
  }
  if (candidates.size() > 1) {
    // Prefer "latest", as docker and Syft do, when no tag was given.
    std::vector<Descriptor> latest;
    for (const auto& c : candidates)
      if (tag_suffix(tag_of(c)) == "latest") latest.push_back(c);
    if (latest.size() == 1) {
      candidates = latest;
    } else {
      std::string tags;
      for (const auto& m : candidates) tags += (tags.empty() ? "" : ", ") + (tag_of(m).empty() ? m.digest.str() : tag_suffix(tag_of(m)));
      return usage_error(where + " holds " + std::to_string(candidates.size()) + " images (" + tags +
                         "); name one as PATH:TAG or PATH@DIGEST");
    }
  }
  auto read_document = [tree](const Descriptor& d) { return read_verified_blob(*tree, blob_path(d.digest), d); };
  auto open_blob = [tree](const Descriptor& d) { return tree->open(blob_path(d.digest)); };
  auto img = resolve_image(candidates[0], request, where, read_document, open_blob);
  if (!img) return img;
  img->name = name;
  img->tag = tag_suffix(tag_of(candidates[0]));
  return img;
}

}  // namespace

Result<std::string> read_verified_blob(const FileTree& tree, const std::string& path, const Descriptor& d) {
  if (d.size > kMaxDocumentBytes)
    return input_error(tree.describe(path) + ": descriptor declares " + std::to_string(d.size) +
                       " bytes, above the " + std::to_string(kMaxDocumentBytes) + "-byte limit for documents");
  auto bytes = tree.read_small(path, kMaxDocumentBytes);
  if (!bytes) return std::unexpected(bytes.error());
  if (bytes->size() != d.size)
    return input_error(tree.describe(path) + ": size is " + std::to_string(bytes->size()) + " bytes but the descriptor says " +
                       std::to_string(d.size));
  auto hasher = Hasher::for_digest(d.digest);
  if (!hasher) return std::unexpected(hasher.error());
  hasher->update(*bytes);
  std::string actual = hasher->hex_digest();
  if (!constant_time_equal(actual, d.digest.hex))
    return input_error(tree.describe(path) + ": content has digest " + d.digest.algorithm + ":" + actual +
                       " but " + d.digest.str() + " was expected; the blob is corrupt or was tampered with");
  return bytes;
}

Result<OpenedImage> open_oci_layout(const std::string& path, const ImageRequest& request) {
  auto tree = open_directory_tree(path);
  if (!tree) return std::unexpected(tree.error());
  return open_layout_tree(*tree, path, request);
}

Result<OpenedImage> open_oci_archive(const std::string& path, const ImageRequest& request) {
  auto tree = open_tar_tree(path);
  if (!tree) return std::unexpected(tree.error());
  return open_layout_tree(*tree, path, request);
}

}  // namespace cairn::oci
