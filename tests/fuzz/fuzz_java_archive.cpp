// The Java archive extractor over arbitrary bytes (as a zip: central directory, nested
// archives, manifest and pom entries), the extract reader over its own output and over
// arbitrary bytes, and the manifest and file-name parsers: no crash, no hang, no
// unbounded allocation. Limits are lowered so each input stays cheap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/java_archive_extract.h"
#include "sbom/catalogers/java_archive_name.h"
#include "sbom/catalogers/java_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  JavaArchiveLimits limits;
  limits.max_total_bytes = 16 * 1024 * 1024;
  limits.max_nested_archive_bytes = 4 * 1024 * 1024;
  limits.max_entries = 10000;
  (void)scan_java_archive(bytes, limits);
  if (auto extract = extract_java_archive("fuzz.jar", bytes)) (void)parse_java_archive_extract(*extract);
  (void)parse_java_archive_extract(bytes);
  (void)parse_java_manifest(bytes);
  auto name = parse_java_archive_name(bytes);
  (void)artifact_from_archive_name(name);
  return 0;
}
