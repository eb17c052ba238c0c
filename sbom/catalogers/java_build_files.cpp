// Declared (not installed) Java dependencies, read from build files in dir: sources as
// Syft does: pom.xml (the project and its <dependencies>, which it depends on) and
// gradle.lockfile (group:artifact:version=configurations lines).
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/java.h"
#include "sbom/catalogers/java_pom.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr std::size_t kPomCap = 8 * 1024 * 1024;
constexpr std::size_t kLockfileCap = 16 * 1024 * 1024;

Package maven_package(const std::string& group, const std::string& artifact, const std::string& version,
                      const std::string& location, const char* found_by) {
  Package p;
  p.name = artifact;
  p.version = version;
  p.type = "java-archive";
  p.found_by = found_by;
  p.purl = make_purl("maven", group.empty() ? artifact : group, artifact, version);
  p.locations = {location};
  return p;
}

CatalogResult run_pom(const FileResolver& files, const CatalogContext& context) {
  constexpr const char* kName = "java-pom-cataloger";
  CatalogResult result;
  if (!context.directory_source) return result;
  for (const auto& path : files.glob("**/pom.xml")) {
    const std::string* text = files.read(path);
    if (!text) {
      result.errors.push_back(path + ": not read (larger than " + std::to_string(kPomCap) + " bytes?)");
      continue;
    }
    auto pom = parse_pom_xml(*text);
    if (!pom) {
      result.errors.push_back(path + ": " + pom.error().message);
      continue;
    }
    std::size_t project = SIZE_MAX;
    if (!pom->artifact_id.empty()) {
      const std::string group = pom->group_id.empty() ? pom->parent.group_id : pom->group_id;
      const std::string version = pom->version.empty() ? pom->parent.version : pom->version;
      Package p = maven_package(group, pom->artifact_id, version, path, kName);
      p.description = pom->description;
      if (!pom->name.empty()) p.metadata["pom_name"] = pom->name;
      for (const auto& l : pom->licenses)
        if (auto v = l.name.empty() ? l.url : l.name; !v.empty()) p.licenses.push_back(v);
      project = result.packages.size();
      result.packages.push_back(std::move(p));
    }
    for (const auto& dep : pom->dependencies) {
      if (dep.artifact_id.empty()) continue;
      Package p = maven_package(dep.group_id, dep.artifact_id, dep.version, path, kName);
      if (!dep.scope.empty()) p.metadata["scope"] = dep.scope;
      if (dep.optional) p.metadata["optional"] = "true";
      if (project != SIZE_MAX) result.dependencies.push_back({project, result.packages.size()});
      result.packages.push_back(std::move(p));
    }
  }
  return result;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\r") - b + 1));
}

CatalogResult run_gradle(const FileResolver& files, const CatalogContext& context) {
  constexpr const char* kName = "java-gradle-lockfile-cataloger";
  CatalogResult result;
  if (!context.directory_source) return result;
  for (const auto& path : files.glob("**/gradle.lockfile*")) {
    const std::string* text = files.read(path);
    if (!text) continue;
    std::size_t i = 0;
    while (i < text->size()) {
      auto nl = text->find('\n', i);
      if (nl == std::string::npos) nl = text->size();
      std::string line = trim(std::string_view(*text).substr(i, nl - i));
      i = nl + 1;
      std::string coordinates = line.substr(0, line.find('='));
      auto c1 = coordinates.find(':');
      auto c2 = c1 == std::string::npos ? c1 : coordinates.find(':', c1 + 1);
      if (c2 == std::string::npos || coordinates.find(':', c2 + 1) != std::string::npos) continue;
      Package p = maven_package(coordinates.substr(0, c1), coordinates.substr(c1 + 1, c2 - c1 - 1),
                                coordinates.substr(c2 + 1), path, kName);
      // Syft records the lock entry as a pom project named after its artifact.
      p.metadata["pom_group_id"] = coordinates.substr(0, c1);
      p.metadata["pom_name"] = p.name;
      result.packages.push_back(std::move(p));
    }
  }
  return result;
}

}  // namespace

Cataloger java_pom_cataloger() { return {"java-pom-cataloger", {{"**/pom.xml", kPomCap}}, run_pom}; }

Cataloger java_gradle_lockfile_cataloger() {
  return {"java-gradle-lockfile-cataloger", {{"**/gradle.lockfile*", kLockfileCap}}, run_gradle};
}

}  // namespace cairn::sbom
