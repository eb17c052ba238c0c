// The executable reader over arbitrary bytes: ELF, PE, Mach-O and fat headers with any
// offsets, sizes and counts: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/binary/executable.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom::binary;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)has_executable_magic(bytes);
  auto all = parse_executables(bytes);
  if (!all) return 0;
  for (const auto& exe : *all) {
    for (const auto& section : exe.sections()) {
      (void)exe.section_bytes(section);
      (void)exe.read_address(section.address, 64);
      (void)exe.read_address(section.address + section.size, 1);
      (void)exe.find_section(section.name, section.segment);
    }
  }
  return 0;
}
