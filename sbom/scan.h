#pragma once
// The SBOM pipeline: layers → squashed filesystem → catalogers → inventory.
#include <string>
#include <vector>

#include "core/error.h"
#include "oci/image_source.h"
#include "sbom/inventory.h"

namespace cairn::sbom {

enum class Scope { Squashed, AllLayers };

struct ScanOptions {
  Scope scope = Scope::Squashed;
  unsigned threads = 0;  // layer decoding threads; 0 = one per core
  bool hash_files = false;  // record SHA-1/SHA-256 of package-owned files (--files)
  // --catalogers: groups (os, language, binary) or cataloger names; empty = all.
  std::vector<std::string> catalogers;
};

// `input` is what the user typed, recorded in the inventory.
Result<Inventory> scan_image(const oci::OpenedImage& image, const std::string& input, const ScanOptions& options);
Result<Inventory> scan_directory(const std::string& path, const std::string& input, const ScanOptions& options);

}  // namespace cairn::sbom
