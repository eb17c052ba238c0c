#pragma once
// A PEAR / PECL registry entry (<php dir>/.registry/[.channel.<channel>/]<name>.reg): a
// serialize()d array with "name", "channel" (absent in the older v5 layout), the
// version under "version" => ["release" => ...] and the license under "license", either
// a string or ["_content" => ..., "attribs" => ...].
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct PearEntry {
  std::string name;
  std::string channel;  // "" in v5 registries
  std::string version;
  std::vector<std::string> licenses;
  std::string summary;
};

// Input errors name the field: malformed serialized data, a document that is not an
// array, or no "name" string.
Result<PearEntry> parse_pear_registry(std::string_view bytes);

}  // namespace cairn::sbom
