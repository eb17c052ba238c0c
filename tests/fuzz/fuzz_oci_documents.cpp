// Manifests, indexes and configs as a hostile registry or archive would send them.
#include <cstdint>
#include <string_view>

#include "oci/image_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)cairn::oci::parse_manifest(bytes, "fuzz");
  (void)cairn::oci::parse_index(bytes, "fuzz");
  (void)cairn::oci::parse_config(bytes, "fuzz");
  (void)cairn::oci::sniff_media_type(bytes, "fuzz");
  return 0;
}
