#include "sbom/catalogers/nuget_packages_lock.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxEntries = 100000;
constexpr std::size_t kMaxEdges = 1'000'000;

}  // namespace

Result<NugetLock> parse_nuget_packages_lock(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSON: expected a packages.lock.json object");
  if (!doc.is_object()) return input_error(std::string("expected a JSON object, found ") + doc.type_name());
  auto frameworks = doc.find("dependencies");
  if (frameworks == doc.end()) return NugetLock{};
  if (!frameworks->is_object()) return input_error("field \"dependencies\": expected an object of target frameworks");

  std::map<std::pair<std::string, std::string>, NugetLockEntry> unique;
  for (const auto& [framework, packages] : frameworks->items()) {
    if (!packages.is_object()) continue;
    for (const auto& [name, entry] : packages.items()) {
      if (!entry.is_object() || unique.size() >= kMaxEntries) continue;
      std::string version = json_string_field(entry, "resolved");
      if (name.empty() || version.empty()) continue;
      // The same package restored for several frameworks: keep the first non-empty fields.
      auto [it, added] = unique.try_emplace(std::make_pair(name, version), NugetLockEntry{name, version, "", ""});
      if (it->second.type.empty()) it->second.type = json_string_field(entry, "type");
      if (it->second.content_hash.empty()) it->second.content_hash = json_string_field(entry, "contentHash");
    }
  }
  NugetLock out;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (auto& [key, entry] : unique) {
    index[key] = out.entries.size();
    out.entries.push_back(std::move(entry));
  }
  // A dependency names a version range's lower bound; the package restored for the same
  // framework under that name is the one it uses.
  std::set<Dependency> edges;
  for (const auto& [framework, packages] : frameworks->items()) {
    if (!packages.is_object()) continue;
    for (const auto& [name, entry] : packages.items()) {
      if (!entry.is_object()) continue;
      auto from = index.find({name, json_string_field(entry, "resolved")});
      auto deps = entry.find("dependencies");
      if (from == index.end() || deps == entry.end() || !deps->is_object()) continue;
      for (const auto& [dep_name, range] : deps->items()) {
        if (edges.size() >= kMaxEdges) break;
        auto dep = packages.find(dep_name);
        if (dep == packages.end() || !dep->is_object()) continue;
        auto to = index.find({dep_name, json_string_field(*dep, "resolved")});
        if (to != index.end() && to->second != from->second) edges.insert({from->second, to->second});
      }
    }
  }
  out.dependencies.assign(edges.begin(), edges.end());
  return out;
}

}  // namespace cairn::sbom
