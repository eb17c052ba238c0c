#pragma once
// .NET's <app>.deps.json (the dependency manifest the host reads at startup), as Syft
// reads it: the libraries named in "targets" (all target frameworks / runtime ids
// merged), each with its "libraries" entry (type, sha512, path, hashPath), and the
// "dependencies" between them.
//
// Which libraries become packages:
//  - the root project (type "project", named like the file: MyApp for MyApp.deps.json)
//    always;
//  - "referenceassembly" entries without a sha512 or path never: they are facades the
//    SDK references at compile time, not something shipped (Syft's phantom 10.0.0.0
//    DataProtection case);
//  - DotnetDepsSelection::ClaimedAssemblies (Syft's default dotnet-deps-binary-cataloger):
//    only libraries that claim an assembly (runtime, resources, compile or native
//    entries) themselves or through a dependency, unless a known IL bundler (ILRepack,
//    Costura.Fody, …) is among them; and no project references other than the root;
//  - DotnetDepsSelection::AllLibraries (Syft's older dotnet-deps-cataloger): everything
//    else in the targets.
// Dependency edges skip over libraries that were left out, to the nearest reported ones.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sbom/package.h"

namespace cairn::sbom {

enum class DotnetDepsSelection { ClaimedAssemblies, AllLibraries };

struct DotnetDepsLibrary {
  std::string name;
  std::string version;
  std::string type;  // "package", "project", "referenceassembly", …; "" without a libraries entry
  std::string sha512;
  std::string path;
  std::string hash_path;
  bool is_root = false;
};

struct DotnetDeps {
  std::vector<DotnetDepsLibrary> libraries;  // the root first, then by "name/version"
  std::vector<Dependency> dependencies;      // indexes into libraries: from depends on to
};

// The file name's prefix: "MyApp" for ".../MyApp.deps.json"; "" when it has none.
std::string deps_json_root_name(std::string_view path);

// Malformed JSON or a document that is not an object is an input error; a "targets" or
// "libraries" field of the wrong type is an error naming it.
Result<DotnetDeps> parse_dotnet_deps(std::string_view text, const std::string& root_name, DotnetDepsSelection selection);

}  // namespace cairn::sbom
