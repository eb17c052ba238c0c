// Sigstore bundles as a hostile file would hold them: the strict JSON reader (duplicate
// keys, depth), every field's type and base64, and the writer: what parses must write
// and parse again to the same text.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "attest/sigstore_bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto bundle = cairn::attest::parse_bundle(bytes, "fuzz.json");
  if (!bundle) return 0;
  auto text = cairn::attest::write_bundle(*bundle);
  if (!text) std::abort();
  auto again = cairn::attest::parse_bundle(*text, "fuzz.json");
  if (!again) std::abort();
  auto text_again = cairn::attest::write_bundle(*again);
  if (!text_again || *text_again != *text) std::abort();
  return 0;
}
