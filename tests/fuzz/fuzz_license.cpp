// The SPDX license expression parser and the LicenseRef sanitiser over arbitrary bytes
// (declared licenses come straight from package metadata): no crash, bounded work, and
// what the parser returns is itself a valid expression that parses back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sbom/license.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto expression = to_spdx_expression(text)) {
    auto again = to_spdx_expression(*expression);
    if (!again || *again != *expression) std::abort();
    (void)join_with_and({*expression, *expression});
  }
  const std::string ref = license_ref_id(text);
  for (char c : ref) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) std::abort();
  }
  (void)spdx_license_id(text);
  (void)spdx_exception_id(text);
  return 0;
}
