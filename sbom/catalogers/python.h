#pragma once
// Installed Python distributions, as Syft's python-installed-package-cataloger finds
// them: every dist-info METADATA, egg-info PKG-INFO (directory form) and single-file
// egg-info in any site-packages or dist-packages, venvs included. Beside the metadata
// it reads RECORD (owned files, resolved against site-packages), direct_url.json (a VCS
// origin becomes the purl's vcs_url), top_level.txt and INSTALLER. Requires-Dist names
// become dependency edges between distributions of the same site-packages directory.
// Package::locations[0] is always the METADATA / PKG-INFO / egg-info file.
#include <string>
#include <vector>

#include "sbom/cataloger.h"
#include "sbom/catalogers/python_metadata.h"

namespace cairn::sbom {

Cataloger python_installed_cataloger();

// Licenses, as Syft chooses them: License-Expression, else License (one short line, not
// "UNKNOWN"), else the license named by a License-File's text (or a LICENSE* file in the
// metadata directory), else the "License :: ..." trove classifiers.
// The first two steps:
std::vector<std::string> python_declared_licenses(const PythonMetadata& metadata);
// The last step: the last segment of each "License :: ..." classifier.
std::vector<std::string> python_classifier_licenses(const PythonMetadata& metadata);

// "Name <email>" from Author / Author-email, else from Maintainer / Maintainer-email.
std::string python_supplier(const PythonMetadata& metadata);

// pkg:pypi/<normalised name>@<version>[?vcs_url=<vcs>+<url>@<commit>]
std::string python_purl(const std::string& normalized_name, const std::string& version,
                        const PythonDirectUrl* origin);

}  // namespace cairn::sbom
