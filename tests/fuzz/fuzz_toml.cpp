// The TOML reader over arbitrary bytes: no crash, no hang, no unbounded allocation; what
// it accepts must serialise (valid UTF-8 strings only).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = cairn::sbom::parse_toml(text);
  if (doc) (void)doc->dump();
  else (void)doc.error().to_string();
  return 0;
}
