#pragma once
// Maven metadata files: pom.xml (project identity, licenses, dependencies, with ${...}
// interpolated from the pom's own <properties> and project fields) and pom.properties
// (the groupId/artifactId/version Maven writes into every jar it builds).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct PomParent {
  std::string group_id, artifact_id, version;
  bool empty() const { return group_id.empty() && artifact_id.empty() && version.empty(); }
};

struct PomLicense {
  std::string name, url;
};

struct PomDependency {
  std::string group_id, artifact_id, version, scope;
  bool optional = false;
};

struct PomProject {
  std::string group_id, artifact_id, version, name, description, url, packaging;
  PomParent parent;
  std::vector<PomLicense> licenses;
  std::vector<PomDependency> dependencies;  // versions filled from <dependencyManagement> when absent
  std::map<std::string, std::string> properties;
};

// Parses and interpolates a pom.xml. Errors name the problem (not XML, no <project>).
Result<PomProject> parse_pom_xml(std::string_view text);

// Replaces ${name} references with the pom's properties and project.* / pom.* fields,
// repeatedly (a property may refer to another) but boundedly; an unknown reference is
// left as written, as Maven and Syft leave it.
std::string interpolate_pom_value(const PomProject& pom, std::string_view value);

struct PomProperties {
  std::string path;  // path inside the archive
  std::string group_id, artifact_id, version;
};

// key=value / key: value lines; '#' and '!' comments. Unknown keys are ignored.
PomProperties parse_pom_properties(std::string_view text);

}  // namespace cairn::sbom
