#pragma once
// Lock files and manifests are UTF-8 text. One check, shared by the text parsers, that
// finds the first byte that is not: invalid UTF-8, or a control character other than
// tab, line feed and a carriage return before a line feed.
#include <string_view>

#include "core/error.h"

namespace cairn::sbom {

// An input error "line L, column C: invalid UTF-8 byte 0xNN; …" (column in bytes, from
// 1) for the first offending byte.
Status check_utf8_text(std::string_view text);

}  // namespace cairn::sbom
