#pragma once
// How Syft names a Java package from its Maven and manifest evidence: which pom of an
// archive is the archive's own, the name and version from the manifest or file name
// when no pom says, the group id (pom.properties, pom.xml, its parent, manifest fields),
// the pkg:maven purl and the package type.
#include <optional>
#include <string>
#include <vector>

#include "sbom/catalogers/java_archive_extract.h"
#include "sbom/catalogers/java_archive_name.h"
#include "sbom/package.h"

namespace cairn::sbom {

struct JavaIdentity {
  std::string name;
  std::string version;
  JavaManifest manifest;
  std::optional<PomProperties> properties;
  std::optional<PomProject> project;
};

// The group id Syft puts in the purl: pom.properties groupId (or an artifactId that looks
// like a group), else the pom.xml's (or its parent's), else the first (sorted) manifest
// field value that starts with a top-level domain. "" when nothing says.
std::string java_group_id(const JavaIdentity& id);

// pkg:maven/<group or name>/<name>@<version>.
std::string java_purl(const JavaIdentity& id);

// The archive's own pom.properties / pom.xml among those it holds: the one whose
// artifactId the file name matches (exactly if any does, else as a prefix or suffix),
// preferring a groupId the file name starts with, then the first by path. Without a
// pom.properties match, a pom.xml is chosen the same way.
struct MainPom {
  const PomProperties* properties = nullptr;
  const PomXmlFile* xml = nullptr;
  std::string artifact_id, version;
};
MainPom select_main_pom(const JavaArchiveInfo& info, const JavaArchiveName& file);

// Name and version when no pom identified the archive (Syft's selectName/selectVersion).
std::string name_from_manifest_and_file(const JavaManifest& m, const JavaArchiveName& file);
std::string version_from_manifest_and_file(const JavaManifest& m, const JavaArchiveName& file);

// Bundle-License and Plugin-License-Name.
std::vector<std::string> manifest_licenses(const JavaManifest& m);

// "jenkins-plugin" for .hpi/.jpi, else "java-archive".
std::string archive_package_type(const std::string& extension);
// "jenkins-plugin" when the groupId is a Jenkins plugin group, else "java-archive".
std::string pom_properties_package_type(const PomProperties& p);

// Writes the pom evidence into Package::metadata (pom_*, pom_properties_*).
void add_identity_metadata(const JavaIdentity& id, Package& p);

}  // namespace cairn::sbom
