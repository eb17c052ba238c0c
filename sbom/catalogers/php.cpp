#include "sbom/catalogers/php.h"

#include "sbom/catalogers/provides_resolver.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kInstalledCatalogerName = "php-composer-installed-cataloger";
constexpr const char* kLockCatalogerName = "php-composer-lock-cataloger";
constexpr const char* kPearCatalogerName = "php-pear-serialized-cataloger";
constexpr const char* kPeclCatalogerName = "php-pecl-serialized-cataloger";
constexpr const char* kInstalledPattern = "**/installed.json";
constexpr const char* kLockPattern = "**/composer.lock";
// Lock and installed files of large applications run to megabytes.
constexpr std::size_t kComposerCap = 64 * 1024 * 1024;
constexpr const char* kPearPattern = "**/php/.registry/**/*.reg";
constexpr const char* kPeclPattern = "**/php/.registry/.channel.*/*.reg";
// A registry entry lists the package's files; a few hundred kilobytes at most.
constexpr std::size_t kRegistryCap = 4 * 1024 * 1024;
constexpr const char* kDefaultPearChannel = "pecl.php.net";

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

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void put_reference(Package& p, const char* prefix, const ComposerReference& r) {
  const std::string key(prefix);
  if (!r.type.empty()) p.metadata[key + "_type"] = r.type;
  if (!r.url.empty()) p.metadata[key + "_url"] = r.url;
  if (!r.reference.empty()) p.metadata[key + "_reference"] = r.reference;
  if (!r.shasum.empty()) p.metadata[key + "_shasum"] = r.shasum;
}

using ComposerParser = Result<std::vector<ComposerPackage>> (*)(std::string_view);

CatalogResult catalog_composer(const FileResolver& files, const char* pattern, ComposerParser parse,
                               const char* what, const char* found_by) {
  CatalogResult result;
  for (const auto& path : files.glob(pattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kComposerCap, what));
      continue;
    }
    auto entries = parse(*content);
    if (!entries) {
      result.errors.push_back(path + ": " + entries.error().message);
      continue;
    }
    const std::size_t first = result.packages.size();
    std::vector<ProvidesRequires> links;
    for (const auto& entry : *entries) {
      ProvidesRequires link;
      link.provides.push_back(entry.name);
      link.provides.insert(link.provides.end(), entry.provides.begin(), entry.provides.end());
      for (const auto& [name, constraint] : entry.require) link.requirements.push_back(name);
      links.push_back(std::move(link));
      result.packages.push_back(composer_package(entry, path, found_by));
    }
    // Edges stay within one file: each describes its own installation.
    for (const auto& d : resolve_provides(links)) result.dependencies.push_back({first + d.from, first + d.to});
  }
  return result;
}

CatalogResult catalog_pear(const FileResolver& files, const char* pattern, const char* type, const char* found_by) {
  CatalogResult result;
  for (const auto& path : files.glob(pattern)) {
    const std::string* content = files.read(path);
    if (!content) {
      result.errors.push_back(not_read(path, kRegistryCap, "registry entry"));
      continue;
    }
    auto entry = parse_pear_registry(*content);
    if (!entry) {
      result.errors.push_back(path + ": " + entry.error().message);
      continue;
    }
    result.packages.push_back(pear_package(*entry, path, type, found_by));
  }
  return result;
}

}  // namespace

std::string composer_purl(const std::string& name, const std::string& version) {
  auto slash = name.find('/');
  if (slash == std::string::npos) return make_purl("composer", "", name, version);
  std::string vendor = name.substr(0, slash);
  std::string rest = name.substr(slash + 1);
  for (auto& c : rest)
    if (c == '/') c = '-';
  return make_purl("composer", vendor, rest, version);
}

std::string pear_purl(const PearEntry& entry) {
  return make_purl("pear", entry.channel.empty() ? kDefaultPearChannel : entry.channel, entry.name, entry.version);
}

Package composer_package(const ComposerPackage& entry, const std::string& path, const std::string& found_by) {
  Package p;
  p.name = entry.name;
  p.version = entry.version;
  p.type = "php-composer";
  p.found_by = found_by;
  p.purl = composer_purl(entry.name, entry.version);
  p.licenses = entry.licenses;
  p.locations.push_back(path);
  p.description = entry.description;
  if (!entry.authors.empty()) p.metadata["authors"] = joined(entry.authors);
  if (!entry.homepage.empty()) p.metadata["homepage"] = entry.homepage;
  if (!entry.package_type.empty()) p.metadata["type"] = entry.package_type;
  if (!entry.time.empty()) p.metadata["time"] = entry.time;
  put_reference(p, "source", entry.source);
  put_reference(p, "dist", entry.dist);
  for (const auto& [name, constraint] : entry.require) {
    p.depends.push_back(constraint.empty() ? name : name + " (" + constraint + ")");
  }
  return p;
}

Package pear_package(const PearEntry& entry, const std::string& path, const std::string& type,
                     const std::string& found_by) {
  Package p;
  p.name = entry.name;
  p.version = entry.version;
  p.type = type;
  p.found_by = found_by;
  p.purl = pear_purl(entry);
  p.licenses = entry.licenses;
  p.locations.push_back(path);
  p.description = entry.summary;
  if (!entry.channel.empty()) p.metadata["channel"] = entry.channel;
  return p;
}

Cataloger php_composer_installed_cataloger() {
  Cataloger c;
  c.name = kInstalledCatalogerName;
  c.captures = {rule(kInstalledPattern, kComposerCap)};
  c.run = [](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source
               ? CatalogResult{}
               : catalog_composer(files, kInstalledPattern, parse_composer_installed, "installed.json",
                                  kInstalledCatalogerName);
  };
  return c;
}

Cataloger php_composer_lock_cataloger() {
  Cataloger c;
  c.name = kLockCatalogerName;
  c.captures = {rule(kLockPattern, kComposerCap)};
  c.run = [](const FileResolver& files, const CatalogContext& context) {
    return context.directory_source
               ? catalog_composer(files, kLockPattern, parse_composer_lock, "composer.lock", kLockCatalogerName)
               : CatalogResult{};
  };
  return c;
}

Cataloger php_pear_serialized_cataloger() {
  Cataloger c;
  c.name = kPearCatalogerName;
  c.captures = {rule(kPearPattern, kRegistryCap)};
  c.run = [](const FileResolver& files, const CatalogContext&) {
    return catalog_pear(files, kPearPattern, "php-pear", kPearCatalogerName);
  };
  return c;
}

Cataloger php_pecl_serialized_cataloger() {
  Cataloger c;
  c.name = kPeclCatalogerName;
  c.captures = {rule(kPeclPattern, kRegistryCap)};
  c.run = [](const FileResolver& files, const CatalogContext&) {
    return catalog_pear(files, kPeclPattern, "php-pecl", kPeclCatalogerName);
  };
  return c;
}

}  // namespace cairn::sbom
