#include "sbom/catalogers/java_identity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr std::array kPrimaryManifestGroupFields = {"Group-Id",
                                                    "Bundle-SymbolicName",
                                                    "Extension-Name",
                                                    "Specification-Vendor",
                                                    "Implementation-Vendor",
                                                    "Implementation-Vendor-Id",
                                                    "Implementation-Title",
                                                    "Bundle-Activator"};
constexpr std::array kSecondaryManifestGroupFields = {"Automatic-Module-Name", "Main-Class", "Package"};
constexpr std::array kTopLevelDomains = {"com", "org", "net", "io", "be"};
constexpr std::array kJenkinsPluginGroups = {"io.jenkins.plugins", "org.jenkins.plugins", "org.jenkins-ci.plugins",
                                             "io.jenkins-ci.plugins", "com.cloudbees.jenkins.plugins"};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// OSGi directives ("org.bar;uses:=...") dropped.
std::string clean_group_id(const std::string& g) { return trim(g.substr(0, g.find(';'))); }

bool looks_like_group_id(const std::string& s) { return s.find('.') != std::string::npos; }

bool starts_with_domain(const std::string& s) {
  return std::any_of(kTopLevelDomains.begin(), kTopLevelDomains.end(), [&](const char* d) { return s.starts_with(d); });
}

std::string group_from_manifest(const JavaManifest& m, const auto& fields) {
  std::vector<std::string> found;
  for (const char* field : fields) {
    for (const auto& [k, v] : m.main)
      if (k == field && starts_with_domain(v)) found.push_back(clean_group_id(v));
    for (const auto& section : m.sections)
      for (const auto& [k, v] : section)
        if (k == field && starts_with_domain(v)) found.push_back(clean_group_id(v));
  }
  if (found.empty()) return "";
  return *std::min_element(found.begin(), found.end());
}

bool artifact_matches_file(const std::string& artifact, const std::string& file_name,
                           const std::set<std::string>& artifacts) {
  if (artifact.empty() || file_name.empty()) return false;
  if (artifacts.contains(file_name)) return artifact == file_name;
  return artifact.starts_with(file_name) || file_name.ends_with(artifact);
}

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// Index of the chosen one among `candidates` (sorted by path), given each one's group id
// and whether it has a pom.xml beside it.
template <class T, class Group, class HasXml>
const T* choose(const std::vector<const T*>& candidates, const std::string& file_name, Group group, HasXml has_xml) {
  if (candidates.empty()) return nullptr;
  std::vector<const T*> preferred;
  for (const T* c : candidates) {
    const std::string g = group(*c);
    if (!g.empty() && file_name.starts_with(g)) preferred.push_back(c);
  }
  const auto& pool = preferred.empty() ? candidates : preferred;
  for (const T* c : pool)
    if (has_xml(*c)) return c;
  return pool.front();
}

}  // namespace

std::string java_group_id(const JavaIdentity& id) {
  if (id.properties) {
    if (!id.properties->group_id.empty()) return clean_group_id(id.properties->group_id);
    if (looks_like_group_id(id.properties->artifact_id)) return clean_group_id(id.properties->artifact_id);
  }
  if (id.project) {
    const PomProject& p = *id.project;
    if (!p.group_id.empty()) return clean_group_id(p.group_id);
    if (looks_like_group_id(p.artifact_id)) return clean_group_id(p.artifact_id);
    if (!p.parent.group_id.empty()) return clean_group_id(p.parent.group_id);
    if (looks_like_group_id(p.parent.artifact_id)) return clean_group_id(p.parent.artifact_id);
  }
  if (auto g = group_from_manifest(id.manifest, kPrimaryManifestGroupFields); !g.empty()) return g;
  return group_from_manifest(id.manifest, kSecondaryManifestGroupFields);
}

std::string java_purl(const JavaIdentity& id) {
  std::string group = java_group_id(id);
  if (group.empty()) group = id.name;
  return make_purl("maven", group, id.name, id.version);
}

MainPom select_main_pom(const JavaArchiveInfo& info, const JavaArchiveName& file) {
  MainPom out;
  std::map<std::string, const PomXmlFile*> xml_by_dir;
  for (const auto& x : info.pom_xml) xml_by_dir.emplace(dir_of(x.path), &x);

  std::set<std::string> artifacts;
  std::vector<const PomProperties*> usable;
  for (const auto& p : info.pom_properties)
    if (!p.artifact_id.empty() && !p.version.empty()) {
      usable.push_back(&p);
      artifacts.insert(p.artifact_id);
    }
  std::vector<const PomProperties*> matching;
  for (const PomProperties* p : usable)
    if (artifact_matches_file(p->artifact_id, file.name, artifacts)) matching.push_back(p);
  out.properties = choose(
      matching, file.name, [](const PomProperties& p) { return p.group_id; },
      [&](const PomProperties& p) { return xml_by_dir.contains(dir_of(p.path)); });

  if (out.properties) {
    if (auto it = xml_by_dir.find(dir_of(out.properties->path)); it != xml_by_dir.end()) out.xml = it->second;
  } else {
    // No pom.properties names the archive: a pom.xml alone may (Gradle-published jars).
    std::set<std::string> xml_artifacts;
    for (const auto& x : info.pom_xml) xml_artifacts.insert(x.project.artifact_id);
    std::vector<const PomXmlFile*> xml_matching;
    for (const auto& x : info.pom_xml)
      if (artifact_matches_file(x.project.artifact_id, file.name, xml_artifacts)) xml_matching.push_back(&x);
    out.xml = choose(
        xml_matching, file.name,
        [](const PomXmlFile& x) { return x.project.group_id.empty() ? x.project.parent.group_id : x.project.group_id; },
        [](const PomXmlFile&) { return true; });
  }
  if (out.properties) {
    out.artifact_id = out.properties->artifact_id;
    out.version = out.properties->version;
  }
  if (out.xml) {
    if (out.artifact_id.empty()) out.artifact_id = out.xml->project.artifact_id;
    if (out.version.empty())
      out.version = out.xml->project.version.empty() ? out.xml->project.parent.version : out.xml->project.version;
  }
  return out;
}

std::string name_from_manifest_and_file(const JavaManifest& m, const JavaArchiveName& file) {
  // The Apache Felix bundle plugin writes Bundle-SymbolicName as groupId.artifactId.
  if (m.get("Created-By").find("Apache Maven Bundle Plugin") != std::string::npos) {
    const std::string symbolic = m.get("Bundle-SymbolicName");
    const std::string vendor_id = m.get("Implementation-Vendor-Id");
    if (!symbolic.empty() && !(vendor_id == symbolic)) return symbolic.substr(symbolic.rfind('.') + 1);
  }
  if (auto name = artifact_from_archive_name(file); !name.empty()) return name;
  for (const char* key : {"Name", "Bundle-Name", "Short-Name", "Extension-Name", "Implementation-Title"})
    if (auto v = m.get(key); !v.empty()) return v;
  return "";
}

std::string version_from_manifest_and_file(const JavaManifest& m, const JavaArchiveName& file) {
  if (!file.version.empty()) return file.version;
  for (const char* key : {"Implementation-Version", "Specification-Version", "Plugin-Version", "Bundle-Version"})
    if (auto v = m.field(key); !v.empty()) return v;
  return "";
}

std::vector<std::string> manifest_licenses(const JavaManifest& m) {
  std::vector<std::string> out;
  for (const char* key : {"Bundle-License", "Plugin-License-Name"})
    if (auto v = m.field(key); !v.empty()) out.push_back(v);
  return out;
}

std::string archive_package_type(const std::string& extension) {
  std::string ext = extension;
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == "hpi" || ext == "jpi" ? "jenkins-plugin" : "java-archive";
}

std::string pom_properties_package_type(const PomProperties& p) {
  const bool jenkins =
      std::any_of(kJenkinsPluginGroups.begin(), kJenkinsPluginGroups.end(),
                  [&](const char* g) { return p.group_id.starts_with(g); }) ||
      p.group_id.find(".jenkins.plugin") != std::string::npos;
  return jenkins ? "jenkins-plugin" : "java-archive";
}

void add_identity_metadata(const JavaIdentity& id, Package& p) {
  auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) p.metadata[key] = value;
  };
  if (id.properties) {
    set("pom_properties_path", id.properties->path);
    set("pom_properties_group_id", id.properties->group_id);
    set("pom_properties_artifact_id", id.properties->artifact_id);
  }
  if (id.project) {
    set("pom_group_id", id.project->group_id);
    set("pom_artifact_id", id.project->artifact_id);
    set("pom_name", id.project->name);
    set("pom_url", id.project->url);
    if (!id.project->parent.empty())
      set("pom_parent", id.project->parent.group_id + ":" + id.project->parent.artifact_id + ":" +
                            id.project->parent.version);
    if (p.description.empty()) p.description = id.project->description;
  }
}

}  // namespace cairn::sbom
