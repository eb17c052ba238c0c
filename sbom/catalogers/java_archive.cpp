// java-archive-cataloger: packages from the extracts java_archive_extract.cpp keeps of
// every Java archive, identified as Syft identifies them.
#include <algorithm>
#include <optional>
#include <set>

#include "sbom/catalogers/java.h"
#include "sbom/catalogers/java_archive_extract.h"
#include "sbom/catalogers/java_archive_name.h"
#include "sbom/catalogers/java_identity.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "java-archive-cataloger";
constexpr const char* kExtractName = "java-archive";
// Archives are buffered whole while the layer is read; fat jars and wars reach hundreds
// of megabytes.
constexpr std::size_t kArchiveCap = 512ull * 1024 * 1024;

const std::vector<std::string> kExtensions = {"jar", "war", "ear", "par", "sar", "nar", "kar",
                                              "jpi", "hpi", "far", "lpkg", "rar", "zap"};

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string pom_license(const PomLicense& l) { return l.name.empty() ? l.url : l.name; }

// One package being assembled, with the Maven evidence that decides its identity.
struct Candidate {
  JavaIdentity id;
  std::string type;
  std::vector<std::string> licenses;
  std::string virtual_path;
  std::string sha1;
  int parent = -1;
};

class ArchiveWalker {
 public:
  ArchiveWalker(const std::string& location, CatalogResult& result) : location_(location), result_(result) {}

  // Packages of one archive (and the archives inside it); returns the main package's
  // index, or -1.
  int walk(const JavaArchiveInfo& info, const std::string& virtual_path, const std::string& file_name) {
    const std::string where = virtual_path;
    for (const auto& e : info.errors) result_.errors.push_back(where + ": " + e);
    if (!info.readable) return -1;
    if (info.manifest_count > 1) {
      result_.errors.push_back(where + ": " + std::to_string(info.manifest_count) +
                               " META-INF/MANIFEST.MF entries; archive skipped");
      return -1;
    }
    const JavaArchiveName file = parse_java_archive_name(file_name);
    int main = -1;
    // Syft requires a manifest for the main package, and drops New Relic instrumentation
    // jars (Weave-Classes), which mimic the library they instrument.
    if (info.manifest_count == 1 && !info.manifest.has("Weave-Classes")) main = add_main(info, file, virtual_path);
    if (main >= 0) add_maven_packages(info, main, virtual_path);
    for (const auto& nested : info.nested) {
      const std::size_t first = candidates_.size();
      int nested_main = walk(nested, virtual_path + ":" + nested.entry, nested.entry);
      if (nested_main >= 0 && main >= 0) edges_.insert({static_cast<std::size_t>(main), static_cast<std::size_t>(nested_main)});
      for (std::size_t i = first; i < candidates_.size(); ++i)
        if (candidates_[i].parent < 0) candidates_[i].parent = main;
    }
    return main;
  }

  // A .zip is only a wrapper: the Java archives inside it are packages of their own.
  void walk_wrapper(const JavaArchiveInfo& info, const std::string& path) {
    for (const auto& e : info.errors) result_.errors.push_back(path + ": " + e);
    for (const auto& nested : info.nested) walk(nested, path + ":" + nested.entry, nested.entry);
  }

  void finish() {
    const std::size_t base = result_.packages.size();
    for (auto& c : candidates_) {
      Package p;
      p.name = c.id.name;
      p.version = c.id.version;
      p.type = c.type;
      p.found_by = kCatalogerName;
      p.purl = java_purl(c.id);
      // Syft: a purl in a Jenkins plugin group makes the package a plugin.
      if (p.purl.find("io.jenkins.plugins") != std::string::npos ||
          p.purl.find("org.jenkins-ci.plugins") != std::string::npos)
        p.type = "jenkins-plugin";
      p.licenses = c.licenses;
      p.locations = {location_};
      p.metadata["virtual_path"] = c.virtual_path;
      if (!c.sha1.empty()) p.metadata["sha1"] = c.sha1;
      add_identity_metadata(c.id, p);
      if (c.parent >= 0) {
        const auto& parent = candidates_[static_cast<std::size_t>(c.parent)].id;
        p.metadata["parent"] = parent.name + "@" + parent.version;
      }
      result_.packages.push_back(std::move(p));
    }
    for (const auto& e : edges_) result_.dependencies.push_back({base + e.from, base + e.to});
  }

 private:
  int add_main(const JavaArchiveInfo& info, const JavaArchiveName& file, const std::string& virtual_path) {
    Candidate c;
    c.id.manifest = info.manifest;
    c.licenses = manifest_licenses(info.manifest);
    MainPom pom = select_main_pom(info, file);
    if (pom.properties) c.id.properties = *pom.properties;
    if (pom.xml) c.id.project = pom.xml->project;
    c.id.name = pom.artifact_id;
    c.id.version = pom.version;
    if (c.id.name.empty()) c.id.name = name_from_manifest_and_file(info.manifest, file);
    if (c.id.version.empty()) c.id.version = version_from_manifest_and_file(info.manifest, file);
    if (c.licenses.empty() && pom.xml)
      for (const auto& l : pom.xml->project.licenses)
        if (auto v = pom_license(l); !v.empty()) c.licenses.push_back(v);
    c.type = archive_package_type(file.extension);
    c.virtual_path = virtual_path;
    c.sha1 = info.sha1;
    candidates_.push_back(std::move(c));
    return static_cast<int>(candidates_.size() - 1);
  }

  // Syft's discoverPkgsFromAllMavenFiles: every pom.properties is a package, unless it
  // describes the archive's own package, whose identity it then refines.
  void add_maven_packages(const JavaArchiveInfo& info, int main, const std::string& virtual_path) {
    for (const auto& props : info.pom_properties) {
      if (props.artifact_id.empty() || props.version.empty()) continue;
      Candidate c;
      c.id.name = props.artifact_id;
      c.id.version = props.version;
      c.id.properties = props;
      const std::string dir = parent_dir(props.path);
      for (const auto& x : info.pom_xml)
        if (parent_dir(x.path) == dir) {
          c.id.project = x.project;
          for (const auto& l : x.project.licenses)
            if (auto v = pom_license(l); !v.empty()) c.licenses.push_back(v);
        }
      c.type = pom_properties_package_type(props);
      Candidate& m = candidates_[static_cast<std::size_t>(main)];
      const std::string main_key = java_group_id(m.id) + ":" + m.id.name + ":" + m.id.version;
      const std::string key = props.group_id + ":" + props.artifact_id + ":" + props.version;
      c.virtual_path = key == main_key ? virtual_path : virtual_path + ":" + props.group_id + ":" + props.artifact_id;
      if (same_package(c, m)) {
        m.id.name = c.id.name;
        m.id.version = c.id.version;
        m.type = c.type;
        if (!m.id.properties) m.id.properties = props;
        continue;
      }
      c.parent = main;
      candidates_.push_back(std::move(c));
      edges_.insert({static_cast<std::size_t>(main), candidates_.size() - 1});
    }
  }

  static bool same_package(const Candidate& c, const Candidate& m) {
    if (java_group_id(c.id) + "|" + c.id.name + "|" + c.id.version ==
        java_group_id(m.id) + "|" + m.id.name + "|" + m.id.version)
      return true;
    if (c.virtual_path == m.virtual_path) return true;
    return c.id.properties && !c.id.properties->artifact_id.empty() && m.id.name == c.id.properties->artifact_id;
  }

  std::string location_;
  CatalogResult& result_;
  std::vector<Candidate> candidates_;
  std::set<Dependency> edges_;  // by candidate index
};

CatalogResult run(const FileResolver& files, const CatalogContext&) {
  CatalogResult result;
  for (const auto& path : files.files_with_extract(kExtractName)) {
    const std::string* extract = files.extract(path, kExtractName);
    if (!extract) continue;
    auto info = parse_java_archive_extract(*extract);
    if (!info) {
      result.errors.push_back(path + ": " + info.error().message);
      continue;
    }
    ArchiveWalker walker(path, result);
    if (is_java_archive_name(path)) walker.walk(*info, path, path);
    else walker.walk_wrapper(*info, path);
    walker.finish();
  }
  return result;
}

}  // namespace

Cataloger java_archive_cataloger() {
  std::vector<CaptureRule> rules;
  auto add = [&](const std::string& ext) {
    CaptureRule rule{"**/*." + ext, kArchiveCap};
    rule.extract_name = kExtractName;
    rule.extract = extract_java_archive;
    rules.push_back(std::move(rule));
  };
  for (const auto& ext : kExtensions) add(ext);
  // Java archives wrapped in zip files (Syft's default: indexed archives are searched).
  add("zip");
  return {kCatalogerName, std::move(rules), run};
}

}  // namespace cairn::sbom
