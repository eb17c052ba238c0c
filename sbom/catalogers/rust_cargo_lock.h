#pragma once
// Rust crates pinned by Cargo.lock, for dir: sources only (images report what is
// installed), as Syft's rust-cargo-lock-cataloger: one rust-crate package per [[package]]
// (the same name and version from two sources, crates.io and git, are two packages), a
// purl pkg:cargo/<name>@<version> for crates with a source (registry or git) and none for
// path and workspace crates, which have no source, and dependency edges from each
// package's `dependencies` array.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"

namespace cairn::sbom {

Cataloger rust_cargo_lock_cataloger();

struct CargoLockEntry {
  std::string name;
  std::string version;
  std::string source;    // "registry+https://…", "git+https://…?branch=x#<commit>"; empty for path crates
  std::string checksum;
  std::vector<std::string> dependencies;  // "name", "name version" or "name version (source)"
};

struct CargoLockParse {
  std::vector<CargoLockEntry> entries;
  std::vector<std::string> problems;  // each names the package and the field
};

CargoLockParse parse_cargo_lock(std::string_view text);

// Edges "from depends on to", by index into `entries`. A dependency names a crate by
// name alone (Cargo writes that when the name is unique in the lock), by name and
// version, or by name, version and source, where a git source is named without its
// "#<commit>" suffix. Dependencies that name no entry are left out.
std::vector<Dependency> cargo_lock_dependencies(const std::vector<CargoLockEntry>& entries);

}  // namespace cairn::sbom
