#include "sbom/catalogers/js_lock_graph.h"

#include <algorithm>
#include <cstdint>
#include <deque>

namespace cairn::sbom {

namespace {

std::set<std::size_t> reachable(const JsLockGraph& graph, const std::set<std::string>& roots,
                                const std::vector<std::vector<std::size_t>>& out) {
  std::set<std::size_t> seen;
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < graph.packages.size(); ++i) {
    if (roots.count(graph.packages[i].name) && seen.insert(i).second) queue.push_back(i);
  }
  while (!queue.empty()) {
    const std::size_t at = queue.front();
    queue.pop_front();
    for (std::size_t next : out[at])
      if (seen.insert(next).second) queue.push_back(next);
  }
  return seen;
}

}  // namespace

void mark_dev_only(JsLockGraph& graph, const std::set<std::string>& prod_roots, const std::set<std::string>& dev_roots) {
  std::vector<std::vector<std::size_t>> out(graph.packages.size());
  for (const auto& [from, to] : graph.depends) out[from].push_back(to);
  const auto prod = reachable(graph, prod_roots, out);
  for (std::size_t i : reachable(graph, dev_roots, out))
    if (!prod.count(i)) graph.packages[i].dev = true;
}

JsLockGraph without_dev(const JsLockGraph& graph) {
  JsLockGraph kept;
  kept.warnings = graph.warnings;
  std::vector<std::size_t> index(graph.packages.size(), SIZE_MAX);
  for (std::size_t i = 0; i < graph.packages.size(); ++i) {
    if (graph.packages[i].dev) continue;
    index[i] = kept.packages.size();
    kept.packages.push_back(graph.packages[i]);
  }
  for (const auto& [from, to] : graph.depends) {
    if (index[from] != SIZE_MAX && index[to] != SIZE_MAX) kept.depends.emplace_back(index[from], index[to]);
  }
  return kept;
}

void add_edge(JsLockGraph& graph, std::size_t from, std::size_t to) {
  if (from != to) graph.depends.emplace_back(from, to);
}

void dedupe_edges(JsLockGraph& graph) {
  std::sort(graph.depends.begin(), graph.depends.end());
  graph.depends.erase(std::unique(graph.depends.begin(), graph.depends.end()), graph.depends.end());
}

std::string strip_peer_suffix(const std::string& version) {
  std::string v = version.substr(0, version.find('('));
  if (!v.empty() && v[0] >= '0' && v[0] <= '9') v = v.substr(0, v.find('_'));
  return v;
}

std::pair<std::string, std::string> split_name_at_version(const std::string& spec) {
  const auto at = spec.rfind('@');
  if (at == std::string::npos || at == 0) return {"", ""};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

}  // namespace cairn::sbom
