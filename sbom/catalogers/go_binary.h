#pragma once
// Go modules, as Syft's golang catalogers report them.
//
// go-module-binary-cataloger: every executable (ELF, PE, Mach-O, whatever its name) that
// carries Go build info. The main module, each dependency (its `=>` replacement when
// there is one, with the h1 hash) and the Go standard library ("stdlib", with the
// golang:go CPE grype matches Go vulnerabilities on) become go-module packages; the main
// module depends on all others. A main module built outside a module (Debian's Go
// packages, `go build file.go`) is still reported, by its package path.
//
// go-module-file-cataloger (dir: sources only): go.mod requirements with go.sum hashes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"
#include "sbom/catalogers/go_buildinfo.h"

namespace cairn::sbom {

Cataloger go_module_binary_cataloger();
Cataloger go_module_file_cataloger();

// The capture-rule extractor: the build info of a Go executable as JSON (an {"error"}
// object when its build info is corrupt), nullopt for any other file.
std::optional<std::string> go_buildinfo_extract(std::string_view path, std::string_view bytes);

// The packages and relationships of one binary's build infos, located at `path`.
CatalogResult go_binary_packages(const std::string& path, const std::vector<GoBuildInfo>& infos);

// The main module's version as Syft settles a "(devel)" one: a semver from -ldflags
// (-X ...Version=1.2.3), else a pseudo-version from vcs.revision and vcs.time, else
// "(devel)" as it was.
std::string go_main_module_version(const GoBuildInfo& info);

// pkg:golang/<module path>@<version>
std::string go_purl(const std::string& module_path, const std::string& version);

}  // namespace cairn::sbom
