#pragma once
// JSON for signed documents, parsed strictly: a duplicate key in any object is refused
// (two readers of one document could otherwise act on different values) and nesting is
// bounded. Sigstore bundles use it; DSSE payloads (issue 6) need the same rule.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::attest {

inline constexpr std::size_t kMaxJsonDepth = 64;

// `where` names the document in errors ("bundle.json").
Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& where, std::size_t max_depth = kMaxJsonDepth);

}  // namespace cairn::attest
