#include "sbom/catalogers/js_lockfiles.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "sbom/catalogers/bun_lock.h"
#include "sbom/catalogers/deno_lock.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/npm_package_json.h"
#include "sbom/catalogers/pnpm_lock.h"
#include "sbom/catalogers/yarn_lock.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

// Lock files of large monorepos run to tens of megabytes.
constexpr std::size_t kLockCap = 64 * 1024 * 1024;
constexpr std::size_t kManifestCap = 8 * 1024 * 1024;

struct LockKind {
  const char* pattern;
  std::function<Result<JsLockGraph>(std::string_view)> parse;
};

const std::vector<LockKind>& lock_kinds() {
  static const std::vector<LockKind> kinds = {
      {"**/yarn.lock", parse_yarn_lock},
      {"**/pnpm-lock.yaml", parse_pnpm_lock},
      {"**/bun.lock", parse_bun_lock},
      {"**/deno.lock", parse_deno_lock},
  };
  return kinds;
}

bool inside_node_modules(std::string_view path) {
  return path.find("/node_modules/") != std::string_view::npos || path.starts_with("node_modules/");
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

std::string sibling(const std::string& path, const char* name) {
  const std::string dir = parent_dir(path);
  return dir == "/" ? std::string("/") + name : dir + "/" + name;
}

// The project's package.json decides which yarn.lock entries are development
// dependencies: what its devDependencies reach and its other dependencies do not.
void mark_yarn_dev(const FileResolver& files, const std::string& lock_path, JsLockGraph& graph,
                   CatalogResult& result) {
  const std::string manifest_path = sibling(lock_path, "package.json");
  const std::string* content = files.read(manifest_path);
  if (!content) return;
  auto doc = nlohmann::json::parse(*content, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    result.errors.push_back(manifest_path + ": malformed JSON; the development dependencies in " + lock_path +
                            " are not known and are reported");
    return;
  }
  std::set<std::string> prod_roots, dev_roots;
  for (const char* field : {"dependencies", "optionalDependencies", "peerDependencies", "devDependencies"}) {
    auto deps = doc.find(field);
    if (deps == doc.end() || !deps->is_object()) continue;
    auto& roots = std::string_view(field) == "devDependencies" ? dev_roots : prod_roots;
    for (const auto& [name, range] : deps->items()) roots.insert(name);
  }
  mark_dev_only(graph, prod_roots, dev_roots);
}

std::string locked_purl(const JsLockedPackage& p) {
  if (p.repository_url.empty()) return npm_purl(p.name, p.version);
  std::string ns, name = p.name;
  if (name.starts_with('@')) {
    const auto slash = name.find('/');
    if (slash != std::string::npos) {
      ns = name.substr(0, slash);
      name = name.substr(slash + 1);
    }
  }
  return make_purl("npm", ns, name, p.version, {{"repository_url", p.repository_url}});
}

void add_graph(const FileResolver& files, const std::string& path, const JsLockGraph& graph,
               const std::string& found_by, CatalogResult& result) {
  const std::size_t base = result.packages.size();
  const std::string lock_dir = parent_dir(path);
  for (const auto& locked : graph.packages) {
    Package p;
    p.name = locked.name;
    p.version = locked.version;
    p.type = "npm";
    p.found_by = found_by;
    p.purl = locked_purl(locked);
    p.licenses = installed_licenses(files, lock_dir, locked.name, locked.version);
    p.locations.push_back(path);
    if (!locked.resolved.empty()) p.metadata["resolved"] = locked.resolved;
    if (!locked.integrity.empty()) p.metadata["integrity"] = locked.integrity;
    for (const auto& [key, value] : locked.metadata) p.metadata[key] = value;
    result.packages.push_back(std::move(p));
  }
  for (const auto& [from, to] : graph.depends) result.dependencies.push_back({base + from, base + to});
}

}  // namespace

std::vector<CaptureRule> js_lockfile_captures() {
  std::vector<CaptureRule> rules;
  for (const auto& kind : lock_kinds()) rules.push_back({kind.pattern, kLockCap});
  rules.push_back({"**/package.json", kManifestCap});
  return rules;
}

void catalog_js_lockfiles(const FileResolver& files, bool include_dev, const std::string& found_by,
                          CatalogResult& result) {
  for (const auto& kind : lock_kinds()) {
    const bool is_yarn = std::string_view(kind.pattern) == "**/yarn.lock";
    for (const auto& path : files.glob(kind.pattern)) {
      if (inside_node_modules(path)) continue;
      const std::string* content = files.read(path);
      if (!content) {
        result.errors.push_back(path + ": not read (larger than the " + std::to_string(kLockCap >> 20) +
                                " MiB lock file cap, or not a regular file)");
        continue;
      }
      auto graph = kind.parse(*content);
      if (!graph) {
        result.errors.push_back(path + ": " + graph.error().message);
        continue;
      }
      for (const auto& warning : graph->warnings) result.errors.push_back(path + ": " + warning);
      if (is_yarn) mark_yarn_dev(files, path, *graph, result);
      add_graph(files, path, include_dev ? *graph : without_dev(*graph), found_by, result);
    }
  }
}

}  // namespace cairn::sbom
