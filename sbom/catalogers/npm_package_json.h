#pragma once
// The fields of an npm package.json that Syft's javascript-package-cataloger reads
// (parsePackageJSON): name, version, description, homepage, the repository URL, the
// declared licenses, the people (author, authors, contributors, maintainers) joined as
// one author string, "private", and the names of runtime dependencies.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct NpmPackageJson {
  std::string name;
  std::string version;
  std::string description;
  std::string homepage;
  std::string repository_url;
  // "author", then "authors", "contributors" and "maintainers", each person written as
  // "Name <email> (url)", joined with ", " (Syft's NpmPackage.Author).
  std::string author;
  bool is_private = false;
  // Declared licenses: "license" as a string, {"type": …} object or array of either;
  // else the legacy "licenses" array of {"type": …} objects. Empty strings are dropped.
  std::vector<std::string> licenses;
  // "dependencies": package name -> version range, sorted by name.
  std::vector<std::pair<std::string, std::string>> dependencies;
};

// Parses one package.json document. Malformed JSON or a document that is not an
// object is an input error saying what was found; fields of an unexpected type are
// ignored, as Syft ignores them.
Result<NpmPackageJson> parse_npm_package_json(std::string_view text);

// pkg:npm/<scope as %40scope>/<name>@<version>: a scoped name "@babel/core" puts its
// scope in the namespace. Empty when the name is empty.
std::string npm_purl(const std::string& name, const std::string& version);

}  // namespace cairn::sbom
