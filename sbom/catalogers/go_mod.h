#pragma once
// go.mod and go.sum, as Syft's go-module-file-cataloger reads them for dir: sources:
// every require (after replace directives, minus exclude directives), each with the h1
// hash go.sum records for that module version.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct GoModRequirement {
  std::string path;     // after replacement: the module actually used (a module replaced by
                        // a local directory keeps its own path)
  std::string version;  // empty for a replacement by a local directory
};

// The requirements of a go.mod, sorted by path. Strict like Go's modfile.Parse: an
// unknown directive or a malformed line is an error naming the line.
Result<std::vector<GoModRequirement>> parse_go_mod(std::string_view text);

// go.sum: (module path, version) -> "h1:..." for module zips (the "/go.mod" lines are
// hashes of go.mod files only and are left out). Malformed lines are skipped.
std::map<std::pair<std::string, std::string>, std::string> parse_go_sum(std::string_view text);

}  // namespace cairn::sbom
