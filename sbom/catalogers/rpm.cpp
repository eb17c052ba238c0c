#include "sbom/catalogers/rpm.h"

#include "sbom/catalogers/rpm_bdb.h"
#include "sbom/catalogers/rpm_header.h"
#include "sbom/catalogers/rpm_manifest.h"
#include "sbom/catalogers/rpm_ndb.h"
#include "sbom/catalogers/rpm_package.h"
#include "sbom/catalogers/rpm_sqlite.h"
#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom {
namespace {

using rpm::cat;

// Databases are held whole in memory while they are read: 512 MiB is several times the
// largest real rpmdb (a full Fedora workstation's is ~250 MiB in sqlite) and still
// bounded. A manifest line is ~150 bytes, so 64 MiB covers any image.
constexpr std::size_t kMaxDatabaseBytes = 512u * 1024 * 1024;
constexpr std::size_t kMaxManifestBytes = 64u * 1024 * 1024;

constexpr const char* kDatabaseDirs[] = {"usr/share/rpm", "var/lib/rpm", "usr/lib/sysimage/rpm"};
constexpr const char* kManifestPattern = "**/var/lib/rpmmanifest/container-manifest-2";

enum class DbKind { Bdb, Ndb, Sqlite };
struct DbFile {
  const char* name;
  DbKind kind;
};
constexpr DbFile kDatabaseFiles[] = {{"Packages", DbKind::Bdb}, {"Packages.db", DbKind::Ndb}, {"rpmdb.sqlite", DbKind::Sqlite}};

std::vector<CaptureRule> capture_rules() {
  std::vector<CaptureRule> rules;
  for (const char* dir : kDatabaseDirs)
    for (const auto& f : kDatabaseFiles) rules.push_back({cat("**/", dir, "/", f.name), kMaxDatabaseBytes});
  rules.push_back({kManifestPattern, kMaxManifestBytes});
  return rules;
}

Status read_database(DbKind kind, std::string_view bytes, const rpm::BlobVisitor& visit, rpm::Problems& problems) {
  switch (kind) {
    case DbKind::Bdb: return rpm::read_bdb_packages(bytes, visit, problems);
    case DbKind::Ndb: return rpm::read_ndb_packages(bytes, visit, problems);
    case DbKind::Sqlite: return rpm::read_sqlite_packages(bytes, visit, problems);
  }
  return {};
}

void catalog_database(const std::string& path, DbKind kind, const FileResolver& files, const CatalogContext& ctx,
                      CatalogResult& out) {
  const std::string* bytes = files.read(path);
  if (!bytes) {
    out.errors.push_back(cat(path, ": content not available (larger than the ", kMaxDatabaseBytes, "-byte cap?)"));
    return;
  }
  std::size_t blob_number = 0;
  auto visit = [&](std::string_view blob) {
    ++blob_number;
    auto header = rpm::parse_header_blob(blob);
    if (!header) {
      out.errors.push_back(cat(path, ": header ", blob_number, ": ", header.error().message));
      return;
    }
    for (const auto& problem : header->problems)
      out.errors.push_back(cat(path, ": package ", header->name, ": ", problem));
    out.packages.push_back(rpm::to_package(*header, path, ctx.release, files));
  };
  rpm::Problems problems;
  auto status = read_database(kind, *bytes, visit, problems);
  for (const auto& problem : problems) out.errors.push_back(cat(path, ": ", problem));
  if (!status) out.errors.push_back(cat(path, ": ", status.error().message));
}

void catalog_manifest(const std::string& path, const FileResolver& files, CatalogResult& out) {
  const std::string* content = files.read(path);
  if (!content) {
    out.errors.push_back(cat(path, ": content not available (larger than the ", kMaxManifestBytes, "-byte cap?)"));
    return;
  }
  auto manifest = rpm::parse_rpm_manifest(*content);
  for (const auto& problem : manifest.problems) out.errors.push_back(cat(path, ": ", problem));
  // Syft gives manifest packages no distro, so their purls carry none either.
  for (const auto& entry : manifest.packages) out.packages.push_back(rpm::to_package(entry, path, std::nullopt, files));
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult out;
  for (const char* dir : kDatabaseDirs) {
    for (const auto& f : kDatabaseFiles) {
      for (const auto& path : files.glob(cat("**/", dir, "/", f.name))) catalog_database(path, f.kind, files, ctx, out);
    }
  }
  for (const auto& path : files.glob(kManifestPattern)) catalog_manifest(path, files, out);
  out.dependencies = rpm::resolve_dependencies(out.packages);
  return out;
}

}  // namespace

Cataloger rpm_cataloger() {
  return Cataloger{rpm::kDbCatalogerName, capture_rules(), run};
}

}  // namespace cairn::sbom
