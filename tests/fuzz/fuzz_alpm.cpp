// The pacman desc/files parser and the mtree reader (gzip and text) over arbitrary
// bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/alpm.h"
#include "sbom/catalogers/alpm_desc.h"
#include "sbom/catalogers/alpm_mtree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_alpm_desc(text);
  for (const auto& d : parsed.desc.depends) (void)alpm_strip_version(d);
  Release arch;
  arch.id = "arch";
  (void)alpm_purl(parsed.desc, arch);
  if (auto inflated = gunzip_capped(text, 1 << 20)) (void)parse_mtree(*inflated);
  (void)parse_mtree(text);
  return 0;
}
