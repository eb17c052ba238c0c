// The gemspec reader (and the package built from it) and the Gemfile.lock reader over
// arbitrary bytes: no crash, no hang, no unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/gemfile_lock.h"
#include "sbom/catalogers/gemspec.h"
#include "sbom/catalogers/ruby.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto spec = parse_gemspec(text)) {
    (void)gemspec_package(*spec, "/usr/lib/ruby/gems/3.1.0/specifications/x-1.0.gemspec");
  }
  (void)parse_gemfile_lock(text);
  (void)strip_gem_platform(text);
  return 0;
}
