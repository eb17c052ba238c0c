#pragma once
// Composer's package lists: vendor/composer/installed.json (Composer 1: a JSON array of
// packages; Composer 2: {"packages": [...]}) and composer.lock ("packages"; the
// "packages-dev" list is left out, as Syft leaves it out).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct ComposerReference {  // "source" / "dist"
  std::string type;
  std::string url;
  std::string reference;
  std::string shasum;
};

struct ComposerPackage {
  std::string name;  // "vendor/name"
  std::string version;
  std::vector<std::string> licenses;  // "license": a string or an array of strings
  std::vector<std::string> authors;   // "Name <email>"
  std::string description;
  std::string homepage;
  std::string package_type;  // "library", "composer-plugin", …
  std::string time;
  ComposerReference source;
  ComposerReference dist;
  // Package links: names (with their constraints) this package requires, and names it
  // provides or replaces besides its own.
  std::map<std::string, std::string> require;
  std::vector<std::string> provides;
};

// Entries without a name are skipped (there is nothing to report); malformed JSON or a
// document of the wrong shape is an input error naming the field.
Result<std::vector<ComposerPackage>> parse_composer_installed(std::string_view text);
Result<std::vector<ComposerPackage>> parse_composer_lock(std::string_view text);

}  // namespace cairn::sbom
