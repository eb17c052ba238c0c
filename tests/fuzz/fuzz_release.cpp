// os-release and the fallback release files over arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sbom/release.h"
#include "sbom/release_fallbacks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)parse_os_release(text);
  (void)parse_system_release_cpe(text);
  (void)parse_redhat_release(text);
  (void)parse_lsb_release(text);
  (void)parse_debian_version(text);
  (void)parse_alpine_release(text);
  (void)parse_busybox(text);
  return 0;
}
