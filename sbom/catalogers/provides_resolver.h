#pragma once
// Dependency edges between packages of one database from what each package provides
// (its name, sonames, commands, virtual names) and what it requires, as Syft's
// dependency resolver does for apk and alpm.
#include <string>
#include <vector>

#include "sbom/package.h"

namespace cairn::sbom {

struct ProvidesRequires {
  std::vector<std::string> provides;
  std::vector<std::string> requirements;  // "requires" is a C++ keyword
};

// One edge {dependant, provider} for every package that provides a resource another
// requires; each pair once, no package depending on itself. Edges come out dependant by
// dependant, then by resource name, then by provider index, so the result is stable.
// A hostile database (every package providing and requiring one name) would ask for the
// square of its package count: edges stop at kMaxProvidesEdges with a warning.
inline constexpr std::size_t kMaxProvidesEdges = 2'000'000;
std::vector<Dependency> resolve_provides(const std::vector<ProvidesRequires>& packages);

}  // namespace cairn::sbom
