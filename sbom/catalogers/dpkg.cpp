#include "sbom/catalogers/dpkg.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "sbom/catalogers/distro_qualifier.h"
#include "sbom/catalogers/dpkg_copyright.h"
#include "sbom/catalogers/dpkg_relations.h"
#include "sbom/catalogers/dpkg_status.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "dpkg-db-cataloger";
constexpr std::size_t kMiB = 1024 * 1024;

enum class DbKind { DpkgStatus, DpkgStatusDir, OpkgStatus, OpkgControl };

// One database file and where its companions live.
struct Database {
  std::string path;
  DbKind kind;
  std::string root;      // the root filesystem it describes: "/" unless nested in a directory scan
  std::string info_dir;  // where NAME.md5sums, NAME.list, NAME.conffiles, ... are
};

// The per-package companion files dpkg and opkg keep beside the database. Only these
// suffixes count as a package's evidence, so "libc6.1-dev.list" is never taken for
// package "libc6"; in status.d they mark files that are not stanza files.
const std::set<std::string, std::less<>> kInfoSuffixes = {
    "md5sums", "conffiles", "list",      "preinst",  "postinst", "prerm",  "postrm",
    "config",  "templates", "triggers",  "shlibs",   "symbols",  "control", "clilibs"};

std::string_view basename(std::string_view path) { return path.substr(path.rfind('/') + 1); }
std::string_view dirname(std::string_view path) { return path.substr(0, path.rfind('/')); }

std::string join(std::string_view root, std::string_view rel) {
  if (root == "/" || root.empty()) return "/" + std::string(rel);
  return std::string(root) + "/" + std::string(rel);
}

// The root a database path describes: "/x/var/lib/dpkg/status" -> "/x".
std::string root_of(std::string_view path, std::string_view tail) {
  auto rest = path.substr(0, path.size() - tail.size());
  if (rest.ends_with("/var") || rest.ends_with("/usr")) rest.remove_suffix(4);
  return rest.empty() ? "/" : std::string(rest);
}

std::optional<Database> classify(const std::string& path) {
  auto dir = dirname(path);
  auto name = basename(path);
  if (path.ends_with("/lib/dpkg/status"))
    return Database{path, DbKind::DpkgStatus, root_of(path, "/lib/dpkg/status"), std::string(dir) + "/info"};
  if (path.ends_with("/lib/opkg/status"))
    return Database{path, DbKind::OpkgStatus, root_of(path, "/lib/opkg/status"), std::string(dir) + "/info"};
  if (dir.ends_with("/lib/dpkg/status.d")) {
    // status.d also holds NAME.md5sums and maintainer scripts beside the stanza files.
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos && kInfoSuffixes.contains(name.substr(dot + 1))) return std::nullopt;
    return Database{path, DbKind::DpkgStatusDir, root_of(dir, "/lib/dpkg/status.d"), std::string(dir)};
  }
  if (dir.ends_with("/lib/opkg/info") && name.ends_with(".control"))
    return Database{path, DbKind::OpkgControl, root_of(dir, "/lib/opkg/info"), std::string(dir)};
  return std::nullopt;
}

const std::vector<std::string>& database_patterns() {
  // Syft's globs; they cover var/lib and usr/lib alike.
  static const std::vector<std::string> patterns = {"**/lib/dpkg/status", "**/lib/dpkg/status.d/*",
                                                    "**/lib/opkg/info/*.control", "**/lib/opkg/status"};
  return patterns;
}

std::vector<Database> find_databases(const FileResolver& fs) {
  std::set<std::string> paths;
  for (const auto& pattern : database_patterns())
    for (auto& p : fs.glob(pattern)) paths.insert(std::move(p));
  std::vector<Database> out;
  for (const auto& p : paths)
    if (auto db = classify(p)) out.push_back(std::move(*db));
  // opkg's info/NAME.control repeats a stanza of its status file, which is the fuller
  // record: read the status files first so theirs is the package that is kept.
  std::stable_partition(out.begin(), out.end(), [](const Database& db) { return db.kind != DbKind::OpkgControl; });
  return out;
}

// The companion files of one info directory, by package key ("libc6:amd64", "bash") and
// suffix. Built once per directory, so each package costs lookups, not a directory scan.
class InfoIndex {
 public:
  using Files = std::map<std::string, std::string, std::less<>>;  // suffix -> path

  const Files* files_of(const FileResolver& fs, const std::string& dir, std::string_view key) {
    auto [it, inserted] = dirs_.try_emplace(dir);
    if (inserted) {
      for (auto& path : fs.glob(dir + "/*")) {
        auto name = basename(path);
        auto dot = name.rfind('.');
        if (dot == std::string_view::npos || dot == 0) continue;
        auto suffix = name.substr(dot + 1);
        if (!kInfoSuffixes.contains(suffix)) continue;
        it->second[std::string(name.substr(0, dot))][std::string(suffix)] = path;
      }
    }
    auto found = it->second.find(std::string(key));
    return found == it->second.end() ? nullptr : &found->second;
  }

 private:
  std::unordered_map<std::string, std::unordered_map<std::string, Files>> dirs_;
};

// A name used to build paths must stay one path segment.
bool safe_segment(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.find('\0') == std::string_view::npos;
}

// pkg:deb/<distro id>/<name>@<version>?arch=..&distro=<id>-<version id>&upstream=<source>[@<source version>]
// Only for Debian and its derivatives (ID or ID_LIKE "debian"); without a known distro
// the purl is empty, as in Syft. An epoch stays in the version as Debian writes it
// ("1:2.5.1-4"), and make_purl percent-encodes the colon: "libattr1@1%3A2.5.1-4".
std::string deb_purl(const Package& p, const std::optional<Release>& release) {
  if (!release) return "";
  const auto& like = release->id_like;
  if (release->id != "debian" && std::find(like.begin(), like.end(), "debian") == like.end()) return "";
  // Syft adds the distro qualifier only when the release has an ID.
  std::string distro = release->id.empty() ? "" : distro_qualifier(*release);
  std::string upstream = p.source_name;
  if (!upstream.empty() && !p.source_version.empty()) upstream += "@" + p.source_version;
  return make_purl("deb", release->id, p.name, p.version,
                   {{"arch", p.arch}, {"distro", distro}, {"upstream", upstream}});
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

struct Builder {
  const FileResolver& fs;
  const CatalogContext& ctx;
  InfoIndex info;

  Package build(const dpkg::Entry& e, const Database& db, bool only_entry_in_file) {
    Package p;
    p.name = e.package;
    p.version = e.version;
    p.type = "deb";
    p.found_by = kCatalogerName;
    p.arch = e.architecture;
    p.source_name = e.source;
    p.source_version = e.source_version;
    p.supplier = e.maintainer;
    p.description = e.description;
    p.depends = e.depends;
    p.depends.insert(p.depends.end(), e.pre_depends.begin(), e.pre_depends.end());
    for (const auto& clause : e.provides)
      if (auto name = dpkg::bare_name(clause); !name.empty()) add_unique(p.provides, name);
    if (e.installed_size) p.metadata["installedSize"] = std::to_string(*e.installed_size);
    if (!e.source_version.empty()) p.metadata["sourceVersion"] = e.source_version;
    p.purl = deb_purl(p, ctx.release);
    p.cpes.push_back(make_cpe(p.name, p.name, p.version));
    p.locations.push_back(db.path);
    p.licenses = dpkg::split_declared_license(e.license);

    std::vector<dpkg::FileRecord> records = e.conffiles;
    std::vector<std::string> listed;
    if (safe_segment(p.name)) {
      add_info_files(p, e, db, only_entry_in_file, records, listed);
      add_copyright(p, db);
    }
    for (const auto& r : records) p.files.push_back(join(db.root, r.path.substr(1)));
    for (const auto& path : listed) p.files.push_back(join(db.root, path.substr(1)));
    std::sort(p.files.begin(), p.files.end());
    p.files.erase(std::unique(p.files.begin(), p.files.end()), p.files.end());
    std::sort(p.licenses.begin(), p.licenses.end());
    p.licenses.erase(std::unique(p.licenses.begin(), p.licenses.end()), p.licenses.end());
    return p;
  }

  // Evidence and owned files from the info directory, looked up as Syft does: by
  // NAME:ARCH first (multi-arch packages), then NAME. A distroless status.d file whose
  // name differs from its only package ("base") also lends its own name.
  void add_info_files(Package& p, const dpkg::Entry& e, const Database& db, bool only_entry_in_file,
                      std::vector<dpkg::FileRecord>& records, std::vector<std::string>& listed) {
    std::vector<std::string> keys;
    if (!e.architecture.empty() && e.architecture != "all" && safe_segment(e.architecture))
      keys.push_back(e.package + ":" + e.architecture);
    keys.push_back(e.package);
    if (db.kind == DbKind::DpkgStatusDir && only_entry_in_file) add_unique(keys, std::string(basename(db.path)));

    std::vector<const InfoIndex::Files*> found;
    for (const auto& key : keys)
      if (const auto* files = info.files_of(fs, db.info_dir, key)) found.push_back(files);

    std::vector<std::string> evidence;
    for (const auto* files : found)
      for (const auto& [suffix, path] : *files)
        if (path != db.path) add_unique(evidence, path);
    std::sort(evidence.begin(), evidence.end());
    for (const auto& path : evidence) add_unique(p.locations, path);

    // The first key that has a file of the kind wins, per kind.
    auto first = [&](std::string_view suffix) -> const std::string* {
      for (const auto* files : found)
        if (auto it = files->find(suffix); it != files->end()) return fs.read(it->second);
      return nullptr;
    };
    if (const std::string* md5sums = first("md5sums")) {
      auto more = dpkg::parse_md5sums(*md5sums);
      records.insert(records.end(), more.begin(), more.end());
    }
    if (const std::string* conffiles = first("conffiles")) {
      auto more = dpkg::parse_conffiles(*conffiles);
      records.insert(records.end(), more.begin(), more.end());
    }
    if (const std::string* list = first("list")) listed = dpkg::parse_list_leaves(*list);
  }

  void add_copyright(Package& p, const Database& db) {
    std::string path = join(db.root, "usr/share/doc/" + p.name + "/copyright");
    // The doc directory is often a symlink to another package's; the resolver follows it.
    auto real = fs.real_path(path);
    if (!real) return;
    if (const std::string* text = fs.read(path)) {
      auto found = dpkg::licenses_from_copyright(*text);
      p.licenses.insert(p.licenses.end(), found.begin(), found.end());
    }
    add_unique(p.locations, *real);
  }
};

// The same package read from two databases of one root (opkg's status and its
// info/NAME.control) is one package with both as evidence.
void merge_duplicates(std::vector<Package>& packages, const std::vector<std::string>& roots) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::size_t> first;
  std::vector<Package> out;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    auto& p = packages[i];
    auto [it, inserted] = first.try_emplace(std::make_tuple(roots[i], p.name, p.version, p.arch), out.size());
    if (inserted) {
      out.push_back(std::move(p));
      continue;
    }
    Package& kept = out[it->second];
    for (const auto& l : p.locations) add_unique(kept.locations, l);
    for (const auto& l : p.licenses) add_unique(kept.licenses, l);
    std::sort(kept.licenses.begin(), kept.licenses.end());
    kept.files.insert(kept.files.end(), p.files.begin(), p.files.end());
    std::sort(kept.files.begin(), kept.files.end());
    kept.files.erase(std::unique(kept.files.begin(), kept.files.end()), kept.files.end());
  }
  packages = std::move(out);
}

CatalogResult run(const FileResolver& fs, const CatalogContext& ctx) {
  CatalogResult result;
  Builder builder{fs, ctx, {}};
  std::vector<std::string> roots;
  for (const auto& db : find_databases(fs)) {
    const std::string* text = fs.read(db.path);
    if (!text) {
      result.errors.push_back(db.path + ": not read (larger than the size limit for package databases?)");
      continue;
    }
    auto parsed = dpkg::parse_status(*text);
    for (const auto& error : parsed.errors) result.errors.push_back(db.path + ": " + error);
    for (const auto& entry : parsed.entries) {
      result.packages.push_back(builder.build(entry, db, parsed.entries.size() == 1));
      roots.push_back(db.root);
    }
  }
  merge_duplicates(result.packages, roots);
  bool truncated = false;
  result.dependencies = dpkg::resolve_dependencies(result.packages, &truncated);
  if (truncated)
    result.errors.push_back("dpkg dependencies: more than " + std::to_string(dpkg::kMaxDependencyEdges) +
                            " edges; the rest were dropped");
  return result;
}

}  // namespace

Cataloger dpkg_cataloger() {
  std::vector<CaptureRule> captures;
  // Databases: real status files are a few MB; status.d and control files one package each.
  captures.push_back({"**/lib/dpkg/status", 64 * kMiB});
  captures.push_back({"**/lib/dpkg/status.d/*", 16 * kMiB});
  captures.push_back({"**/lib/opkg/status", 64 * kMiB});
  captures.push_back({"**/lib/opkg/info/*.control", 1 * kMiB});
  // Owned files.
  for (const char* dir : {"**/lib/dpkg/info/", "**/lib/opkg/info/"}) {
    captures.push_back({std::string(dir) + "*.md5sums", 16 * kMiB});
    captures.push_back({std::string(dir) + "*.conffiles", 1 * kMiB});
    captures.push_back({std::string(dir) + "*.list", 16 * kMiB});
  }
  captures.push_back({"**/usr/share/doc/*/copyright", 4 * kMiB});
  return Cataloger{kCatalogerName, std::move(captures), run};
}

}  // namespace cairn::sbom
