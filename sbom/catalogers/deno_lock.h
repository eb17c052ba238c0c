#pragma once
// deno.lock (versions 3, 4 and 5) as Syft's javascript-lock-cataloger reads it: "npm"
// packages ("name@1.2.3_peer@4"), "jsr" packages (JSR's registry: repository_url
// https://jsr.io) and "remote" modules whose URL names a version
// ("https://deno.land/std@0.140.0/path/mod.ts" -> deno.land/std 0.140.0, repository_url
// https://deno.land). Version 3 keeps npm and jsr under "packages". Dependencies
// ("jsr:@std/bytes@^1.0.0" through "specifiers", or npm "name@version") become edges.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/js_lock_graph.h"

namespace cairn::sbom {

// Malformed JSON or a document that is not an object is an input error.
Result<JsLockGraph> parse_deno_lock(std::string_view text);

}  // namespace cairn::sbom
