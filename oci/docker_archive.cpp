// `docker save` archives: manifest.json names each image's config and layer files.
// Layers may be plain tar (older Docker) or gzip (Docker 25+ writes an OCI layout too).
#include <nlohmann/json.hpp>

#include "oci/file_tree.h"
#include "oci/image_source.h"

namespace cairn::oci {

namespace {

using nlohmann::json;

// "blobs/sha256/<hex>" or "<hex>.json" carry the digest in the name; "<id>/layer.tar"
// (the legacy v1 layer id) does not.
std::optional<Digest> digest_from_path(const std::string& path) {
  std::string hex;
  if (path.rfind("blobs/sha256/", 0) == 0) hex = path.substr(13);
  else if (path.size() == 69 && path.substr(64) == ".json") hex = path.substr(0, 64);
  else return std::nullopt;
  auto d = Digest::parse("sha256:" + hex);
  return d ? std::optional<Digest>(*d) : std::nullopt;
}

std::string repo_of(const std::string& repo_tag) {
  auto slash = repo_tag.rfind('/');
  auto colon = repo_tag.rfind(':');
  return colon != std::string::npos && (slash == std::string::npos || colon > slash) ? repo_tag.substr(0, colon) : repo_tag;
}

}  // namespace

Result<OpenedImage> open_docker_archive(const std::string& path, const ImageRequest& request) {
  auto tree_or = open_tar_tree(path);
  if (!tree_or) return std::unexpected(tree_or.error());
  auto tree = *tree_or;
  auto bytes = tree->read_small("manifest.json", kMaxDocumentBytes);
  if (!bytes) return input_error(path + " is not a docker archive: it has no manifest.json");
  json doc = json::parse(*bytes, nullptr, false);
  const std::string where = path + ":manifest.json";
  if (doc.is_discarded() || !doc.is_array()) return input_error(where + ": expected a JSON array of images");
  if (doc.empty()) return input_error(where + ": lists no images");

  const json* chosen = nullptr;
  std::string chosen_tag;
  std::string all_tags;
  for (const auto& entry : doc) {
    if (!entry.is_object()) return input_error(where + ": each entry must be an object");
    std::vector<std::string> tags;
    if (auto t = entry.find("RepoTags"); t != entry.end() && t->is_array())
      for (const auto& v : *t)
        if (v.is_string()) tags.push_back(v.get<std::string>());
    for (const auto& t : tags) all_tags += (all_tags.empty() ? "" : ", ") + t;
    if (request.tag.empty()) {
      if (!chosen) {
        chosen = &entry;
        chosen_tag = tags.empty() ? "" : tags[0];
      } else if (doc.size() > 1) {
        return usage_error(path + " holds " + std::to_string(doc.size()) + " images (" + all_tags +
                           "); name one as docker-archive:FILE:TAG");
      }
      continue;
    }
    for (const auto& t : tags) {
      if (t == request.tag || t.substr(t.rfind(':') + 1) == request.tag) {
        chosen = &entry;
        chosen_tag = t;
      }
    }
  }
  if (!chosen) return input_error(path + " has no image tagged \"" + request.tag + "\"; it has: " + all_tags);

  auto config_path = chosen->find("Config");
  auto layers = chosen->find("Layers");
  if (config_path == chosen->end() || !config_path->is_string()) return input_error(where + ": missing string field \"Config\"");
  if (layers == chosen->end() || !layers->is_array()) return input_error(where + ": missing array field \"Layers\"");

  std::string cfg_path = config_path->get<std::string>();
  auto cfg_bytes = tree->read_small(cfg_path, kMaxDocumentBytes);
  if (!cfg_bytes) return std::unexpected(cfg_bytes.error());
  Digest config_digest{"sha256", sha256_hex(*cfg_bytes)};
  if (auto named = digest_from_path(cfg_path); named && !(*named == config_digest))
    return input_error(tree->describe(cfg_path) + ": content has digest " + config_digest.str() + " but its name says " +
                       named->str() + "; the archive is corrupt or was tampered with");
  auto config = parse_config(*cfg_bytes, tree->describe(cfg_path));
  if (!config) return std::unexpected(config.error());
  if (config->diff_ids.size() != layers->size())
    return input_error(where + ": lists " + std::to_string(layers->size()) + " layers but the config lists " +
                       std::to_string(config->diff_ids.size()) + " diff_ids");
  if (request.platform) {
    Platform have{config->os, config->architecture, config->variant};
    if (!have.satisfies(*request.platform))
      return usage_error(path + " holds a " + have.str() + " image, not " + request.platform->str());
  }

  OpenedImage img;
  img.name = chosen_tag.empty() ? std::string() : repo_of(chosen_tag);
  img.tag = chosen_tag.empty() ? std::string() : chosen_tag.substr(img.name.size() + (img.name.size() < chosen_tag.size() ? 1 : 0));
  img.config_digest = config_digest;
  img.media_type = "application/vnd.docker.distribution.manifest.v2+json";
  img.platform = {config->os, config->architecture, config->variant};
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const auto& l = (*layers)[i];
    if (!l.is_string()) return input_error(where + ": Layers[" + std::to_string(i) + "] must be a string");
    std::string lp = l.get<std::string>();
    if (!tree->contains(lp)) return input_error(tree->describe(lp) + ": layer " + std::to_string(i) + " is missing from the archive");
    LayerRef ref;
    ref.digest = digest_from_path(lp);
    ref.diff_id = config->diff_ids[i];
    ref.name = "layer " + std::to_string(i) + " (" + lp + ")";
    img.layers.push_back(std::move(ref));
    paths.push_back(lp);
  }
  img.open_layer = [tree, paths](std::size_t i) { return tree->open(paths.at(i)); };
  return img;
}

}  // namespace cairn::oci
