#include "sbom/catalogers/bun_lock.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxWarnings = 100;

// "a" or ["a", "b"] -> "a" / "a,b".
std::string joined(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  std::string out;
  if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_string()) continue;
      if (!out.empty()) out += ",";
      out += item.get<std::string>();
    }
  }
  return out;
}

// "name@1.2.3", "@scope/name@1.2.3", "alias@npm:real@1.2.3" -> the real name and version;
// false for workspace:, link:, file:, github: and other non-registry sources.
bool registry_package(std::string spec, std::string& name, std::string& version) {
  auto at = spec.find('@', 1);
  if (at == std::string::npos) return false;
  name = spec.substr(0, at);
  version = spec.substr(at + 1);
  if (version.starts_with("npm:")) {
    spec = version.substr(4);
    at = spec.find('@', 1);
    if (at == std::string::npos) return false;
    name = spec.substr(0, at);
    version = spec.substr(at + 1);
  }
  return !name.empty() && !version.empty() && version.find(':') == std::string::npos &&
         version.find('/') == std::string::npos;
}

}  // namespace

std::string jsonc_to_json(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pending_comma = std::string::npos;  // index in `out` of a ',' not yet known to be trailing
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      pending_comma = std::string::npos;
      out += c;
      for (++i; i < text.size(); ++i) {
        out += text[i];
        if (text[i] == '\\' && i + 1 < text.size()) {
          out += text[++i];
        } else if (text[i] == '"') {
          break;
        }
      }
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      out += '\n';
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 1;
      out += ' ';
      continue;
    }
    if ((c == '}' || c == ']') && pending_comma != std::string::npos) out[pending_comma] = ' ';
    if (c == ',') {
      pending_comma = out.size();
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      pending_comma = std::string::npos;
    }
    out += c;
  }
  return out;
}

Result<JsLockGraph> parse_bun_lock(std::string_view text) {
  const std::string plain = jsonc_to_json(text);
  json doc = json::parse(plain, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSONC: expected a bun.lock object");
  if (!doc.is_object()) return input_error(std::string("expected a JSON object, found ") + doc.type_name());
  auto packages = doc.find("packages");
  if (packages != doc.end() && !packages->is_object()) {
    return input_error(std::string("field \"packages\": expected an object, found ") + packages->type_name());
  }

  JsLockGraph graph;
  std::map<std::pair<std::string, std::string>, std::size_t> by_id;
  std::map<std::string, std::size_t> by_key;
  std::vector<std::pair<std::string, std::vector<std::string>>> wanted;  // key, dependency names (per package)
  if (packages != doc.end()) {
    for (const auto& [key, tuple] : packages->items()) {
      if (!tuple.is_array() || tuple.empty() || !tuple[0].is_string()) {
        if (graph.warnings.size() < kMaxWarnings) {
          graph.warnings.push_back("packages key " + excerpt(key) + ": expected [\"name@version\", …]; skipped");
        }
        continue;
      }
      std::string name, version;
      if (!registry_package(tuple[0].get<std::string>(), name, version)) continue;
      auto [it, added] = by_id.emplace(std::make_pair(name, version), graph.packages.size());
      by_key.emplace(key, it->second);
      if (!added) continue;
      JsLockedPackage p;
      p.name = name;
      p.version = version;
      if (tuple.size() > 1 && tuple[1].is_string()) p.resolved = tuple[1].get<std::string>();
      if (tuple.size() > 3 && tuple[3].is_string()) p.integrity = tuple[3].get<std::string>();
      std::vector<std::string> dependency_names;
      for (std::size_t k = 1; k < tuple.size(); ++k) {
        if (!tuple[k].is_object()) continue;
        const json& meta = tuple[k];
        for (const char* field : {"os", "cpu"}) {
          if (auto v = meta.find(field); v != meta.end() && !joined(*v).empty()) p.metadata[field] = joined(*v);
        }
        for (const char* field : {"dependencies", "optionalDependencies"}) {
          auto deps = meta.find(field);
          if (deps == meta.end() || !deps->is_object()) continue;
          for (const auto& [dep, range] : deps->items()) dependency_names.push_back(dep);
        }
        break;
      }
      graph.packages.push_back(std::move(p));
      wanted.emplace_back(key, std::move(dependency_names));
    }
  }
  for (std::size_t from = 0; from < wanted.size(); ++from) {
    for (const auto& dep : wanted[from].second) {
      auto it = by_key.find(wanted[from].first + "/" + dep);
      if (it == by_key.end()) it = by_key.find(dep);
      if (it != by_key.end()) add_edge(graph, from, it->second);
    }
  }
  dedupe_edges(graph);

  std::set<std::string> prod_roots, dev_roots;
  if (auto workspaces = doc.find("workspaces"); workspaces != doc.end() && workspaces->is_object()) {
    for (const auto& [path, workspace] : workspaces->items()) {
      if (!workspace.is_object()) continue;
      for (const char* field : {"dependencies", "optionalDependencies", "peerDependencies", "devDependencies"}) {
        auto deps = workspace.find(field);
        if (deps == workspace.end() || !deps->is_object()) continue;
        auto& roots = std::string_view(field) == "devDependencies" ? dev_roots : prod_roots;
        for (const auto& [dep, range] : deps->items()) roots.insert(dep);
      }
    }
  }
  mark_dev_only(graph, prod_roots, dev_roots);
  return graph;
}

}  // namespace cairn::sbom
