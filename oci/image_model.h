#pragma once
// OCI / Docker image documents: descriptors, manifests, indexes and configs, parsed
// strictly (wrong types and malformed digests are errors naming the document and field).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"
#include "core/error.h"

namespace cairn::oci {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;

  // "linux/amd64", "linux/arm64/v8"
  static Result<Platform> parse(std::string_view text);
  static Platform host();
  std::string str() const;
  // Whether this platform satisfies a request; an unspecified variant matches any, and
  // arm64 without a variant equals arm64/v8 as containerd treats it.
  bool satisfies(const Platform& wanted) const;
};

struct Descriptor {
  std::string media_type;
  Digest digest;
  std::uint64_t size = 0;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
  std::string artifact_type;
};

struct Manifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  std::optional<Descriptor> subject;
  std::string artifact_type;
  std::map<std::string, std::string> annotations;
};

struct Index {
  std::string media_type;
  std::vector<Descriptor> manifests;
  std::optional<Descriptor> subject;  // OCI 1.1: an index may refer to another manifest
  std::string artifact_type;
  std::map<std::string, std::string> annotations;
};

struct ImageConfig {
  std::string os;
  std::string architecture;
  std::string variant;
  std::vector<Digest> diff_ids;
};

// Manifests and configs larger than this are refused (the distribution spec suggests
// registries accept at least 4 MiB manifests).
inline constexpr std::size_t kMaxDocumentBytes = 8 * 1024 * 1024;

// `where` names the document in errors, e.g. "manifest sha256:ab…".
Result<Manifest> parse_manifest(std::string_view bytes, const std::string& where);
Result<Index> parse_index(std::string_view bytes, const std::string& where);
Result<ImageConfig> parse_config(std::string_view bytes, const std::string& where);

// What the document says it is: its mediaType, or a guess from its shape
// ("manifests" → index, "layers" → manifest) when mediaType is absent.
Result<std::string> sniff_media_type(std::string_view bytes, const std::string& where);

}  // namespace cairn::oci
