#pragma once
// Ownership by file overlap: when an OS package (deb, rpm, apk, alpm) lists among its
// files a file another cataloger found a package by (a Debian python3-certifi listing
// certifi's egg-info, a Debian skopeo listing /usr/bin/skopeo), the two describe the
// same installed software. The rule, as Syft applies it:
//   - a package found only by a binary classifier (type "binary", or found by the
//     binary-classifier-cataloger) at any location an OS package owns is dropped: the
//     OS package already counts that software once (license texts under
//     /usr/share/doc/*/copyright never count as owned);
//   - any other package (python, npm, go-module, java-archive, …) is kept, since it
//     says what the OS package is made of, and is recorded as owned by the OS package
//     (SPDX: an OTHER relationship commented "ownership-by-file-overlap"; CycloneDX:
//     the property cairn:ownedBy naming the owner's bom-ref).
#include <vector>

#include "sbom/file_resolver.h"
#include "sbom/package.h"

namespace cairn::sbom {

struct OwnershipResult {
  std::vector<Package> packages;          // the input minus dropped binaries
  std::vector<Dependency> dependencies;   // remapped to the new indices
  std::vector<Dependency> ownerships;     // from = OS package, to = owned package
};

bool is_os_package_type(const std::string& type);

// Paths are compared after resolving symlinks in `fs` (an OS package may list
// /bin/busybox where the image holds /usr/bin/busybox).
OwnershipResult apply_file_ownership(std::vector<Package> packages, const std::vector<Dependency>& dependencies,
                                     const FileResolver& fs);

}  // namespace cairn::sbom
