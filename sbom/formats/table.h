#pragma once
// The human-readable package list, laid out like Syft's table:
//
//   NAME       VERSION  TYPE
//   adduser    3.134    deb
//
// Columns are padded to their widest cell plus two spaces; rows sorted by name, version
// and type; repeated rows shown once with "(+N duplicates)"; in all-layers scope a
// package a later layer removed is marked "(deleted)". Control characters in package
// data are shown as '?' so they cannot drive the terminal.
#include <string>

#include "sbom/inventory.h"

namespace cairn::sbom {

// "No packages discovered\n" for an empty inventory.
std::string write_table(const Inventory& inventory);

}  // namespace cairn::sbom
