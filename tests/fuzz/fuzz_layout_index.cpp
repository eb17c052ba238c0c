// A layout's index.json as a hostile layout would hold it: parsed, and rewritten with a
// new entry (tagged and untagged); whatever cairn writes back must parse again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "oci/layout_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::oci;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)parse_layout_index(bytes, "fuzz/index.json");

  Descriptor entry;
  entry.media_type = "application/vnd.oci.image.manifest.v1+json";
  entry.digest = cairn::Digest{"sha256", std::string(64, 'a')};
  entry.size = 2;
  auto stays = [](const Descriptor& d) { return d.size % 2 == 0; };
  for (std::string tag : {"", "latest"}) {
    Descriptor e = entry;
    if (!tag.empty()) e.annotations[std::string(kLayoutRefNameAnnotation)] = tag;
    auto updated = updated_layout_index(bytes, "fuzz/index.json", e, tag, stays);
    if (updated && *updated && !parse_layout_index(**updated, "fuzz/rewritten")) std::abort();
  }
  return 0;
}
