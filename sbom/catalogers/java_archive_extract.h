#pragma once
// What the Java archive cataloger keeps of a jar/war/ear/hpi/... while the layer is read:
// the archive is opened as a zip (central directory first, from memory), and only its
// identity evidence survives: the manifest fields the cataloger reads, every
// META-INF/maven/**/pom.properties and pom.xml (parsed), the SHA-1 of its bytes, and the
// same, recursively, for archives nested inside it (WEB-INF/lib, BOOT-INF/lib, ...).
// Everything is bounded: nesting depth, entries listed, bytes decompressed (zip bombs),
// size of each metadata file.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sbom/catalogers/java_manifest.h"
#include "sbom/catalogers/java_pom.h"

namespace cairn::sbom {

struct JavaArchiveLimits {
  std::size_t max_depth = 16;                            // archives inside archives
  std::size_t max_entries = 500000;                      // entries listed, all archives together
  std::size_t max_total_bytes = 1024ull * 1024 * 1024;   // decompressed, all archives together
  std::size_t max_nested_archive_bytes = 256ull * 1024 * 1024;
  std::size_t max_manifest_bytes = 1024 * 1024;
  std::size_t max_pom_properties_bytes = 64 * 1024;
  std::size_t max_pom_xml_bytes = 4 * 1024 * 1024;
};

struct PomXmlFile {
  std::string path;     // inside the archive
  PomProject project;   // dependencies and properties dropped (not needed, not small)
};

struct JavaArchiveInfo {
  std::string entry;  // path inside the enclosing archive; "" for the scanned file itself
  std::string sha1;   // of the archive's bytes
  bool readable = false;       // opened as a zip
  std::size_t manifest_count = 0;
  JavaManifest manifest;       // only the fields the cataloger reads
  std::vector<PomProperties> pom_properties;  // sorted by path
  std::vector<PomXmlFile> pom_xml;            // sorted by path
  std::vector<JavaArchiveInfo> nested;        // sorted by entry
  // Problems, each naming the entry ("entry WEB-INF/lib/a.jar: entry META-INF/...: ...").
  std::vector<std::string> errors;
};

// Whether a file name has one of the extensions Syft reads as a Java archive (jar, war,
// ear, par, sar, nar, kar, jpi, hpi, far, lpkg, rar, zap), case-insensitively.
bool is_java_archive_name(std::string_view path);

// Reads an archive held in memory. Never fails: problems are in errors (an unreadable
// zip leaves readable false).
JavaArchiveInfo scan_java_archive(std::string_view bytes, const JavaArchiveLimits& limits = {});

// The capture extractor: scan_java_archive as JSON.
std::optional<std::string> extract_java_archive(std::string_view path, std::string_view bytes);

// Reads back what extract_java_archive wrote.
Result<JavaArchiveInfo> parse_java_archive_extract(std::string_view json);

}  // namespace cairn::sbom
