#pragma once
// NuGet's packages.lock.json (version 1 and 2): "dependencies" maps each target framework
// to the packages restored for it, with "type" (Direct, Transitive, CentralTransitive,
// Project), "resolved" version, "contentHash" and the package's own "dependencies".
// Entries without a resolved version (project references) are not packages.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sbom/package.h"

namespace cairn::sbom {

struct NugetLockEntry {
  std::string name;
  std::string version;       // "resolved"
  std::string type;          // as first seen
  std::string content_hash;
};

struct NugetLock {
  std::vector<NugetLockEntry> entries;   // unique by name and version, sorted
  std::vector<Dependency> dependencies;  // within one framework, by name to its resolved entry
};

Result<NugetLock> parse_nuget_packages_lock(std::string_view text);

}  // namespace cairn::sbom
