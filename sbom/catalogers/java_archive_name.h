#pragma once
// What a Java archive's file name says: "jackson-core-2.15.2.jar" is jackson-core 2.15.2.
// The rules are Syft's: dash-separated words starting with a letter form the name, and
// the first dash-group that starts with a digit, "build<digits>", or is exactly
// "r<digits>" / "rc<digits>" starts the version; failing that, a version may follow a
// '.' or '_' ("foo_1.2"). Case-insensitive.
#include <string>
#include <string_view>

namespace cairn::sbom {

struct JavaArchiveName {
  std::string name;
  std::string version;
  std::string extension;  // without the dot, as written
};

JavaArchiveName parse_java_archive_name(std::string_view path);

// The artifact id a file name suggests: "com.fasterxml.jackson.core.jackson-core" (an sbt
// style groupId.artifactId) gives "jackson-core"; org.eclipse.* names are kept whole.
std::string artifact_from_archive_name(const JavaArchiveName& name);

}  // namespace cairn::sbom
