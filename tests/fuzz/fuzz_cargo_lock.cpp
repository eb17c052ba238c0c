// The Cargo.lock parser and dependency resolution over arbitrary bytes: no crash, no
// hang, no unbounded allocation, every edge within the entry list.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sbom/catalogers/rust_cargo_lock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CargoLockParse lock = parse_cargo_lock(text);
  for (const auto& d : cargo_lock_dependencies(lock.entries))
    if (d.from >= lock.entries.size() || d.to >= lock.entries.size()) std::abort();
  return 0;
}
