// cargo-auditable data over arbitrary bytes: as a whole executable, as a .dep-v0 section
// (a zlib stream), and as the decompressed JSON: no crash, no hang, no decompression bomb.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/catalogers/rust_audit.h"
#include "sbom/zlib_inflate.h"
#include "tests/unit/executable_builder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)read_rust_audit(bytes);
  (void)rust_audit_extract("/fuzz", bytes);
  auto in_section = cairn::testing::build_elf(true, true, 62, {{".dep-v0", 0x1000, std::string(bytes), false}});
  auto audit = read_rust_audit(in_section);
  if (audit && *audit) (void)rust_audit_packages("/fuzz", **audit);
  (void)zlib_inflate(bytes, 1 << 20);
  auto packages = parse_rust_audit_json(bytes);
  if (packages) (void)rust_audit_packages("/fuzz", *packages);
  return 0;
}
