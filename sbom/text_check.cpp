#include "sbom/text_check.h"

#include <string>

namespace cairn::sbom {

namespace {

std::string hex_byte(unsigned char c) {
  static const char* kDigits = "0123456789abcdef";
  return std::string("0x") + kDigits[c >> 4] + kDigits[c & 0xf];
}

// Length of the well-formed UTF-8 sequence at text[i] (non-ASCII lead byte), 0 if none.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  auto cont = [&](std::size_t k) { return (byte(k) & 0xc0u) == 0x80u; };
  const unsigned c = byte(0);
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    return byte(1) >= lo && byte(1) <= hi && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    return byte(1) >= lo && byte(1) <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

Status check_utf8_text(std::string_view text) {
  std::size_t line = 1, column = 1;
  auto where = [&] { return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": "; };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    if (c < 0x80) {
      const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
      if ((c < 0x20 && c != '\t' && !crlf) || c == 0x7f) {
        return input_error(where() + "control character " + hex_byte(c) + "; expected text");
      }
      ++i;
      ++column;
      continue;
    }
    const std::size_t n = utf8_length(text, i);
    if (n == 0) return input_error(where() + "invalid UTF-8 byte " + hex_byte(c) + "; expected UTF-8 text");
    i += n;
    column += n;
  }
  return {};
}

}  // namespace cairn::sbom
