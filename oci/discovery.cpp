#include "oci/discovery.h"

#include <set>

#include "core/log.h"
#include "oci/media_types.h"
#include "oci/registry_store.h"

namespace cairn::oci {

namespace {

struct Walk {
  Store& store;
  const DiscoverOptions& options;
  std::set<Digest> seen;
  std::size_t nodes = 0;

  Result<std::vector<ReferrerNode>> children_of(const Digest& subject, int depth) {
    std::vector<ReferrerNode> out;
    if (depth > options.max_depth) return out;
    auto listed = store.referrers(subject);
    if (!listed) return std::unexpected(listed.error());
    for (auto& d : *listed) {
      if (!seen.insert(d.digest).second) continue;
      out.push_back({std::move(d), "referrers", "", {}});
    }
    if (options.legacy_tags) {
      static const std::pair<const char*, const char*> kLegacy[] = {
          {".sig", kCosignSignatureType}, {".att", kCosignAttestationType}, {".sbom", kCosignSbomType}};
      for (const auto& [suffix, type] : kLegacy) {
        std::string tag = referrers_tag(subject) + suffix;
        auto found = store.find_manifest(tag);
        if (!found) return std::unexpected(found.error());
        if (!*found || !seen.insert((*found)->descriptor.digest).second) continue;
        ReferrerNode node{(*found)->descriptor, "cosign-tag " + tag, tag, {}};
        node.descriptor.artifact_type = type;
        out.push_back(std::move(node));
      }
    }
    for (auto& node : out) {
      if (++nodes > options.max_nodes)
        return input_error(store.describe() + ": more than " + std::to_string(options.max_nodes) + " referrers; stopped");
      auto below = children_of(node.descriptor.digest, depth + 1);
      if (!below) return std::unexpected(below.error());
      node.referrers = std::move(*below);
    }
    return out;
  }
};

// Drops nodes of other artifact types, keeping matching descendants in their place.
std::vector<ReferrerNode> filter(std::vector<ReferrerNode> nodes, const std::string& type) {
  std::vector<ReferrerNode> out;
  for (auto& n : nodes) {
    n.referrers = filter(std::move(n.referrers), type);
    if (n.descriptor.artifact_type == type) {
      out.push_back(std::move(n));
    } else {
      for (auto& c : n.referrers) out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<ReferrerNode>> discover(Store& store, const FetchedManifest& subject, const DiscoverOptions& options) {
  Walk walk{store, options, {subject.descriptor.digest}, 0};
  auto nodes = walk.children_of(subject.descriptor.digest, 1);
  if (!nodes) return nodes;
  if (media::is_index(subject.descriptor.media_type)) {
    auto index = parse_index(subject.bytes, "index " + subject.descriptor.digest.str());
    if (!index) return std::unexpected(index.error());
    for (const auto& m : index->manifests) {
      auto type = m.annotations.find("vnd.docker.reference.type");
      if (type == m.annotations.end() || type->second != "attestation-manifest") continue;
      if (!walk.seen.insert(m.digest).second) continue;
      ReferrerNode node{m, "buildkit-attestation", "", {}};
      auto ref = m.annotations.find("vnd.docker.reference.digest");
      if (ref != m.annotations.end()) node.source += " for " + ref->second;
      // BuildKit's attestation manifests carry no artifactType; their layers are in-toto.
      if (node.descriptor.artifact_type.empty()) node.descriptor.artifact_type = "application/vnd.in-toto+json";
      auto below = walk.children_of(m.digest, 2);
      if (!below) return std::unexpected(below.error());
      node.referrers = std::move(*below);
      nodes->push_back(std::move(node));
    }
  }
  if (!options.artifact_type.empty()) return filter(std::move(*nodes), options.artifact_type);
  return nodes;
}

}  // namespace cairn::oci
