#include "attest/cosign_signatures.h"

#include <nlohmann/json.hpp>

#include "attest/simple_signing.h"
#include "oci/media_types.h"

namespace cairn::attest {

namespace {

using ordered_json = nlohmann::ordered_json;

// go-containerregistry's descriptor order, as cosign writes it.
ordered_json layer_json(const oci::Descriptor& d, const std::map<std::string, std::string>& annotations) {
  ordered_json j;
  j["mediaType"] = d.media_type;
  j["size"] = d.size;
  j["digest"] = d.digest.str();
  if (!annotations.empty()) {
    j["annotations"] = ordered_json::object();
    for (const auto& [k, v] : annotations) j["annotations"][k] = v;
  }
  return j;
}

// The config cosign writes for a signature image: empty platform, zero times, one
// history entry and one diff_id per layer.
std::string signature_config(const ordered_json& layers) {
  ordered_json config;
  config["architecture"] = "";
  config["created"] = "0001-01-01T00:00:00Z";
  config["history"] = ordered_json::array();
  config["os"] = "";
  config["rootfs"]["type"] = "layers";
  config["rootfs"]["diff_ids"] = ordered_json::array();
  for (const auto& layer : layers) {
    config["history"].push_back({{"created", "0001-01-01T00:00:00Z"}});
    config["rootfs"]["diff_ids"].push_back(layer.value("digest", ""));
  }
  config["config"] = ordered_json::object();
  return config.dump();
}

}  // namespace

std::string signature_tag(const Digest& image) { return image.algorithm + "-" + image.hex + ".sig"; }

Result<std::optional<oci::Manifest>> read_signature_manifest(oci::Store& store, const Digest& image) {
  std::string tag = signature_tag(image);
  auto found = store.find_manifest(tag);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<oci::Manifest>();
  std::string where = store.describe() + ":" + tag;
  auto manifest = oci::parse_manifest((*found)->bytes, where);
  if (!manifest) return std::unexpected(manifest.error());
  if (manifest->layers.size() > kMaxSignatureLayers)
    return input_error(where + ": " + std::to_string(manifest->layers.size()) + " signature layers; cairn reads at most " +
                       std::to_string(kMaxSignatureLayers) + " (someone may be flooding this image's signatures)");
  return std::optional<oci::Manifest>(std::move(*manifest));
}

Result<Digest> append_signature(oci::Store& store, const Digest& image, std::string_view payload,
                                const std::map<std::string, std::string>& annotations) {
  std::string tag = signature_tag(image);
  std::string where = store.describe() + ":" + tag;
  ordered_json layers = ordered_json::array();
  auto existing = store.find_manifest(tag);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) {
    // Checked as a manifest first, then its layers kept exactly as they were written.
    auto parsed = oci::parse_manifest((*existing)->bytes, where);
    if (!parsed) return std::unexpected(parsed.error().context("cannot append to the existing signatures"));
    if (parsed->layers.size() >= kMaxSignatureLayers)
      return input_error(where + ": already " + std::to_string(parsed->layers.size()) + " signature layers; cairn writes at most " +
                         std::to_string(kMaxSignatureLayers));
    layers = ordered_json::parse((*existing)->bytes)["layers"];
  }
  auto payload_descriptor = oci::describe_bytes(std::string(kSimpleSigningMediaType), payload);
  ordered_json layer = layer_json(payload_descriptor, annotations);
  bool present = false;
  for (const auto& l : layers) present = present || l == layer;
  if (!present) layers.push_back(layer);

  if (auto s = store.push_bytes(payload_descriptor, std::string(payload)); !s) return std::unexpected(s.error());
  std::string config = signature_config(layers);
  auto config_descriptor = oci::describe_bytes(std::string(oci::media::kOciConfig), config);
  if (auto s = store.push_bytes(config_descriptor, config); !s) return std::unexpected(s.error());
  ordered_json manifest;
  manifest["schemaVersion"] = 2;
  manifest["mediaType"] = oci::media::kOciManifest;
  manifest["config"] = layer_json(config_descriptor, {});
  manifest["layers"] = layers;
  std::string bytes = manifest.dump();
  auto manifest_descriptor = oci::describe_bytes(std::string(oci::media::kOciManifest), bytes);
  if (auto s = store.push_manifest(manifest_descriptor, bytes, tag); !s) return std::unexpected(s.error());
  return manifest_descriptor.digest;
}

}  // namespace cairn::attest
