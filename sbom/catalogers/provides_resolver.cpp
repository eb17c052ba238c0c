#include "sbom/catalogers/provides_resolver.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/log.h"

namespace cairn::sbom {

std::vector<Dependency> resolve_provides(const std::vector<ProvidesRequires>& packages) {
  std::map<std::string, std::set<std::size_t>, std::less<>> providers;
  for (std::size_t i = 0; i < packages.size(); ++i)
    for (const auto& resource : packages[i].provides)
      if (!resource.empty()) providers[resource].insert(i);

  std::vector<Dependency> edges;
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    std::set<std::string> needed(packages[i].requirements.begin(), packages[i].requirements.end());
    for (const auto& resource : needed) {
      auto it = providers.find(resource);
      if (it == providers.end()) continue;
      for (std::size_t provider : it->second) {
        if (provider == i || !seen.insert({i, provider}).second) continue;
        if (edges.size() == kMaxProvidesEdges) {
          log::warn("package dependencies: more than " + std::to_string(kMaxProvidesEdges) +
                    " edges in one database; the rest are left out");
          return edges;
        }
        edges.push_back({i, provider});
      }
    }
  }
  return edges;
}

}  // namespace cairn::sbom
