#include "oci/image_writer.h"

#include <cstdlib>
#include <ctime>

#include "oci/media_types.h"
#include "oci/store.h"

namespace cairn::oci {

Descriptor empty_config_descriptor() { return describe_bytes(std::string(media::kOciEmpty), kEmptyJson); }

nlohmann::ordered_json descriptor_json(const Descriptor& d) {
  nlohmann::ordered_json j;
  j["mediaType"] = d.media_type;
  j["digest"] = d.digest.str();
  j["size"] = d.size;
  if (d.platform) {
    nlohmann::ordered_json p;
    p["architecture"] = d.platform->architecture;
    p["os"] = d.platform->os;
    if (!d.platform->variant.empty()) p["variant"] = d.platform->variant;
    j["platform"] = p;
  }
  if (!d.artifact_type.empty()) j["artifactType"] = d.artifact_type;
  if (!d.annotations.empty()) j["annotations"] = d.annotations;
  return j;
}

std::string write_manifest(const ArtifactManifest& m) {
  nlohmann::ordered_json j;
  j["schemaVersion"] = 2;
  j["mediaType"] = media::kOciManifest;
  if (!m.artifact_type.empty()) j["artifactType"] = m.artifact_type;
  j["config"] = descriptor_json(m.config);
  j["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : m.layers) j["layers"].push_back(descriptor_json(l));
  if (m.subject) j["subject"] = descriptor_json(*m.subject);
  if (!m.annotations.empty()) j["annotations"] = m.annotations;
  return j.dump();
}

std::string write_index(const std::vector<Descriptor>& manifests, const std::map<std::string, std::string>& annotations) {
  nlohmann::ordered_json j;
  j["mediaType"] = media::kOciIndex;
  j["schemaVersion"] = 2;
  j["manifests"] = nlohmann::ordered_json::array();
  for (const auto& d : manifests) j["manifests"].push_back(descriptor_json(d));
  if (!annotations.empty()) j["annotations"] = annotations;
  return j.dump();
}

Descriptor referrer_descriptor(const Manifest& manifest, const Descriptor& stored) {
  Descriptor d;
  d.media_type = stored.media_type.empty() ? manifest.media_type : stored.media_type;
  d.digest = stored.digest;
  d.size = stored.size;
  d.artifact_type = manifest.artifact_type.empty() ? manifest.config.media_type : manifest.artifact_type;
  d.annotations = manifest.annotations;
  return d;
}

Descriptor referrer_descriptor(const Index& index, const Descriptor& stored) {
  Descriptor d;
  d.media_type = stored.media_type.empty() ? index.media_type : stored.media_type;
  d.digest = stored.digest;
  d.size = stored.size;
  d.artifact_type = index.artifact_type;
  d.annotations = index.annotations;
  return d;
}

std::string creation_timestamp() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && v >= 0) t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace cairn::oci
