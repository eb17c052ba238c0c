#pragma once
// The build information the Go toolchain embeds in every binary (the blob behind the
// "\xff Go buildinf:" magic), read as `go version -m` reads it: the Go version, the main
// package path, the main module, the dependencies (with their `=>` replacements) and the
// build settings. Both layouts are read: Go >= 1.18 writes the strings inline after the
// 32-byte header; older releases write pointers to Go string headers in the data section.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct GoModuleVersion {
  std::string path;
  std::string version;
  std::string sum;  // "h1:..." or empty
  bool operator==(const GoModuleVersion&) const = default;
};

struct GoModule : GoModuleVersion {
  std::optional<GoModuleVersion> replace;  // the `=>` line that follows, if any
};

struct GoBuildInfo {
  std::string go_version;  // "go1.19.8" (may carry " X:experiment" suffixes)
  std::string path;        // main package path ("command-line-arguments" for `go build x.go`)
  std::optional<GoModule> main;
  std::vector<GoModule> deps;
  std::vector<std::pair<std::string, std::string>> settings;  // in order, as written
  std::string arch;  // GOARCH from the settings, else from the executable's header
};

// The build info of every Go program in an executable (one per fat Mach-O slice); an
// empty vector when the file is an executable but not a Go one. Errors name the field.
Result<std::vector<GoBuildInfo>> read_go_buildinfo(std::string_view executable_bytes);

// Parses the module-info text ("path\t...\nmod\t...\ndep\t...\nbuild\tk=v\n") into info.
Status parse_go_modinfo(std::string_view text, GoBuildInfo& info);

// The text `go version -m FILE` prints for it, from the ": go1.x" on ("FILE" left out).
std::string go_version_m_text(const GoBuildInfo& info);

// The extract kept for a scanned executable, and back.
std::string go_buildinfo_to_json(const std::vector<GoBuildInfo>& infos);
Result<std::vector<GoBuildInfo>> go_buildinfo_from_json(std::string_view json);

}  // namespace cairn::sbom
