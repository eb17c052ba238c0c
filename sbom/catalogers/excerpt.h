#pragma once
// Quotes a piece of hostile input for an error message: shortened (a corrupt line may
// be megabytes long) and with control characters replaced, so a message cannot carry
// terminal escapes.
#include <string>
#include <string_view>

namespace cairn::sbom {

inline std::string excerpt(std::string_view text, std::size_t max = 60) {
  std::string out = "\"";
  for (char c : text.substr(0, max)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  out += "\"";
  if (text.size() > max) out += " (" + std::to_string(text.size()) + " bytes, shortened)";
  return out;
}

}  // namespace cairn::sbom
