// The XML subset reader, the pom.xml reader (with ${...} interpolation) and the
// pom.properties reader over arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/java_pom.h"
#include "sbom/xml_subset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_xml(text);
  if (auto pom = parse_pom_xml(text)) {
    for (const auto& dep : pom->dependencies) (void)interpolate_pom_value(*pom, dep.version);
  }
  (void)parse_pom_properties(text);
  return 0;
}
