// The TOML-based Python lock parsers (poetry.lock, uv.lock, pdm.lock) and the setup.py
// pin reader over arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/python_lockfiles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_poetry_lock(text);
  (void)parse_uv_lock(text);
  (void)parse_pdm_lock(text);
  (void)parse_python_setup(text);
  return 0;
}
