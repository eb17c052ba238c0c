#pragma once
// The purl "distro" qualifier OS package catalogers share, as Syft forms it: the
// os-release ID and VERSION_ID joined by '-', BUILD_ID standing in for a missing
// VERSION_ID (rolling distributions such as Arch), "" when the release says neither.
#include <string>

#include "sbom/release.h"

namespace cairn::sbom {

inline std::string distro_qualifier(const Release& release) {
  const std::string& version = !release.version_id.empty() ? release.version_id : release.build_id;
  if (release.id.empty()) return version;
  return version.empty() ? release.id : release.id + "-" + version;
}

}  // namespace cairn::sbom
