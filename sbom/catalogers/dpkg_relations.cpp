#include "sbom/catalogers/dpkg_relations.h"

#include <algorithm>
#include <unordered_map>

namespace cairn::sbom::dpkg {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string bare_name(std::string_view item) {
  auto name = trim(item.substr(0, item.find_first_of("[(<>=")));
  name = name.substr(0, name.find(':'));
  return std::string(trim(name));
}

std::vector<std::string> clause_alternatives(std::string_view clause) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= clause.size()) {
    auto bar = clause.find('|', pos);
    if (bar == std::string_view::npos) bar = clause.size();
    auto name = bare_name(clause.substr(pos, bar - pos));
    if (!name.empty()) out.push_back(std::move(name));
    pos = bar + 1;
  }
  return out;
}

std::vector<Dependency> resolve_dependencies(const std::vector<Package>& packages, bool* truncated) {
  if (truncated) *truncated = false;
  std::unordered_map<std::string, std::vector<std::size_t>> providers;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    auto add = [&](const std::string& name) {
      auto& list = providers[name];
      if (list.empty() || list.back() != i) list.push_back(i);  // a name provided twice counts once
    };
    add(packages[i].name);
    for (const auto& p : packages[i].provides)
      if (!p.empty()) add(p);
  }
  std::vector<Dependency> edges;
  bool full = false;
  for (std::size_t from = 0; from < packages.size() && !full; ++from) {
    // Each required name once, so the work is bounded by the edges it yields.
    std::vector<std::string> required;
    for (const auto& clause : packages[from].depends)
      for (auto& name : clause_alternatives(clause)) required.push_back(std::move(name));
    std::sort(required.begin(), required.end());
    required.erase(std::unique(required.begin(), required.end()), required.end());
    for (const auto& name : required) {
      if (full) break;
      auto it = providers.find(name);
      if (it == providers.end()) continue;
      for (std::size_t to : it->second) {
        if (to == from) continue;
        if (edges.size() == kMaxDependencyEdges) {
          full = true;
          break;
        }
        edges.push_back(Dependency{from, to});
      }
    }
  }
  if (truncated) *truncated = full;
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

}  // namespace cairn::sbom::dpkg
