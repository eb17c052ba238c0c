// The .deps.json reader under both selections, and the NuGet packages.lock.json reader,
// over arbitrary bytes: no crash, no hang, no unbounded allocation or recursion.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/dotnet.h"
#include "sbom/catalogers/dotnet_deps.h"
#include "sbom/catalogers/nuget_packages_lock.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)catalog_dotnet_deps_file(text, "/app/App.deps.json", DotnetDepsSelection::ClaimedAssemblies,
                                 "dotnet-deps-binary-cataloger");
  (void)parse_dotnet_deps(text, "App", DotnetDepsSelection::AllLibraries);
  (void)parse_nuget_packages_lock(text);
  (void)deps_json_root_name(text);
  return 0;
}
