#pragma once
// KEY=value files in the os-release syntax (os-release, lsb-release): one assignment per
// line, shell quoting, '#' comments. Control characters (a CR from a DOS editor, stray
// escapes) are dropped rather than kept in values.
#include <map>
#include <string>
#include <string_view>

namespace cairn::sbom {

// Lines without '=' or with an empty key are skipped; a later assignment of a key wins.
// At most max_entries keys are kept so a hostile file cannot grow the map without bound.
std::map<std::string, std::string> parse_key_value_file(std::string_view content,
                                                        std::size_t max_entries = 256);

}  // namespace cairn::sbom
