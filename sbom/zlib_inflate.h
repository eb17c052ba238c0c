#pragma once
// Inflates a zlib stream (RFC 1950) with a cap on the output, for zlib-compressed data
// inside other formats (cargo-auditable's .dep-v0 section).
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::sbom {

// The whole decompressed stream; an error when it is corrupt, truncated, or would
// exceed max_output bytes (a decompression bomb).
Result<std::string> zlib_inflate(std::string_view compressed, std::size_t max_output);

}  // namespace cairn::sbom
