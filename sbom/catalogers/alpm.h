#pragma once
// Arch Linux (and other pacman users') packages from the local database
// var/lib/pacman/local/<name>-<version>/, as Syft's alpm-db-cataloger reads it: fields
// from desc, backup files from files, owned files with digests from the gzip mtree, and
// dependency edges from %DEPENDS% resolved against names and %PROVIDES%.
#include <optional>
#include <string>

#include "sbom/cataloger.h"
#include "sbom/catalogers/alpm_desc.h"
#include "sbom/release.h"

namespace cairn::sbom {

Cataloger alpm_cataloger();

// pkg:alpm/arch/<name>@<version>?arch=<arch>&distro=arch-<build_id>[&upstream=<base>
// when it differs from the name]; "" unless the distro is Arch Linux itself (Syft does
// not give derivatives an alpm purl).
std::string alpm_purl(const AlpmDesc& desc, const std::optional<Release>& distro);

}  // namespace cairn::sbom
