#pragma once
// Everything one scan found: what was scanned, the distro, the packages and how they
// relate. The formats (sbom/formats/) turn it into bytes; nothing else does.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sbom/package.h"
#include "sbom/release.h"

namespace cairn::sbom {

struct LayerInfo {
  std::string digest;      // blob digest from the manifest, "sha256:…"
  std::string diff_id;     // digest of the uncompressed tar, from the config
  std::string media_type;
  std::uint64_t size = 0;  // compressed size
};

struct SourceInfo {
  enum class Kind { Image, Directory };
  Kind kind = Kind::Image;
  std::string input;            // what the user typed, e.g. "oci-dir:/x/app:latest"
  std::string name;             // image name for purls and display ("app", "lab/app"), or dir path
  std::string tag;              // "latest" when known
  std::string manifest_digest;  // "sha256:…" of the platform manifest (images only)
  std::string config_digest;
  std::string index_digest;     // when the image was picked from an index
  std::string media_type;
  std::string os, architecture, variant;
  std::vector<LayerInfo> layers;
};

struct OwnedFile {
  std::string path;
  std::size_t package = 0;  // index into Inventory::packages
};

struct FileDigest {
  std::string sha1;    // hex
  std::string sha256;  // hex
};

struct Inventory {
  SourceInfo source;
  std::optional<Release> release;
  std::vector<Package> packages;        // sorted, deterministic order
  std::vector<Dependency> dependencies; // by index into packages
  // from = an OS package, to = a package found by files it owns (sbom/ownership.h).
  std::vector<Dependency> ownerships;
  std::string scope = "squashed";       // or "all-layers"
  std::vector<std::string> errors;      // cataloger problems, reported not fatal
  // Digests of the package-owned files present in the image, by path; filled only when
  // the scan hashed files (--files). Owned files absent from the image have no entry.
  std::map<std::string, FileDigest> file_digests;
};

struct WriteOptions {
  bool include_files = false;     // --files: list owned files
  int cyclonedx_minor = 6;        // 5 or 6
  std::string tool_version;       // cairn's version, written as the creating tool
  // Seconds since the epoch for created timestamps: SOURCE_DATE_EPOCH when set,
  // otherwise the current time (chosen by the caller, so formats stay pure).
  std::int64_t created_epoch = 0;
};

}  // namespace cairn::sbom
