// poetry.lock, uv.lock and pdm.lock: [[package]] tables read with the TOML reader, and the
// dependency claims Syft links between entries of the same lock file.
#include <algorithm>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/catalogers/python_metadata.h"
#include "sbom/toml.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxLockEntries = 100000;
constexpr std::size_t kMaxDependencies = 100000;

std::string where(std::size_t index) { return "[[package]] " + std::to_string(index + 1); }

// A string field; absent is "", any other type is a problem naming the package and field.
std::string string_field(const json& table, const char* key, std::size_t index, std::vector<std::string>& problems) {
  auto it = table.find(key);
  if (it == table.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  problems.push_back(where(index) + ": field " + key + ": not a string");
  return {};
}

void add_dependency(PythonLockEntry& e, std::string name, std::string version = {}) {
  if (name.empty() || e.dependencies.size() >= kMaxDependencies) return;
  PythonLockDependency d{std::move(name), std::move(version)};
  if (std::find(e.dependencies.begin(), e.dependencies.end(), d) == e.dependencies.end()) e.dependencies.push_back(std::move(d));
}

// Requirement strings ("coverage[toml]>=5.2.1", "idna (<3)") of a TOML array.
void add_requirements(PythonLockEntry& e, const json& list) {
  if (!list.is_array()) return;
  for (const auto& r : list)
    if (r.is_string()) add_dependency(e, python_requirement_name(r.get<std::string>()));
}

// The document's [[package]] tables, or a problem. Calls read(table, index) for each.
template <class Read>
PythonLockParse read_packages(std::string_view text, Read read) {
  PythonLockParse out;
  auto doc = parse_toml(text);
  if (!doc) {
    out.problems.push_back("not valid TOML: " + doc.error().to_string());
    return out;
  }
  auto packages = doc->find("package");
  if (packages == doc->end()) return out;
  if (!packages->is_array()) {
    out.problems.push_back("field package: not an array of tables");
    return out;
  }
  for (std::size_t i = 0; i < packages->size(); ++i) {
    if (out.entries.size() >= kMaxLockEntries) {
      out.problems.push_back("more than " + std::to_string(kMaxLockEntries) + " packages, the rest ignored");
      break;
    }
    const json& table = (*packages)[i];
    if (!table.is_object()) {
      out.problems.push_back(where(i) + ": not a table");
      continue;
    }
    PythonLockEntry e;
    e.name = string_field(table, "name", i, out.problems);
    e.version = string_field(table, "version", i, out.problems);
    if (e.name.empty()) {
      out.problems.push_back(where(i) + ": no name");
      continue;
    }
    read(table, i, e, out.problems);
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace

PythonLockParse parse_poetry_lock(std::string_view text) {
  return read_packages(text, [](const json& table, std::size_t i, PythonLockEntry& e, std::vector<std::string>& problems) {
    // Without a [package.source] the package comes from PyPI, as Syft records it.
    e.index = "https://pypi.org/simple";
    if (auto source = table.find("source"); source != table.end() && source->is_object())
      if (auto url = string_field(*source, "url", i, problems); !url.empty()) e.index = url;
    if (auto deps = table.find("dependencies"); deps != table.end() && deps->is_object())
      for (const auto& [key, constraint] : deps->items()) add_dependency(e, python_requirement_name(key));
    if (auto extras = table.find("extras"); extras != table.end() && extras->is_object())
      for (const auto& [extra, requirements] : extras->items()) add_requirements(e, requirements);
  });
}

PythonLockParse parse_uv_lock(std::string_view text) {
  // Syft reads lock versions up to 1 and refuses later ones, whose meaning may differ.
  auto doc = parse_toml(text);
  if (doc) {
    auto version = doc->find("version");
    if (version != doc->end() && version->is_number_integer() && version->get<std::int64_t>() > 1) {
      PythonLockParse out;
      out.problems.push_back("field version: lock version " + std::to_string(version->get<std::int64_t>()) +
                             " is not supported (1 is)");
      return out;
    }
  }
  return read_packages(text, [](const json& table, std::size_t i, PythonLockEntry& e, std::vector<std::string>& problems) {
    // source = { registry = "https://pypi.org/simple" } or { virtual = "." }, { git = … }, …
    if (auto source = table.find("source"); source != table.end() && source->is_object())
      for (const auto& [kind, value] : source->items())
        if (value.is_string() && e.index.empty()) e.index = value.get<std::string>();
    // A dependency whose marker limits it to an extra of the dependent belongs to that
    // extra's optional-dependencies, read below.
    auto add_entries = [&](const json& list, bool skip_extra_markers) {
      if (!list.is_array()) return;
      for (const auto& d : list) {
        if (!d.is_object()) continue;
        std::string marker = string_field(d, "marker", i, problems);
        if (skip_extra_markers && marker.find("extra ==") != std::string::npos) continue;
        add_dependency(e, normalize_python_name(string_field(d, "name", i, problems)), string_field(d, "version", i, problems));
      }
    };
    if (auto deps = table.find("dependencies"); deps != table.end()) add_entries(*deps, true);
    if (auto optional = table.find("optional-dependencies"); optional != table.end() && optional->is_object())
      for (const auto& [extra, list] : optional->items()) add_entries(list, false);
  });
}

PythonLockParse parse_pdm_lock(std::string_view text) {
  // Keep each table's extras to merge entries of the same name and version afterwards.
  std::vector<bool> has_extras;
  PythonLockParse parsed = read_packages(text, [&](const json& table, std::size_t i, PythonLockEntry& e, std::vector<std::string>& problems) {
    if (auto deps = table.find("dependencies"); deps != table.end()) add_requirements(e, *deps);
    for (const char* key : {"summary", "marker", "requires_python"}) {
      std::string value = string_field(table, key, i, problems);
      if (!value.empty()) e.metadata[key] = value;
    }
    auto extras = table.find("extras");
    has_extras.push_back(extras != table.end() && extras->is_array() && !extras->empty());
  });
  // PDM writes one [[package]] per extras combination in use ("coverage" and
  // "coverage" with extras = ["toml"]): one package, the base entry's metadata, the
  // dependencies of all of them.
  PythonLockParse out;
  out.problems = std::move(parsed.problems);
  std::map<std::pair<std::string, std::string>, std::size_t> merged;
  for (std::size_t i = 0; i < parsed.entries.size(); ++i) {
    PythonLockEntry& e = parsed.entries[i];
    auto [it, inserted] = merged.emplace(std::make_pair(normalize_python_name(e.name), e.version), out.entries.size());
    if (inserted) {
      out.entries.push_back(std::move(e));
      continue;
    }
    PythonLockEntry& base = out.entries[it->second];
    for (auto& d : e.dependencies) add_dependency(base, std::move(d.name), std::move(d.version));
    if (!has_extras[i]) base.metadata = std::move(e.metadata);
  }
  return out;
}

}  // namespace cairn::sbom
