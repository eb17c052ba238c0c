#pragma once
// The package model every cataloger fills and every format writes.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cairn::sbom {

struct Package {
  std::string name;
  std::string version;   // as the ecosystem writes it (rpm: [epoch:]version-release)
  std::string type;      // Syft's type names: "deb", "rpm", "apk", "alpm", ...
  std::string found_by;  // cataloger name, e.g. "dpkg-db-cataloger"
  std::string purl;      // empty when it cannot be formed (e.g. no distro for deb)
  std::vector<std::string> cpes;
  // Declared licenses as found (one entry per license or expression); the formats
  // turn them into SPDX expressions or LicenseRef-… with the text kept.
  std::vector<std::string> licenses;
  // Evidence, absolute paths in the image; the first is the primary location (the
  // database or manifest the package was read from).
  std::vector<std::string> locations;
  std::vector<std::string> files;  // owned files, absolute paths, for --files
  std::string arch;
  std::string source_name;     // dpkg Source, rpm source rpm, apk origin, alpm base
  std::string source_version;  // when it differs from version
  std::string supplier;        // maintainer / packager "Name <email>"
  std::string description;
  std::vector<std::string> depends;   // raw dependency clauses, e.g. "libc6 (>= 2.34)" or "a | b"
  std::vector<std::string> provides;  // names this package provides, without versions
  std::map<std::string, std::string> metadata;  // other fields, written as properties

  // Set by the pipeline, not by catalogers.
  int layer = -1;         // index of the layer that introduced the package
  bool deleted = false;   // all-layers scope: a later layer removed it
};

// "from depends on to", by index into the same package list.
struct Dependency {
  std::size_t from = 0;
  std::size_t to = 0;
  bool operator==(const Dependency&) const = default;
  auto operator<=>(const Dependency&) const = default;
};

struct CatalogResult {
  std::vector<Package> packages;
  std::vector<Dependency> dependencies;
  // Problems with the input that did not stop cataloging, each naming the file and
  // the field ("/var/lib/dpkg/status: stanza 12: no Package field").
  std::vector<std::string> errors;
};

}  // namespace cairn::sbom
