// Registry answers are hostile input: WWW-Authenticate challenges, token answers,
// references and URLs from Location headers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/http.h"
#include "oci/reference.h"
#include "oci/registry_auth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)cairn::oci::parse_challenges(text);
  (void)cairn::oci::parse_token_answer(text, "fuzz");
  (void)cairn::oci::ImageReference::parse(text);
  if (auto base = cairn::http::Url::parse("https://registry.example/v2/a/blobs/uploads/")) (void)cairn::http::resolve_url(*base, text);
  (void)cairn::http::Url::parse(text);
  return 0;
}
