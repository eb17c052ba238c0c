// The dpkg status parser (and the info-file and copyright parsers beside it) over
// arbitrary bytes: they must neither crash nor allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/dpkg_copyright.h"
#include "sbom/catalogers/dpkg_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom::dpkg;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto status = parse_status(text);
  for (const auto& entry : status.entries) {
    (void)split_declared_license(entry.license);
    (void)split_source(entry.source);
  }
  (void)parse_md5sums(text);
  (void)parse_conffiles(text);
  (void)parse_list_leaves(text);
  (void)licenses_from_copyright(text);
  (void)parse_installed_size(text.substr(0, 64));
  return 0;
}
