#pragma once
// The rpm database cataloger ("rpm-db-cataloger"): installed packages from rpm's
// Berkeley DB "Packages", ndb "Packages.db" and sqlite "rpmdb.sqlite" databases under
// usr/share/rpm, var/lib/rpm and usr/lib/sysimage/rpm, and from the CBL-Mariner
// distroless manifest var/lib/rpmmanifest/container-manifest-2, as Syft catalogs them.
#include "sbom/cataloger.h"

namespace cairn::sbom {

Cataloger rpm_cataloger();

}  // namespace cairn::sbom
