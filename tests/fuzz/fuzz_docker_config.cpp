// Docker config files (~/.docker/config.json) as a hostile or corrupted file would hold
// them. Parsing only: no credential helper is ever run.
#include <cstdint>
#include <string_view>

#include "core/log.h"
#include "oci/docker_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cairn::log::set_quiet(true);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto config = cairn::oci::parse_docker_config(bytes, "fuzz/config.json");
  if (config) {
    // Lookups that the auths section answers alone; skipped when the input configures a
    // helper, which lookup would run.
    if (bytes.find("credsStore") == std::string_view::npos && bytes.find("credHelpers") == std::string_view::npos &&
        bytes.find("\\u") == std::string_view::npos) {
      (void)config->lookup("ghcr.io");
      (void)config->lookup("docker.io");
      (void)config->lookup("localhost:5000");
    }
  }
  return 0;
}
