#include "sbom/catalogers/alpm.h"

#include <map>

#include "sbom/catalogers/alpm_mtree.h"
#include "sbom/catalogers/distro_qualifier.h"
#include "sbom/catalogers/provides_resolver.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "alpm-db-cataloger";
constexpr const char* kDescPattern = "**/var/lib/pacman/local/*/desc";
constexpr std::size_t kDescCap = 4 * 1024 * 1024;
// files lists every installed path: texlive or a kernel's modules run to megabytes.
constexpr std::size_t kFilesCap = 32 * 1024 * 1024;
constexpr std::size_t kMtreeCap = 16 * 1024 * 1024;
constexpr std::size_t kMtreeTextCap = 128 * 1024 * 1024;

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

void set_if(std::map<std::string, std::string>& metadata, const char* key, const std::string& value) {
  if (!value.empty()) metadata[key] = value;
}

// What a package offers and needs. Provides count both as written ("libfoo.so=1-64")
// and by name. A requirement pinned with '=' must match a provide exactly (Syft's rule:
// it tells soname versions apart); one with a range (>=, <, ...) is matched by name,
// since pacman only installs what satisfies it.
ProvidesRequires provides_requires(const AlpmDesc& d) {
  ProvidesRequires pr;
  pr.provides.push_back(d.name);
  for (const auto& provided : d.provides) {
    if (provided.empty()) continue;
    pr.provides.push_back(provided);
    pr.provides.push_back(alpm_strip_version(provided));
  }
  for (const auto& dependency : d.depends) {
    if (dependency.empty()) continue;
    bool ranged = dependency.find_first_of("<>") != std::string::npos;
    pr.requirements.push_back(ranged ? alpm_strip_version(dependency) : dependency);
  }
  return pr;
}

struct AlpmRecord {
  Package package;
  ProvidesRequires spec;
  std::string database;  // the .../var/lib/pacman/local directory it belongs to
};

// Backup records from <dir>/files; the file's location is evidence when it was read.
void read_files_file(const FileResolver& files, const std::string& dir, Package& p, CatalogResult& result) {
  std::string path = dir + "/files";
  const std::string* content = files.read(path);
  if (!content) {
    if (files.exists(path)) result.errors.push_back(path + ": not read (larger than " + std::to_string(kFilesCap) + " bytes?)");
    return;
  }
  AlpmDescParse parsed = parse_alpm_desc(*content);
  for (const auto& e : parsed.errors) result.errors.push_back(path + ": " + e);
  p.locations.push_back(path);
  std::string backup;
  for (const auto& b : parsed.desc.backup) backup += (backup.empty() ? "" : " ") + b.path;
  set_if(p.metadata, "backup", backup);
}

// Owned files with digests from <dir>/mtree, the way Syft prefers it over files.
void read_mtree(const FileResolver& files, const std::string& dir, Package& p, CatalogResult& result) {
  std::string path = dir + "/mtree";
  const std::string* content = files.read(path);
  if (!content) {
    if (files.exists(path)) result.errors.push_back(path + ": not read (larger than " + std::to_string(kMtreeCap) + " bytes?)");
    return;
  }
  auto text = gunzip_capped(*content, kMtreeTextCap);
  if (!text) {
    result.errors.push_back(path + ": " + text.error().message);
    return;
  }
  MtreeParse parsed = parse_mtree(*text);
  for (const auto& e : parsed.errors) result.errors.push_back(path + ": " + e);
  p.locations.push_back(path);
  for (const auto& entry : parsed.entries) p.files.push_back(entry.path);
}

std::optional<AlpmRecord> catalog_desc(const FileResolver& files, const CatalogContext& ctx, const std::string& desc_path,
                                  CatalogResult& result) {
  const std::string* content = files.read(desc_path);
  if (!content) {
    result.errors.push_back(desc_path + ": not read (larger than " + std::to_string(kDescCap) + " bytes?)");
    return std::nullopt;
  }
  AlpmDescParse parsed = parse_alpm_desc(*content);
  for (const auto& e : parsed.errors) result.errors.push_back(desc_path + ": " + e);
  const AlpmDesc& d = parsed.desc;
  if (d.name.empty()) {
    result.errors.push_back(desc_path + ": no %NAME% field; no package recorded");
    return std::nullopt;
  }

  AlpmRecord entry;
  Package& p = entry.package;
  p.name = d.name;
  p.version = d.version;
  p.type = "alpm";
  p.found_by = kCatalogerName;
  p.purl = alpm_purl(d, ctx.release);
  p.cpes.push_back(make_cpe(d.name, d.name, d.version));
  for (const auto& license : d.licenses)
    if (!license.empty()) p.licenses.push_back(license);
  p.locations.push_back(desc_path);
  p.arch = d.arch;
  p.source_name = d.base;
  p.supplier = d.packager;
  p.description = d.description;
  p.depends = d.depends;
  for (const auto& provided : d.provides) {
    std::string name = alpm_strip_version(provided);
    if (!name.empty()) p.provides.push_back(std::move(name));
  }
  set_if(p.metadata, "url", d.url);
  set_if(p.metadata, "validation", d.validation);
  set_if(p.metadata, "build_date", d.build_date);
  set_if(p.metadata, "install_date", d.install_date);
  if (d.size > 0) p.metadata["size"] = std::to_string(d.size);
  p.metadata["reason"] = std::to_string(d.reason);

  std::string dir = parent_dir(desc_path);
  read_files_file(files, dir, p, result);
  read_mtree(files, dir, p, result);
  entry.spec = provides_requires(d);
  entry.database = parent_dir(dir);
  return entry;
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult result;
  std::vector<AlpmRecord> entries;
  for (const auto& desc_path : files.glob(kDescPattern))
    if (auto entry = catalog_desc(files, ctx, desc_path, result)) entries.push_back(std::move(*entry));

  // Packages depend on each other only within one database (an image may hold a chroot
  // with its own).
  std::map<std::string, std::vector<std::size_t>> by_database;
  for (std::size_t i = 0; i < entries.size(); ++i) by_database[entries[i].database].push_back(i);
  for (const auto& [database, members] : by_database) {
    std::vector<ProvidesRequires> specs;
    for (std::size_t i : members) specs.push_back(entries[i].spec);
    for (const auto& d : resolve_provides(specs)) result.dependencies.push_back({members[d.from], members[d.to]});
  }
  for (auto& entry : entries) result.packages.push_back(std::move(entry.package));
  return result;
}

}  // namespace

Cataloger alpm_cataloger() {
  return Cataloger{kCatalogerName,
                   {{kDescPattern, kDescCap},
                    {"**/var/lib/pacman/local/*/files", kFilesCap},
                    {"**/var/lib/pacman/local/*/mtree", kMtreeCap}},
                   run};
}

std::string alpm_purl(const AlpmDesc& desc, const std::optional<Release>& distro) {
  if (!distro || distro->id != "arch") return "";
  std::vector<PurlQualifier> qualifiers = {{"arch", desc.arch}, {"distro", distro_qualifier(*distro)}};
  if (desc.base != desc.name) qualifiers.push_back({"upstream", desc.base});
  return make_purl("alpm", distro->id, desc.name, desc.version, std::move(qualifiers));
}

}  // namespace cairn::sbom
