#pragma once
// META-INF/MANIFEST.MF (JAR File Specification): "Key: value" lines in sections separated
// by blank lines, a line starting with one space continuing the previous value. The
// first section is the main section.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::sbom {

using ManifestSection = std::vector<std::pair<std::string, std::string>>;

struct JavaManifest {
  ManifestSection main;
  std::vector<ManifestSection> sections;

  // The main section's value for a key ("" when absent); keys compare exactly.
  std::string get(std::string_view key) const;
  bool has(std::string_view key) const;
  // The main section's value, else the first named section's (as Syft's lookups do).
  std::string field(std::string_view key) const;
};

// Never fails: lines that are not "Key: value" are skipped. At most max_entries pairs
// are kept (a hostile manifest may have millions of lines).
JavaManifest parse_java_manifest(std::string_view text, std::size_t max_entries = 20000);

}  // namespace cairn::sbom
