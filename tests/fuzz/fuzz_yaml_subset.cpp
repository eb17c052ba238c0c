// The YAML subset reader (core schema and numbers-as-text) and the pnpm-lock.yaml parser
// built on it, over arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/pnpm_lock.h"
#include "sbom/yaml_subset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  yaml::Limits limits;
  limits.max_nodes = 100000;  // keeps each run fast; the cap itself is what is exercised
  (void)yaml::parse_documents(text, limits);
  limits.numbers_as_strings = true;
  (void)yaml::parse_documents(text, limits);
  (void)parse_pnpm_lock(text);
  return 0;
}
