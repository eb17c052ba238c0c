// PHP serialize() reader and the PEAR registry entry built on it, over arbitrary bytes:
// no crash, no hang, no allocation beyond what the input's own lengths can justify.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/pear_registry.h"
#include "sbom/catalogers/php.h"
#include "sbom/catalogers/php_serialized.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)parse_php_serialized(bytes);
  if (auto entry = parse_pear_registry(bytes)) {
    (void)pear_package(*entry, "/usr/local/lib/php/.registry/x.reg", "php-pear", "php-pear-serialized-cataloger");
  }
  return 0;
}
