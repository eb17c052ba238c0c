#include "sbom/catalogers/dotnet.h"

#include "sbom/catalogers/nuget_packages_lock.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kBinaryCatalogerName = "dotnet-deps-binary-cataloger";
constexpr const char* kDepsCatalogerName = "dotnet-deps-cataloger";
constexpr const char* kLockCatalogerName = "dotnet-packages-lock-cataloger";
constexpr const char* kDepsPattern = "**/*.deps.json";
// The deps.json of a large ASP.NET application with its runtime pack is a few MiB.
constexpr std::size_t kDepsCap = 32 * 1024 * 1024;
constexpr const char* kLockPattern = "**/packages.lock.json";
constexpr std::size_t kLockCap = 32 * 1024 * 1024;

CaptureRule rule(const char* pattern, std::size_t cap) {
  CaptureRule r;
  r.pattern = pattern;
  r.max_bytes = cap;
  return r;
}

std::string not_read(const std::string& path, std::size_t cap, const char* what) {
  return path + ": not read (larger than the " + std::to_string(cap >> 20) + " MiB " + what +
         " cap, or not a regular file)";
}

Package dotnet_package(const std::string& name, const std::string& version, const std::string& path,
                       const std::string& found_by) {
  Package p;
  p.name = name;
  p.version = version;
  p.type = "dotnet";
  p.found_by = found_by;
  p.purl = make_purl("nuget", "", name, version);
  p.locations.push_back(path);
  return p;
}

CatalogResult catalog_deps(const FileResolver& files, DotnetDepsSelection selection, const char* found_by) {
  CatalogResult result;
  for (const auto& path : files.glob(kDepsPattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kDepsCap, "deps.json"));
      continue;
    }
    CatalogResult one = catalog_dotnet_deps_file(*content, path, selection, found_by);
    const std::size_t first = result.packages.size();
    for (auto& p : one.packages) result.packages.push_back(std::move(p));
    for (const auto& d : one.dependencies) result.dependencies.push_back({first + d.from, first + d.to});
    for (auto& e : one.errors) result.errors.push_back(std::move(e));
  }
  return result;
}

CatalogResult catalog_locks(const FileResolver& files) {
  CatalogResult result;
  for (const auto& path : files.glob(kLockPattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kLockCap, "packages.lock.json"));
      continue;
    }
    auto lock = parse_nuget_packages_lock(*content);
    if (!lock) {
      result.errors.push_back(path + ": " + lock.error().message);
      continue;
    }
    const std::size_t first = result.packages.size();
    for (const auto& entry : lock->entries) {
      Package p = dotnet_package(entry.name, entry.version, path, kLockCatalogerName);
      if (!entry.type.empty()) p.metadata["type"] = entry.type;
      if (!entry.content_hash.empty()) p.metadata["content_hash"] = entry.content_hash;
      result.packages.push_back(std::move(p));
    }
    for (const auto& d : lock->dependencies) result.dependencies.push_back({first + d.from, first + d.to});
  }
  return result;
}

}  // namespace

CatalogResult catalog_dotnet_deps_file(std::string_view text, const std::string& path, DotnetDepsSelection selection,
                                       const std::string& found_by) {
  CatalogResult result;
  auto deps = parse_dotnet_deps(text, deps_json_root_name(path), selection);
  if (!deps) {
    result.errors.push_back(path + ": " + deps.error().message);
    return result;
  }
  for (const auto& lib : deps->libraries) {
    Package p = dotnet_package(lib.name, lib.version, path, found_by);
    if (!lib.type.empty()) p.metadata["type"] = lib.type;
    if (!lib.sha512.empty()) p.metadata["sha512"] = lib.sha512;
    if (!lib.path.empty()) p.metadata["path"] = lib.path;
    if (!lib.hash_path.empty()) p.metadata["hash_path"] = lib.hash_path;
    result.packages.push_back(std::move(p));
  }
  result.dependencies = deps->dependencies;
  return result;
}

Cataloger dotnet_deps_binary_cataloger() {
  Cataloger c;
  c.name = kBinaryCatalogerName;
  c.captures = {rule(kDepsPattern, kDepsCap)};
  c.run = [](const FileResolver& files, const CatalogContext&) {
    return catalog_deps(files, DotnetDepsSelection::ClaimedAssemblies, kBinaryCatalogerName);
  };
  return c;
}

Cataloger dotnet_deps_cataloger() {
  Cataloger c;
  c.name = kDepsCatalogerName;
  c.captures = {rule(kDepsPattern, kDepsCap)};
  c.run = [](const FileResolver& files, const CatalogContext&) {
    return catalog_deps(files, DotnetDepsSelection::AllLibraries, kDepsCatalogerName);
  };
  return c;
}

Cataloger dotnet_packages_lock_cataloger() {
  Cataloger c;
  c.name = kLockCatalogerName;
  c.captures = {rule(kLockPattern, kLockCap)};
  c.run = [](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source ? catalog_locks(files) : CatalogResult{};
  };
  return c;
}

}  // namespace cairn::sbom
