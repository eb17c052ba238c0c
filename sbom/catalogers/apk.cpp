#include "sbom/catalogers/apk.h"

#include <algorithm>
#include <cctype>

#include "sbom/catalogers/distro_qualifier.h"
#include "sbom/catalogers/provides_resolver.h"
#include "sbom/license.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "apk-db-cataloger";
constexpr const char* kDbPattern = "**/lib/apk/db/installed";
constexpr const char* kRepositoriesPattern = "**/etc/apk/repositories";
// A large Wolfi image's database is several megabytes (file lists dominate).
constexpr std::size_t kDbCap = 64 * 1024 * 1024;
constexpr std::size_t kRepositoriesCap = 64 * 1024;

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

// The release an Alpine database belongs to when the image did not say: the
// repositories file that sits with it (root/lib/apk/db/installed -> root/etc/apk/...).
std::optional<Release> release_from_repositories(const FileResolver& files, const std::string& db_path) {
  std::string repositories = normalize_path(parent_dir(db_path) + "/../../../etc/apk/repositories");
  const std::string* content = files.read(repositories);
  if (!content) return std::nullopt;
  auto releases = releases_from_apk_repositories(*content);
  if (releases.empty()) return std::nullopt;
  return releases.front();
}

void set_if(std::map<std::string, std::string>& metadata, const char* key, const std::string& value) {
  if (!value.empty()) metadata[key] = value;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

Package to_package(const ApkDbEntry& e, const std::string& db_path, const std::optional<Release>& distro) {
  Package p;
  p.name = e.package;
  p.version = e.version;
  p.type = "apk";
  p.found_by = kCatalogerName;
  p.purl = apk_purl(e, distro);
  p.cpes.push_back(make_cpe(e.package, e.package, e.version));
  p.licenses = apk_licenses(e.license);
  p.locations.push_back(db_path);
  for (const auto& f : e.files) p.files.push_back(f.path);
  p.arch = e.architecture;
  p.source_name = e.origin;
  p.supplier = e.maintainer;
  p.description = e.description;
  p.depends = e.dependencies;
  for (const auto& provided : e.provides) {
    std::string name = apk_strip_version(provided);
    if (!name.empty()) p.provides.push_back(std::move(name));
  }
  set_if(p.metadata, "url", e.url);
  if (e.size > 0) p.metadata["size"] = std::to_string(e.size);
  if (e.installed_size > 0) p.metadata["installed_size"] = std::to_string(e.installed_size);
  set_if(p.metadata, "checksum", e.checksum);
  set_if(p.metadata, "git_commit", e.git_commit);
  set_if(p.metadata, "build_time", e.build_time);
  set_if(p.metadata, "provider_priority", e.provider_priority);
  set_if(p.metadata, "replaces", joined(e.replaces));
  set_if(p.metadata, "install_if", joined(e.install_if));
  return p;
}

// What a package offers (its name and p: entries) and needs (D: entries), versions cut
// off, for the dependency resolver.
ProvidesRequires provides_requires(const ApkDbEntry& e) {
  ProvidesRequires pr;
  pr.provides.push_back(e.package);
  for (const auto& provided : e.provides) pr.provides.push_back(apk_strip_version(provided));
  for (const auto& dependency : e.dependencies) pr.requirements.push_back(apk_strip_version(dependency));
  return pr;
}

void catalog_database(const FileResolver& files, const CatalogContext& ctx, const std::string& db_path,
                      CatalogResult& result) {
  const std::string* content = files.read(db_path);
  if (!content) {
    result.errors.push_back(db_path + ": not read (larger than " + std::to_string(kDbCap) +
                            " bytes or not a regular file)");
    return;
  }
  ApkDbParse parsed = parse_apk_db(*content);
  for (const auto& error : parsed.errors) result.errors.push_back(db_path + ": " + error);

  std::optional<Release> distro = ctx.release ? ctx.release : release_from_repositories(files, db_path);
  std::size_t base = result.packages.size();
  std::vector<ProvidesRequires> specs;
  for (const auto& entry : parsed.entries) {
    if (entry.package.empty()) {
      result.errors.push_back(db_path + ": line " + std::to_string(entry.first_line) +
                              ": stanza has no package name (P:)");
      continue;
    }
    result.packages.push_back(to_package(entry, db_path, distro));
    specs.push_back(provides_requires(entry));
  }
  for (const auto& d : resolve_provides(specs)) result.dependencies.push_back({base + d.from, base + d.to});
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult result;
  for (const auto& db_path : files.glob(kDbPattern)) catalog_database(files, ctx, db_path, result);
  return result;
}

}  // namespace

Cataloger apk_cataloger() {
  return Cataloger{kCatalogerName, {{kDbPattern, kDbCap}, {kRepositoriesPattern, kRepositoriesCap}}, run};
}

std::string apk_purl(const ApkDbEntry& entry, const std::optional<Release>& distro) {
  if (!distro) return "";
  std::string ns = distro->id;
  std::transform(ns.begin(), ns.end(), ns.begin(), [](unsigned char c) { return std::tolower(c); });
  std::vector<PurlQualifier> qualifiers = {{"arch", entry.architecture}, {"distro", distro_qualifier(*distro)}};
  if (entry.origin != entry.package) qualifiers.push_back({"upstream", entry.origin});
  return make_purl("apk", ns, entry.package, entry.version, std::move(qualifiers));
}

std::vector<Release> releases_from_apk_repositories(std::string_view content) {
  constexpr std::string_view kHost = ".alpinelinux.org/alpine/v";
  std::vector<Release> releases;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with("https://")) continue;
    // https://<host>.alpinelinux.org/alpine/v<version>/<repository>, as Syft's pattern.
    for (std::size_t at = line.rfind(kHost); at != std::string_view::npos && at >= 8;
         at = at == 0 ? std::string_view::npos : line.rfind(kHost, at - 1)) {
      std::string_view tail = line.substr(at + kHost.size());
      std::size_t slash = tail.find('/');
      if (slash == 0 || slash == std::string_view::npos) continue;
      std::string_view repository = tail.substr(slash + 1);
      if (repository.empty() || !std::all_of(repository.begin(), repository.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
          }))
        continue;
      Release r;
      r.name = "Alpine Linux";
      r.id = "alpine";
      r.version_id = std::string(tail.substr(0, slash));
      releases.push_back(std::move(r));
      break;
    }
  }
  return releases;
}

std::vector<std::string> apk_licenses(const std::string& license_field) {
  if (license_field.empty()) return {};
  if (to_spdx_expression(license_field)) return {license_field};
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < license_field.size()) {
    std::size_t j = license_field.find(' ', i);
    if (j == std::string::npos) j = license_field.size();
    if (j > i) words.push_back(license_field.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

}  // namespace cairn::sbom
