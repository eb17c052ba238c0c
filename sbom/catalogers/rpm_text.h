#pragma once
// Message building for the rpm readers (GCC 12 has no <format>): cat() joins strings
// and integers, hex32() shows a magic number.
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::sbom::rpm {

namespace text_detail {
inline void append(std::string& out, std::string_view s) { out += s; }
inline void append(std::string& out, const char* s) { out += s; }
inline void append(std::string& out, const std::string& s) { out += s; }
inline void append(std::string& out, char c) { out += c; }
template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>)
void append(std::string& out, T v) {
  out += std::to_string(v);
}
}  // namespace text_detail

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (text_detail::append(out, parts), ...);
  return out;
}

inline std::string hex32(std::uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += digits[(v >> shift) & 15];
  return out;
}

}  // namespace cairn::sbom::rpm
