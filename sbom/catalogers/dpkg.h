#pragma once
// Debian packages installed in an image, from the dpkg database (var/lib/dpkg/status,
// distroless var/lib/dpkg/status.d/*) and the opkg database of OpenWrt and Yocto
// (usr/lib/opkg/status, var/lib/opkg/status, usr/lib/opkg/info/*.control), as Syft's
// dpkg-db-cataloger reads them: owned files from info/*.md5sums, *.conffiles and
// *.list, licenses from usr/share/doc/PKG/copyright, and dependency edges.
#include "sbom/cataloger.h"

namespace cairn::sbom {

Cataloger dpkg_cataloger();

}  // namespace cairn::sbom
