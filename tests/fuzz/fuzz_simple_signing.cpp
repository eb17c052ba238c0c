// Signed payloads as a hostile .sig layer would hold them.
#include <cstdint>
#include <string_view>

#include "attest/simple_signing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)cairn::attest::parse_simple_signing(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz payload");
  return 0;
}
