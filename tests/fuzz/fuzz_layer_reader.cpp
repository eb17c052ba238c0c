// The tar walker: any bytes as a layer blob (compressed or not) must give a result or an
// error, never a crash, hang or unbounded allocation.
#include <cstdint>
#include <string>

#include "core/log.h"
#include "sbom/layer_fs.h"
#include "sbom/layer_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn;
  log::set_quiet(true);
  static const sbom::CapturePolicy policy({{"**/var/lib/dpkg/status", 1 << 20}, {"/etc/*", 1 << 16}});
  MemoryStream stream(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  auto r = sbom::read_layer(stream, {}, policy, "fuzz layer");
  if (r) {
    sbom::LayerFs fs;
    fs.apply(r->contents, 0);
    fs.read("/etc/os-release");
    fs.glob("**/var/lib/dpkg/status");
  }
  return 0;
}
