#pragma once
// npm's package-lock.json (lockfileVersion 1, 2 and 3) as Syft's javascript-lock-cataloger
// reads it: v1 from the nested "dependencies" tree, v2/v3 from the "packages" map keyed
// by node_modules paths (the root "" entry counts when it has a name). Development
// dependencies are left out (v1: a "dev" entry and everything nested under it). npm
// aliases ("npm:case@1.6.3", or a "name" in a v2 entry) give the real package name.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct NpmLockEntry {
  std::string name;
  std::string version;
  std::string resolved;
  std::string integrity;
  std::vector<std::string> licenses;  // v2/v3 "license": a string or an array of strings
};

// The entries of one lock file, unique by name and version, in a stable order (sorted by
// name, then version). Malformed JSON, a document that is not an object, or an
// unsupported lockfileVersion is an input error naming the field.
Result<std::vector<NpmLockEntry>> parse_npm_lock(std::string_view text);

}  // namespace cairn::sbom
