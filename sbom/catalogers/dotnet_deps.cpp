#include "sbom/catalogers/dotnet_deps.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

// Bounds for hostile manifests: real ones name a few hundred libraries.
constexpr std::size_t kMaxLibraries = 100000;
constexpr std::size_t kMaxDependenciesPerLibrary = 10000;
constexpr std::size_t kMaxEdges = 1'000'000;
constexpr std::size_t kSkipOverBudget = 10'000'000;

// Tools that merge dependency assemblies into the application's own, so the merged
// libraries claim no assembly of their own (the list Syft keeps).
const std::set<std::string, std::less<>> kKnownBundlers = {
    "ILRepack.Lib.MSBuild.Task", "ILRepack.Lib", "ILRepack.Lib.MSBuild", "ILRepack.Lib.NET",
    "ILRepack.NETStandard",      "ILRepack.FullAuto", "ILMerge", "JetBrains.Build.ILRepack",
    "PostSharp.Community.Packer", "Brokenevent.ILStrip", "Brokenevent.ILStrip.CLI", "Costura.Fody", "Fody"};

// One "name/version" of the targets, merged over every target it appears in.
struct Logical {
  std::set<std::string> dependencies;  // "name/version"
  bool claims_assembly = false;
  const json* library = nullptr;  // its "libraries" entry
};

bool split_name_version(const std::string& key, std::string& name, std::string& version) {
  auto slash = key.find('/');
  if (slash == std::string::npos || slash == 0) return false;
  name = key.substr(0, slash);
  version = key.substr(slash + 1);
  return true;
}

bool has_entries(const json& target, const char* key) {
  auto it = target.find(key);
  return it != target.end() && it->is_object() && !it->empty();
}

// The libraries that claim an assembly themselves or through any dependency: everything
// that reaches a self-claiming library, found backwards from those in one linear pass.
std::set<std::string> claiming_libraries(const std::map<std::string, Logical>& logical) {
  std::map<std::string, std::vector<std::string>> dependants;
  std::vector<std::string> queue;
  for (const auto& [key, l] : logical) {
    for (const auto& dep : l.dependencies) dependants[dep].push_back(key);
    if (l.claims_assembly) queue.push_back(key);
  }
  std::set<std::string> claiming(queue.begin(), queue.end());
  while (!queue.empty()) {
    std::string current = std::move(queue.back());
    queue.pop_back();
    auto it = dependants.find(current);
    if (it == dependants.end()) continue;
    for (const auto& dependant : it->second)
      if (claiming.insert(dependant).second) queue.push_back(dependant);
  }
  return claiming;
}

// The reported libraries a left-out one stands for: its dependencies, looking through
// those that were left out too. `budget` bounds the total walk over a hostile graph
// (real manifests need a few thousand steps).
std::vector<std::size_t> nearest_reported(const std::string& skipped, const std::map<std::string, Logical>& logical,
                                          const std::map<std::string, std::size_t>& reported, std::size_t& budget) {
  std::vector<std::size_t> out;
  std::set<std::string> visited{skipped};
  std::vector<std::string> stack{skipped};
  while (!stack.empty() && budget > 0) {
    std::string current = std::move(stack.back());
    stack.pop_back();
    auto it = logical.find(current);
    if (it == logical.end()) continue;
    for (const auto& dep : it->second.dependencies) {
      if (budget == 0) break;
      --budget;
      if (auto r = reported.find(dep); r != reported.end()) {
        out.push_back(r->second);
      } else if (logical.count(dep) && visited.insert(dep).second) {
        stack.push_back(dep);
      }
    }
  }
  return out;
}

}  // namespace

std::string deps_json_root_name(std::string_view path) {
  static constexpr std::string_view kSuffix = ".deps.json";
  if (!path.ends_with(kSuffix)) return "";
  path.remove_suffix(kSuffix.size());
  auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Result<DotnetDeps> parse_dotnet_deps(std::string_view text, const std::string& root_name, DotnetDepsSelection selection) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSON: expected a deps.json object");
  if (!doc.is_object()) return input_error(std::string("expected a JSON object, found ") + doc.type_name());
  const json empty = json::object();
  const json* targets = &empty;
  if (auto it = doc.find("targets"); it != doc.end()) {
    if (!it->is_object()) return input_error("field \"targets\": expected an object of target frameworks");
    targets = &*it;
  }
  const json* libraries = &empty;
  if (auto it = doc.find("libraries"); it != doc.end()) {
    if (!it->is_object()) return input_error("field \"libraries\": expected an object of \"name/version\" entries");
    libraries = &*it;
  }

  std::map<std::string, Logical> logical;
  for (const auto& [framework, entries] : targets->items()) {
    if (!entries.is_object()) continue;
    for (const auto& [key, target] : entries.items()) {
      std::string name, version;
      if (!target.is_object() || !split_name_version(key, name, version)) continue;
      if (!logical.count(key) && logical.size() >= kMaxLibraries) continue;
      Logical& l = logical[key];
      if (auto lib = libraries->find(key); lib != libraries->end() && lib->is_object()) l.library = &*lib;
      l.claims_assembly = l.claims_assembly || has_entries(target, "runtime") || has_entries(target, "resources") ||
                          has_entries(target, "compile") || has_entries(target, "native");
      if (auto deps = target.find("dependencies"); deps != target.end() && deps->is_object()) {
        for (const auto& [dep_name, dep_version] : deps->items()) {
          if (l.dependencies.size() >= kMaxDependenciesPerLibrary) break;
          if (dep_version.is_string()) l.dependencies.insert(dep_name + "/" + dep_version.get<std::string>());
        }
      }
    }
  }

  bool bundling = false;
  for (const auto& [key, l] : logical) {
    std::string name, version;
    split_name_version(key, name, version);
    if (kKnownBundlers.count(name)) bundling = true;
  }

  DotnetDeps out;
  std::map<std::string, std::size_t> reported;  // "name/version" -> index
  auto library_field = [](const Logical& l, const char* field) {
    return l.library ? json_string_field(*l.library, field) : std::string();
  };
  auto report = [&](const std::string& key, const Logical& l, bool is_root) {
    DotnetDepsLibrary lib;
    split_name_version(key, lib.name, lib.version);
    lib.type = library_field(l, "type");
    lib.sha512 = library_field(l, "sha512");
    lib.path = library_field(l, "path");
    lib.hash_path = library_field(l, "hashPath");
    lib.is_root = is_root;
    reported[key] = out.libraries.size();
    out.libraries.push_back(std::move(lib));
  };

  const std::set<std::string> claiming = claiming_libraries(logical);
  std::string root_key;
  for (const auto& [key, l] : logical) {
    std::string name, version;
    split_name_version(key, name, version);
    if (!root_name.empty() && name == root_name && library_field(l, "type") == "project") {
      root_key = key;
      report(key, l, true);
      break;
    }
  }
  for (const auto& [key, l] : logical) {  // std::map: sorted by "name/version"
    if (key == root_key) continue;
    const std::string type = library_field(l, "type");
    if (type == "referenceassembly" && library_field(l, "sha512").empty() && library_field(l, "path").empty()) continue;
    if (selection == DotnetDepsSelection::ClaimedAssemblies) {
      // A project reference is built from the application's own sources: part of the
      // root, not a package of its own (Syft's default cataloger leaves them out too).
      if (type == "project") continue;
      if (!bundling && !claiming.count(key)) continue;
    }
    report(key, l, false);
  }

  std::set<Dependency> edges;
  std::map<std::string, std::vector<std::size_t>> nearest_cache;
  std::size_t budget = kSkipOverBudget;
  for (const auto& [key, l] : logical) {
    auto from = reported.find(key);
    if (from == reported.end()) continue;
    for (const auto& dep : l.dependencies) {
      if (edges.size() >= kMaxEdges) break;
      if (auto to = reported.find(dep); to != reported.end()) {
        if (to->second != from->second) edges.insert({from->second, to->second});
      } else if (logical.count(dep)) {
        auto cached = nearest_cache.find(dep);
        if (cached == nearest_cache.end())
          cached = nearest_cache.emplace(dep, nearest_reported(dep, logical, reported, budget)).first;
        for (auto to_index : cached->second)
          if (to_index != from->second) edges.insert({from->second, to_index});
      }
    }
  }
  out.dependencies.assign(edges.begin(), edges.end());
  return out;
}

}  // namespace cairn::sbom
