#pragma once
// A small, strict reader for the YAML that lock files use (pnpm-lock.yaml, yarn berry's
// yarn.lock): block mappings and sequences (including "- key: value" items), plain,
// single- and double-quoted scalars on one line, single-line flow sequences and flow
// mappings ("{integrity: sha512-…}", "[x64]"), comments, and several documents
// separated by "---". Everything else (anchors, aliases, tags, block scalars "|" ">",
// multi-line scalars, complex keys, duplicate keys) is refused with an error naming
// the line and column, instead of being guessed at. Input size, nesting depth, node
// count and document count are capped, so hostile input costs bounded time and memory.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom::yaml {

struct Limits {
  std::size_t max_bytes = 64u * 1024 * 1024;
  std::size_t max_depth = 64;           // nested collections, block and flow together
  // Scalars and collections, all documents together. Each costs ~100 bytes in memory; 2M
  // holds a ~25 MB lock file, far beyond real ones.
  std::size_t max_nodes = 2'000'000;
  std::size_t max_documents = 1024;
  // Plain scalars that look like numbers stay strings ("5.4", "1.10"): lock files are
  // read into string fields, as Go's yaml.v3 does when it decodes into a string.
  // false: YAML 1.2 core schema integers and floats become JSON numbers.
  bool numbers_as_strings = false;
};

// The documents of a YAML stream, in order (an empty stream has none; an empty document
// between two "---" is null). Plain "true"/"false" are booleans and "null", "~" and
// empty values are null, as in the YAML core schema.
Result<std::vector<nlohmann::json>> parse_documents(std::string_view text, const Limits& limits = {});

}  // namespace cairn::sbom::yaml
