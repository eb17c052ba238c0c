#include "sbom/catalogers/javascript.h"

#include <map>
#include <optional>

#include "sbom/catalogers/js_lockfiles.h"

namespace cairn::sbom {

namespace {

constexpr const char* kPackageCatalogerName = "javascript-package-cataloger";
constexpr const char* kLockCatalogerName = "javascript-lock-cataloger";
constexpr const char* kInstalledPattern = "**/node_modules/**/package.json";
// Image scans also report a project's own package.json outside node_modules (an app's
// root, a tool under /usr/lib), as Syft does, when it names a version.
constexpr const char* kAnyPackageJsonPattern = "**/package.json";
// Real manifests are a few kilobytes; a larger one is refused (with a warning naming it)
// so a hostile 100 MB package.json costs no memory.
constexpr std::size_t kPackageJsonCap = 8 * 1024 * 1024;
constexpr const char* kPackageLockPattern = "**/package-lock.json";
// Lock files of large monorepos run to tens of megabytes.
constexpr std::size_t kPackageLockCap = 64 * 1024 * 1024;
// Node walks up at most once per path segment; this bounds hostile deep trees.
constexpr std::size_t kMaxLookupLevels = 256;

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

std::string join_path(const std::string& dir, const std::string& rest) {
  return dir == "/" ? "/" + rest : dir + "/" + rest;
}

std::string basename(const std::string& dir) {
  auto slash = dir.rfind('/');
  return slash == std::string::npos ? dir : dir.substr(slash + 1);
}

// Node's lookup for require(name) from a package directory: <dir>/node_modules/<name>,
// then the same in each ancestor that is not itself a node_modules folder.
std::optional<std::size_t> resolve(const std::string& package_dir, const std::string& name,
                                   const std::map<std::string, std::size_t>& by_manifest) {
  std::string dir = package_dir;
  for (std::size_t level = 0; level < kMaxLookupLevels; ++level) {
    if (basename(dir) != "node_modules") {
      auto it = by_manifest.find(join_path(dir, "node_modules/" + name + "/package.json"));
      if (it != by_manifest.end()) return it->second;
    }
    if (dir == "/") break;
    dir = parent_dir(dir);
  }
  return std::nullopt;
}

bool inside_node_modules(std::string_view path) {
  for (auto segment : segments(path))
    if (segment == "node_modules") return true;
  return false;
}

CatalogResult catalog_installed(const FileResolver& files) {
  CatalogResult result;
  std::map<std::string, std::size_t> by_manifest;  // package.json path -> package index
  std::vector<std::vector<std::string>> dependency_names;
  for (const auto& path : files.glob(kAnyPackageJsonPattern)) {
    const bool installed = is_installed_package_json(path);
    if (!installed && inside_node_modules(path)) continue;  // a package's own sub-manifests (lib/, esm/)
    const std::string* content = files.read(path);
    if (!content && !installed) continue;
    if (!content) {
      // The reader has already warned when it skipped the file for its size.
      result.errors.push_back(path + ": not read (larger than the " + std::to_string(kPackageJsonCap >> 20) +
                              " MiB package.json cap, or not a regular file)");
      continue;
    }
    auto manifest = parse_npm_package_json(*content);
    if (!manifest) {
      result.errors.push_back(path + ": " + manifest.error().message);
      continue;
    }
    // Syft drops packages without a name by its compliance rules; without one there
    // is nothing to report or to resolve a dependency to.
    if (!installed && (manifest->name.empty() || manifest->version.empty())) continue;  // a workspace root, not a package
    if (manifest->name.empty()) {
      result.errors.push_back(path + ": field \"name\": missing or not a string; package skipped");
      continue;
    }
    by_manifest.emplace(path, result.packages.size());
    std::vector<std::string> names;
    for (const auto& dep : manifest->dependencies) names.push_back(dep.first);
    dependency_names.push_back(std::move(names));
    result.packages.push_back(npm_package(*manifest, path, kPackageCatalogerName));
  }
  for (std::size_t from = 0; from < result.packages.size(); ++from) {
    std::string package_dir = parent_dir(result.packages[from].locations.front());
    for (const auto& name : dependency_names[from]) {
      auto to = resolve(package_dir, name, by_manifest);
      if (to && *to != from) result.dependencies.push_back({from, *to});
    }
  }
  return result;
}

CatalogResult catalog_locks(const FileResolver& files, const JavascriptLockOptions& options) {
  CatalogResult result;
  for (const auto& path : files.glob(kPackageLockPattern)) {
    if (inside_node_modules(path)) continue;
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(path + ": not read (larger than the " + std::to_string(kPackageLockCap >> 20) +
                              " MiB package-lock.json cap, or not a regular file)");
      continue;
    }
    auto entries = parse_npm_lock(*content);
    if (!entries) {
      result.errors.push_back(path + ": " + entries.error().message);
      continue;
    }
    const std::string lock_dir = parent_dir(path);
    for (const auto& entry : *entries) {
      Package p;
      p.name = entry.name;
      p.version = entry.version;
      p.type = "npm";
      p.found_by = kLockCatalogerName;
      p.purl = npm_purl(entry.name, entry.version);
      p.licenses = entry.licenses.empty() ? installed_licenses(files, lock_dir, entry.name, entry.version)
                                         : entry.licenses;
      p.locations.push_back(path);
      if (!entry.resolved.empty()) p.metadata["resolved"] = entry.resolved;
      if (!entry.integrity.empty()) p.metadata["integrity"] = entry.integrity;
      result.packages.push_back(std::move(p));
    }
  }
  catalog_js_lockfiles(files, options.include_dev_dependencies, kLockCatalogerName, result);
  return result;
}

}  // namespace

std::vector<std::string> installed_licenses(const FileResolver& files, const std::string& lock_dir,
                                            const std::string& name, const std::string& version) {
  if (name.empty()) return {};
  const std::string* content = files.read(join_path(lock_dir, "node_modules/" + name + "/package.json"));
  if (!content) return {};
  auto manifest = parse_npm_package_json(*content);
  if (!manifest || manifest->name != name || manifest->version != version) return {};
  return manifest->licenses;
}

bool is_installed_package_json(std::string_view path) {
  auto parts = segments(path);
  const std::size_t n = parts.size();
  if (n < 3 || parts[n - 1] != "package.json") return false;
  std::string_view dir = parts[n - 2];
  if (dir.empty() || dir.front() == '.') return false;  // node_modules/.bin, .cache, …
  if (parts[n - 3] == "node_modules") return dir.front() != '@';
  return n >= 4 && parts[n - 4] == "node_modules" && parts[n - 3].size() > 1 && parts[n - 3].front() == '@';
}

Package npm_package(const NpmPackageJson& manifest, const std::string& path, const std::string& found_by) {
  Package p;
  p.name = manifest.name;
  p.version = manifest.version;
  p.type = "npm";
  p.found_by = found_by;
  p.purl = npm_purl(manifest.name, manifest.version);
  p.licenses = manifest.licenses;
  p.locations.push_back(path);
  p.supplier = manifest.author;
  p.description = manifest.description;
  for (const auto& [name, range] : manifest.dependencies) {
    p.depends.push_back(range.empty() ? name : name + " (" + range + ")");
  }
  if (!manifest.homepage.empty()) p.metadata["homepage"] = manifest.homepage;
  if (!manifest.repository_url.empty()) p.metadata["url"] = manifest.repository_url;
  if (manifest.is_private) p.metadata["private"] = "true";
  return p;
}

Cataloger javascript_package_cataloger() {
  Cataloger c;
  c.name = kPackageCatalogerName;
  c.captures = {{kAnyPackageJsonPattern, kPackageJsonCap}};
  // Syft runs it on images only: a dir: scan reports the lock files instead, and nothing
  // located under node_modules (its npm-lock integration test).
  c.run = [](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source ? CatalogResult{} : catalog_installed(files);
  };
  return c;
}

Cataloger javascript_lock_cataloger(JavascriptLockOptions options) {
  Cataloger c;
  c.name = kLockCatalogerName;
  c.captures = {{kPackageLockPattern, kPackageLockCap}, {kInstalledPattern, kPackageJsonCap}};
  for (auto& rule : js_lockfile_captures()) c.captures.push_back(std::move(rule));
  c.run = [options](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source ? catalog_locks(files, options) : CatalogResult{};
  };
  return c;
}

}  // namespace cairn::sbom
