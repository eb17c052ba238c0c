#include "sbom/catalogers/rust_cargo_lock.h"

#include <algorithm>
#include <map>
#include <set>

#include "sbom/purl.h"
#include "sbom/toml.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "rust-cargo-lock-cataloger";
constexpr const char* kCargoLockPattern = "**/Cargo.lock";
constexpr std::size_t kLockCap = 16 * 1024 * 1024;
constexpr std::size_t kMaxEntries = 100000;

// A string field of a [[package]] table; absent is "", any other type is a problem.
std::string string_field(const nlohmann::json& table, const char* key, std::size_t index,
                         std::vector<std::string>& problems) {
  auto it = table.find(key);
  if (it == table.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  problems.push_back("[[package]] " + std::to_string(index + 1) + ": field " + key + ": not a string");
  return {};
}

// The source as a dependency names it: a git source without its "#<commit>" suffix.
std::string source_reference(const std::string& source) {
  return source.starts_with("git+") ? source.substr(0, source.find('#')) : source;
}

Package cargo_package(const CargoLockEntry& e, const std::string& path) {
  Package p;
  p.name = e.name;
  p.version = e.version;
  p.type = "rust-crate";
  p.found_by = kCatalogerName;
  // Path and workspace crates have no source and nothing a purl could point at.
  if (!e.source.empty()) p.purl = make_purl("cargo", "", e.name, e.version);
  p.locations.push_back(path);
  if (!e.source.empty()) p.metadata["source"] = e.source;
  if (!e.checksum.empty()) p.metadata["checksum"] = e.checksum;
  for (const auto& d : e.dependencies) p.depends.push_back(d);
  return p;
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult result;
  if (!ctx.directory_source) return result;
  for (const auto& path : files.glob(kCargoLockPattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(path + ": not read (larger than " + std::to_string(kLockCap) + " bytes)");
      continue;
    }
    auto parsed = parse_cargo_lock(*content);
    for (const auto& problem : parsed.problems) result.errors.push_back(path + ": " + problem);
    const std::size_t base = result.packages.size();
    for (const auto& e : parsed.entries) result.packages.push_back(cargo_package(e, path));
    for (const auto& d : cargo_lock_dependencies(parsed.entries)) result.dependencies.push_back({base + d.from, base + d.to});
  }
  return result;
}

}  // namespace

Cataloger rust_cargo_lock_cataloger() { return Cataloger{kCatalogerName, {{kCargoLockPattern, kLockCap}}, run}; }

CargoLockParse parse_cargo_lock(std::string_view text) {
  CargoLockParse out;
  auto doc = parse_toml(text);
  if (!doc) {
    out.problems.push_back("not valid TOML: " + doc.error().to_string());
    return out;
  }
  auto packages = doc->find("package");
  if (packages == doc->end()) return out;  // a workspace with no crates yet
  if (!packages->is_array()) {
    out.problems.push_back("field package: not an array of tables");
    return out;
  }
  for (std::size_t i = 0; i < packages->size(); ++i) {
    if (out.entries.size() >= kMaxEntries) {
      out.problems.push_back("more than " + std::to_string(kMaxEntries) + " packages, the rest ignored");
      break;
    }
    const auto& table = (*packages)[i];
    if (!table.is_object()) {
      out.problems.push_back("[[package]] " + std::to_string(i + 1) + ": not a table");
      continue;
    }
    CargoLockEntry e;
    e.name = string_field(table, "name", i, out.problems);
    e.version = string_field(table, "version", i, out.problems);
    e.source = string_field(table, "source", i, out.problems);
    e.checksum = string_field(table, "checksum", i, out.problems);
    if (auto deps = table.find("dependencies"); deps != table.end()) {
      if (!deps->is_array()) {
        out.problems.push_back("[[package]] " + std::to_string(i + 1) + ": field dependencies: not an array");
      } else {
        for (const auto& d : *deps) {
          if (d.is_string()) e.dependencies.push_back(d.get<std::string>());
          else out.problems.push_back("[[package]] " + std::to_string(i + 1) + ": field dependencies: an element is not a string");
        }
      }
    }
    if (e.name.empty()) {
      out.problems.push_back("[[package]] " + std::to_string(i + 1) + ": no name");
      continue;
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

std::vector<Dependency> cargo_lock_dependencies(const std::vector<CargoLockEntry>& entries) {
  std::multimap<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < entries.size(); ++i) by_name.emplace(entries[i].name, i);
  std::set<Dependency> edges;
  for (std::size_t from = 0; from < entries.size(); ++from) {
    for (const auto& spec : entries[from].dependencies) {
      // "name", "name version" or "name version (source)"
      std::string_view rest = spec;
      const std::string name(rest.substr(0, rest.find(' ')));
      rest.remove_prefix(std::min(rest.size(), name.size() + 1));
      const std::string version(rest.substr(0, rest.find(' ')));
      rest.remove_prefix(std::min(rest.size(), version.size() + 1));
      std::string source;
      if (rest.size() >= 2 && rest.front() == '(' && rest.back() == ')') source = rest.substr(1, rest.size() - 2);
      auto [lo, hi] = by_name.equal_range(name);
      for (auto it = lo; it != hi; ++it) {
        const CargoLockEntry& to = entries[it->second];
        if (!version.empty() && to.version != version) continue;
        if (!source.empty() && source_reference(to.source) != source_reference(source)) continue;
        if (it->second != from) edges.insert({from, it->second});
      }
    }
  }
  return {edges.begin(), edges.end()};
}

}  // namespace cairn::sbom
