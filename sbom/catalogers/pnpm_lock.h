#pragma once
// pnpm-lock.yaml (lockfileVersion 5.x, 6.x and 9.x; several YAML documents in one file
// are merged) as Syft's javascript-lock-cataloger reads it:
// - before 9: the importer's top-level "dependencies" (name -> version, or -> {version})
//   and the "packages" map keyed "/name/1.2.3" (v5) or "/name@1.2.3" (v6), with
//   "resolution.integrity", "dev" and "dependencies";
// - 9 and later: "packages" keyed "name@1.2.3" for integrity and "snapshots" for the
//   dependencies; without explicit "dev" flags, packages that only the importers'
//   devDependencies reach are development dependencies.
// Peer-dependency suffixes ("13.4.0(react@18.2.0)", v5's "5.3.2_acorn@8.8.0") are not
// part of the version. Dependencies and optionalDependencies become edges.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/js_lock_graph.h"

namespace cairn::sbom {

// YAML the reader does not accept, a document that is not a mapping, or a missing or
// non-numeric lockfileVersion is an input error naming the line or document.
Result<JsLockGraph> parse_pnpm_lock(std::string_view text);

}  // namespace cairn::sbom
