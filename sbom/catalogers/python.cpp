#include "sbom/catalogers/python.h"

#include <map>
#include <set>

#include "sbom/catalogers/python_license_file.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "python-installed-package-cataloger";

// Syft's globs: "*dist-info" without the dot (some tools name the directory just
// "dist-info"), and the upper-case forms old setuptools wrote on case-insensitive
// filesystems.
const std::vector<std::string> kMetadataDirs = {"*dist-info", "*DIST-INFO", "*egg-info", "*EGG-INFO"};
constexpr const char* kEggInfoFilePattern = "**/*.egg-info";

constexpr std::size_t kMetadataCap = 1024 * 1024;
// RECORD lists every file of the distribution; big ones (botocore) run to megabytes.
constexpr std::size_t kRecordCap = 16 * 1024 * 1024;
constexpr std::size_t kSmallFileCap = 64 * 1024;
constexpr std::size_t kInstallerCap = 1024;
constexpr std::size_t kLicenseFileCap = 256 * 1024;
// License files wheel and setuptools put in the metadata directory (PEP 639 puts them
// under licenses/).
const std::vector<std::string> kLicenseFilePatterns = {"LICENSE*", "LICENCE*", "COPYING*", "licenses/**"};

// One line longer than this in License: is a license text, not a name.
constexpr std::size_t kMaxLicenseNameLength = 200;

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : path.substr(0, slash);
}

bool is_metadata_in_directory(const std::string& path) {
  return path.ends_with("/METADATA") || path.ends_with("/PKG-INFO");
}

std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// What one dist-info / egg-info yields before dependency resolution.
struct Distribution {
  Package package;
  std::string site_packages;
};

void read_companions(const FileResolver& files, const std::string& info_dir, const std::string& site_packages,
                     Package& p, std::vector<std::string>& errors, PythonDirectUrl& origin, bool& has_origin) {
  const std::string record_path = info_dir + "/RECORD";
  if (const std::string* record = files.read(record_path)) {
    p.locations.push_back(record_path);
    PythonRecord parsed = parse_python_record(*record);
    for (const auto& problem : parsed.problems) errors.push_back(record_path + ": " + problem);
    for (const auto& entry : parsed.entries) {
      if (entry.path.empty()) continue;
      p.files.push_back(normalize_path(entry.path.front() == '/' ? entry.path : site_packages + "/" + entry.path));
    }
  }
  const std::string direct_url_path = info_dir + "/direct_url.json";
  if (const std::string* direct_url = files.read(direct_url_path)) {
    p.locations.push_back(direct_url_path);
    PythonDirectUrlParse parsed = parse_python_direct_url(*direct_url);
    for (const auto& problem : parsed.problems) errors.push_back(direct_url_path + ": " + problem);
    if (parsed.ok) {
      origin = parsed.value;
      has_origin = true;
      p.metadata["direct_url"] = origin.url;
      if (!origin.vcs.empty()) p.metadata["direct_url_vcs"] = origin.vcs;
      if (!origin.commit_id.empty()) p.metadata["direct_url_commit_id"] = origin.commit_id;
      if (origin.editable) p.metadata["direct_url_editable"] = "true";
    }
  }
  const std::string top_level_path = info_dir + "/top_level.txt";
  if (const std::string* top_level = files.read(top_level_path)) {
    p.locations.push_back(top_level_path);
    auto names = parse_python_top_level(*top_level);
    if (!names.empty()) p.metadata["top_level_packages"] = joined(names, " ");
  }
  const std::string installer_path = info_dir + "/INSTALLER";
  if (const std::string* installer = files.read(installer_path)) {
    std::string name = sanitize_utf8(trimmed(*installer));
    if (!name.empty()) p.metadata["installer"] = name;
  }
}

// The license named by the text of a declared License-File, else of a license file the
// metadata directory holds; empty when none is found or its text is not recognised.
std::vector<std::string> license_from_file(const FileResolver& files, const std::string& info_dir,
                                           const PythonMetadata& m) {
  std::vector<std::string> candidates;
  for (const auto& declared : m.license_files) {
    candidates.push_back(normalize_path(info_dir + "/" + declared));
    candidates.push_back(normalize_path(info_dir + "/licenses/" + declared));
  }
  if (candidates.empty())
    for (const auto& pattern : kLicenseFilePatterns)
      for (auto& path : files.glob(info_dir + "/" + pattern)) candidates.push_back(std::move(path));
  for (const auto& path : candidates) {
    // A declared name is not trusted to stay inside the metadata directory.
    if (!path.starts_with(info_dir + "/")) continue;
    const std::string* text = files.read(path);
    if (!text) continue;
    if (auto id = identify_python_license_text(*text)) return {*id};
  }
  return {};
}

std::optional<Distribution> read_distribution(const FileResolver& files, const std::string& metadata_path,
                                              std::vector<std::string>& errors) {
  const std::string* content = files.read(metadata_path);
  if (!content) {
    errors.push_back(metadata_path + ": not read (larger than " + std::to_string(kMetadataCap) +
                     " bytes or not a regular file)");
    return std::nullopt;
  }
  PythonMetadata m = parse_python_metadata(*content);
  for (const auto& problem : m.problems) errors.push_back(metadata_path + ": " + problem);
  if (m.name.empty()) return std::nullopt;

  const bool in_directory = is_metadata_in_directory(metadata_path);
  const std::string info_dir = in_directory ? parent_dir(metadata_path) : "";
  Distribution d;
  d.site_packages = parent_dir(in_directory ? info_dir : metadata_path);

  Package& p = d.package;
  p.name = normalize_python_name(m.name);
  p.version = m.version;
  p.type = "python";
  p.found_by = kCatalogerName;
  p.licenses = python_declared_licenses(m);
  p.locations.push_back(metadata_path);
  p.supplier = python_supplier(m);
  p.description = m.summary;
  p.depends = m.requires_dist;
  p.metadata["name"] = m.name;
  p.metadata["site_packages_root_path"] = d.site_packages;
  auto set_if = [&](const char* key, const std::string& value) {
    if (!value.empty()) p.metadata[key] = value;
  };
  set_if("author", m.author);
  set_if("author_email", m.author_email);
  set_if("platform", m.platform);
  set_if("home_page", m.home_page);
  set_if("requires_python", m.requires_python);
  set_if("provides_extra", joined(m.provides_extra, " "));

  PythonDirectUrl origin;
  bool has_origin = false;
  if (in_directory) {
    read_companions(files, info_dir, d.site_packages, p, errors, origin, has_origin);
    if (p.licenses.empty()) p.licenses = license_from_file(files, info_dir, m);
  }
  if (p.licenses.empty()) p.licenses = python_classifier_licenses(m);
  p.purl = python_purl(p.name, p.version, has_origin ? &origin : nullptr);
  return d;
}

// Edges from each distribution to the ones its Requires-Dist names, within the same
// site-packages directory (a venv's packages do not satisfy another venv's needs).
std::vector<Dependency> site_packages_dependencies(const std::vector<Distribution>& dists) {
  std::map<std::pair<std::string, std::string>, std::size_t> by_name;
  for (std::size_t i = 0; i < dists.size(); ++i)
    by_name.emplace(std::make_pair(dists[i].site_packages, dists[i].package.name), i);
  std::set<Dependency> edges;
  for (std::size_t i = 0; i < dists.size(); ++i) {
    for (const auto& requirement : dists[i].package.depends) {
      std::string name = python_requirement_name(requirement);
      auto it = by_name.find({dists[i].site_packages, name});
      if (it != by_name.end() && it->second != i) edges.insert({i, it->second});
    }
  }
  return {edges.begin(), edges.end()};
}

CatalogResult run(const FileResolver& files, const CatalogContext&) {
  CatalogResult result;
  std::set<std::string> metadata_paths;
  for (const auto& dir : kMetadataDirs) {
    const char* file = dir.find("dist") != std::string::npos || dir.find("DIST") != std::string::npos
                           ? "METADATA"
                           : "PKG-INFO";
    for (auto& path : files.glob("**/" + dir + "/" + file)) metadata_paths.insert(std::move(path));
  }
  for (auto& path : files.glob(kEggInfoFilePattern)) metadata_paths.insert(std::move(path));

  std::vector<Distribution> dists;
  for (const auto& path : metadata_paths) {
    if (auto d = read_distribution(files, path, result.errors)) dists.push_back(std::move(*d));
  }
  result.dependencies = site_packages_dependencies(dists);
  for (auto& d : dists) result.packages.push_back(std::move(d.package));
  return result;
}

std::vector<CaptureRule> capture_rules() {
  std::vector<CaptureRule> rules;
  for (const auto& dir : kMetadataDirs) {
    const std::string prefix = "**/" + dir + "/";
    rules.push_back({prefix + "METADATA", kMetadataCap});
    rules.push_back({prefix + "PKG-INFO", kMetadataCap});
    rules.push_back({prefix + "RECORD", kRecordCap});
    rules.push_back({prefix + "direct_url.json", kSmallFileCap});
    rules.push_back({prefix + "top_level.txt", kSmallFileCap});
    rules.push_back({prefix + "INSTALLER", kInstallerCap});
    for (const auto& pattern : kLicenseFilePatterns) rules.push_back({prefix + pattern, kLicenseFileCap});
  }
  rules.push_back({kEggInfoFilePattern, kMetadataCap});
  return rules;
}

}  // namespace

Cataloger python_installed_cataloger() { return Cataloger{kCatalogerName, capture_rules(), run}; }

std::vector<std::string> python_declared_licenses(const PythonMetadata& m) {
  std::string expression = trimmed(m.license_expression);
  if (!expression.empty()) return {expression};
  std::string license = trimmed(m.license);
  if (!license.empty() && license != "UNKNOWN" && license.find('\n') == std::string::npos &&
      license.size() <= kMaxLicenseNameLength)
    return {license};
  return {};
}

std::vector<std::string> python_classifier_licenses(const PythonMetadata& m) {
  std::vector<std::string> out;
  constexpr std::string_view kPrefix = "License ::";
  for (const auto& classifier : m.classifiers) {
    if (!classifier.starts_with(kPrefix)) continue;
    auto last = classifier.rfind("::");
    std::string name = trimmed(classifier.substr(last + 2));
    // "License :: OSI Approved" alone says nothing about which license.
    if (name.empty() || name == "OSI Approved") continue;
    out.push_back(name);
  }
  return out;
}

std::string python_supplier(const PythonMetadata& m) {
  auto person = [](std::string name, std::string email) -> std::string {
    name = trimmed(name);
    email = trimmed(email);
    if (name == "UNKNOWN") name.clear();
    if (email == "UNKNOWN") email.clear();
    if (email.find('<') != std::string::npos) return email;  // already "Name <email>"
    if (!name.empty() && !email.empty()) return name + " <" + email + ">";
    return name.empty() ? email : name;
  };
  std::string author = person(m.author, m.author_email);
  return author.empty() ? person(m.maintainer, m.maintainer_email) : author;
}

std::string python_purl(const std::string& normalized_name, const std::string& version,
                        const PythonDirectUrl* origin) {
  std::vector<PurlQualifier> qualifiers;
  if (origin && !origin->vcs.empty() && !origin->url.empty()) {
    std::string vcs_url = origin->vcs + "+" + origin->url;
    if (!origin->commit_id.empty()) vcs_url += "@" + origin->commit_id;
    qualifiers.push_back({"vcs_url", vcs_url});
  }
  return make_purl("pypi", "", normalized_name, version, std::move(qualifiers));
}

}  // namespace cairn::sbom
