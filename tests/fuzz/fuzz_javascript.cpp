// The npm package.json parser (and the package built from it) and the package-lock.json
// parser over arbitrary bytes:
// no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/npm_lock.h"
#include "sbom/catalogers/npm_package_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = parse_npm_package_json(text);
  if (manifest) {
    (void)npm_package(*manifest, "/node_modules/x/package.json", "javascript-package-cataloger");
  }
  (void)parse_npm_lock(text);
  (void)is_installed_package_json(text);
  return 0;
}
