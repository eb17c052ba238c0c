#pragma once
// Java, as Syft's java catalogers see it:
// - java-archive-cataloger: jar/war/ear/hpi/... files (and Java archives inside .zip
//   files), identified from pom.properties, pom.xml, MANIFEST.MF and the file name,
//   nested archives included (packages inside a package depend on it);
// - java-jvm-cataloger: JDK/JRE installations, from their `release` file;
// - java-pom-cataloger and java-gradle-lockfile-cataloger: pom.xml dependencies and
//   gradle.lockfile pins, for dir: sources only.
#include "sbom/cataloger.h"

namespace cairn::sbom {

Cataloger java_archive_cataloger();
Cataloger java_jvm_cataloger();
Cataloger java_pom_cataloger();
Cataloger java_gradle_lockfile_cataloger();

}  // namespace cairn::sbom
