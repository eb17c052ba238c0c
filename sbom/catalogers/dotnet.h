#pragma once
// .NET packages, as Syft's dotnet catalogers report them (type "dotnet", purl
// pkg:nuget/<name>@<version>):
//  - dotnet-deps-binary-cataloger (Syft's default): every **/*.deps.json, images and
//    dir: sources, with the libraries that claim an assembly (DotnetDepsSelection::
//    ClaimedAssemblies). Syft also reads the PE files (DLLs, EXEs) next to it; cairn
//    reads the manifest only, so a DLL that no deps.json names is not reported;
//  - dotnet-deps-cataloger (Syft's older deps.json-only form): every library of the
//    targets (DotnetDepsSelection::AllLibraries). Do not run both: they report the same
//    manifests;
//  - dotnet-packages-lock-cataloger: NuGet packages.lock.json of dir: sources.
#include "sbom/cataloger.h"
#include "sbom/catalogers/dotnet_deps.h"

namespace cairn::sbom {

Cataloger dotnet_deps_binary_cataloger();
Cataloger dotnet_deps_cataloger();
Cataloger dotnet_packages_lock_cataloger();

// The packages and edges of one deps.json at `path` (the root name comes from the path).
CatalogResult catalog_dotnet_deps_file(std::string_view text, const std::string& path, DotnetDepsSelection selection,
                                       const std::string& found_by);

}  // namespace cairn::sbom
