// The apk installed-database parser, the repositories-file reader and the license
// splitter over arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/catalogers/apk.h"
#include "sbom/catalogers/apk_db.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_apk_db(text);
  for (const auto& entry : parsed.entries) {
    (void)apk_licenses(entry.license);
    for (const auto& d : entry.dependencies) (void)apk_strip_version(d);
    cairn::sbom::Release alpine;
    alpine.id = "alpine";
    alpine.version_id = "3.19.0";
    (void)apk_purl(entry, alpine);
  }
  (void)releases_from_apk_repositories(text);
  return 0;
}
