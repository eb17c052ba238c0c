#pragma once
// yarn.lock, both formats, as Syft's javascript-lock-cataloger reads it:
// - classic (v1): `"name@range", name@range2:` headers, then `  version "1.2.3"`,
//   `  resolved "…"`, `  integrity …` and a `  dependencies:` block of `    dep "range"`;
// - berry (v2+, a `__metadata:` block first): `"name@npm:range":` headers, then
//   `  version: 1.2.3`, `  resolution: "…"`, `  checksum: …`, `  dependencies:`.
// One package per name and version (the first entry wins; later duplicates add their
// descriptors). The name is the header's, except that a registry tarball URL
// (https://host/<name>/-/<file>-<version>.tgz) in "resolved" gives the real one, as for
// aliases. Entries locked through patch:, file:, link:, portal:, git and github
// protocols are not npm packages and are skipped. Dependency edges follow each
// dependency's descriptor to the entry that lists it.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/js_lock_graph.h"

namespace cairn::sbom {

// Invalid UTF-8 or control characters are an input error naming the line; a corrupt
// entry (a header without ':', an unterminated quote, a line indented where no field can
// be, no version) is skipped with a warning naming its line.
Result<JsLockGraph> parse_yarn_lock(std::string_view text);

}  // namespace cairn::sbom
