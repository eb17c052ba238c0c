#pragma once
// Alpine (and Wolfi, Chainguard, postmarketOS) packages from the apk installed database
// lib/apk/db/installed, as Syft's apk-db-cataloger reads it: licenses from L:, origin as
// the source package, the maintainer as supplier, owned files from F:/R:, and
// dependency edges from D: resolved against package names and p: provides (so:, cmd:,
// paths). Without a detected distro, etc/apk/repositories next to the database may
// name the Alpine release; without either, packages get no purl.
#include <optional>
#include <string>
#include <vector>

#include "sbom/cataloger.h"
#include "sbom/catalogers/apk_db.h"
#include "sbom/release.h"

namespace cairn::sbom {

Cataloger apk_cataloger();

// pkg:apk/<lower(distro id)>/<name>@<version>?arch=<arch>&distro=<id>-<version_id>
// [&upstream=<origin> when it differs from the name]; "" without a distro.
std::string apk_purl(const ApkDbEntry& entry, const std::optional<Release>& distro);

// Alpine releases named by repository URLs in etc/apk/repositories, one per matching
// line ("https://dl-cdn.alpinelinux.org/alpine/v3.14/main" -> alpine 3.14).
std::vector<Release> releases_from_apk_repositories(std::string_view content);

// The declared licenses of L:: the whole value when it is an SPDX expression
// ("MIT AND BSD-3-Clause"), else its space-separated words ("MIT BSD GPL2+").
std::vector<std::string> apk_licenses(const std::string& license_field);

}  // namespace cairn::sbom
