#pragma once
// bun.lock (bun's text lock file: JSON with comments and trailing commas) as Syft's
// javascript-lock-cataloger reads it: "packages" maps keys to tuples
// ["name@version", registry, {dependencies, optionalDependencies, os, cpu, …}, integrity];
// entries locked from a workspace, a folder or git are not registry packages and are
// skipped. Packages that only the workspaces' devDependencies reach are development
// dependencies. Dependency edges follow bun's key lookup: "<key>/<dep>", then "<dep>".
#include <string>
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/js_lock_graph.h"

namespace cairn::sbom {

// Malformed JSONC or a document that is not an object is an input error.
Result<JsLockGraph> parse_bun_lock(std::string_view text);

// JSONC -> JSON: comments ("//", "/* */") become blanks and trailing commas before '}'
// or ']' are dropped; strings are left as they are. Exposed for tests.
std::string jsonc_to_json(std::string_view text);

}  // namespace cairn::sbom
