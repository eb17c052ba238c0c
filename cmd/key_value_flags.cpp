#include "cmd/key_value_flags.h"

namespace cairn::cmd {

Result<std::map<std::string, std::string>> parse_key_values(const std::vector<std::string>& raw, const std::string& flag) {
  std::map<std::string, std::string> out;
  for (const auto& a : raw) {
    auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error(flag + " \"" + a + "\" is not KEY=VALUE");
    out[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return out;
}

}  // namespace cairn::cmd
