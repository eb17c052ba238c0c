// Go build info over arbitrary bytes: as a whole executable, as the content of a
// .go.buildinfo section (inline layout) and of a .data section (pointer layout), as
// module-info text, and go.mod / go.sum: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/catalogers/go_binary.h"
#include "sbom/catalogers/go_buildinfo.h"
#include "sbom/catalogers/go_mod.h"
#include "tests/unit/executable_builder.h"

namespace {

void use(const cairn::Result<std::vector<cairn::sbom::GoBuildInfo>>& infos) {
  if (!infos) return;
  for (const auto& info : *infos) (void)cairn::sbom::go_version_m_text(info);
  auto json = cairn::sbom::go_buildinfo_to_json(*infos);
  auto back = cairn::sbom::go_buildinfo_from_json(json);
  if (back) (void)cairn::sbom::go_binary_packages("/fuzz", *back);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  use(read_go_buildinfo(bytes));
  (void)go_buildinfo_extract("/fuzz", bytes);

  // The bytes behind the magic, so the fuzzer explores the blob rather than the headers.
  std::string blob = std::string("\xff Go buildinf:", 14) + std::string(bytes);
  use(read_go_buildinfo(cairn::testing::build_elf(true, true, 62, {{".go.buildinfo", 0x1000, blob, true}})));
  use(read_go_buildinfo(cairn::testing::build_elf(false, false, 8, {{".data", 0x1000, blob, true}})));

  GoBuildInfo info;
  if (parse_go_modinfo(bytes, info)) {
    (void)go_version_m_text(info);
    (void)go_main_module_version(info);
    (void)go_binary_packages("/fuzz", {info});
  }
  (void)parse_go_mod(bytes);
  (void)parse_go_sum(bytes);
  return 0;
}
