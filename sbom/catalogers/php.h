#pragma once
// PHP packages, as Syft's PHP catalogers report them:
//  - php-composer-installed-cataloger: vendor/composer/installed.json (Composer 1 and 2),
//    images only, as in Syft (a dir: scan reports the project's composer.lock instead;
//    Syft's directory coverage test expects exactly the lock file's packages);
//  - php-composer-lock-cataloger: composer.lock "packages" of dir: sources;
//  - php-pear-serialized-cataloger: PEAR and PECL registry entries
//    (**/php/.registry/**/*.reg) as "php-pear" packages, images and dir: sources;
//  - php-pecl-serialized-cataloger: Syft's deprecated PECL-only form ("php-pecl" type,
//    .channel.*/ entries only). Do not run it together with the PEAR cataloger: both
//    report the same entries.
// Composer packages get dependency edges from "require" to the packages of the same file
// that have that name or "provide" / "replace" it.
#include <string>

#include "sbom/cataloger.h"
#include "sbom/catalogers/composer_json.h"
#include "sbom/catalogers/pear_registry.h"

namespace cairn::sbom {

Cataloger php_composer_installed_cataloger();
Cataloger php_composer_lock_cataloger();
Cataloger php_pear_serialized_cataloger();
Cataloger php_pecl_serialized_cataloger();

// pkg:composer/<vendor>/<name>@<version> (a name of more than two segments keeps the
// first as the vendor and joins the rest with '-', as Syft does).
std::string composer_purl(const std::string& name, const std::string& version);

// pkg:pear/<channel, or pecl.php.net when the registry does not name one>/<name>@<version>
std::string pear_purl(const PearEntry& entry);

Package composer_package(const ComposerPackage& entry, const std::string& path, const std::string& found_by);
Package pear_package(const PearEntry& entry, const std::string& path, const std::string& type,
                     const std::string& found_by);

}  // namespace cairn::sbom
