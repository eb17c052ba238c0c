// The Python METADATA / PKG-INFO, RECORD, direct_url.json, top_level.txt,
// requirements.txt, Pipfile.lock and poetry.lock parsers and the license-text identifier over
// arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_license_file.h"
#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/catalogers/python_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  PythonMetadata m = parse_python_metadata(text);
  (void)python_declared_licenses(m);
  (void)python_classifier_licenses(m);
  (void)python_supplier(m);
  for (const auto& requirement : m.requires_dist) (void)python_requirement_name(requirement);
  (void)python_purl(normalize_python_name(m.name), m.version, nullptr);
  (void)parse_python_record(text);
  auto direct_url = parse_python_direct_url(text);
  if (direct_url.ok) (void)python_purl("x", "1", &direct_url.value);
  (void)parse_python_top_level(text);
  (void)identify_python_license_text(text);
  (void)parse_python_requirements(text);
  (void)parse_pipfile_lock(text);
  (void)parse_poetry_lock(text);
  return 0;
}
