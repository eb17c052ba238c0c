#pragma once
// Repeatable KEY=VALUE flags (--annotation, -a): parsed into a map; `flag` names the
// flag in the usage error.
#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace cairn::cmd {

Result<std::map<std::string, std::string>> parse_key_values(const std::vector<std::string>& raw, const std::string& flag);

}  // namespace cairn::cmd
