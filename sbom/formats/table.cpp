#include "sbom/formats/table.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

namespace cairn::sbom {

namespace {

// Package data as the terminal may show it: valid UTF-8 kept, while C0/C1 control
// characters, DEL and bytes that are not UTF-8 become '?', so no escape sequence gets
// through and columns stay aligned.
std::string printable(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    std::uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = cp << 6 | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (!ok) {
      out += '?';
      ++i;
    } else {
      out += control ? std::string("?") : s.substr(i, len);
      i += len;
    }
  }
  return out;
}

// Terminal columns of UTF-8 text, counted as code points (continuation bytes skipped).
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string write_table(const Inventory& inventory) {
  if (inventory.packages.empty()) return "No packages discovered\n";

  // (name, version, type, deleted) -> how many packages have it.
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::size_t> rows;
  for (const auto& p : inventory.packages) ++rows[{printable(p.name), printable(p.version), printable(p.type), p.deleted}];

  std::vector<std::array<std::string, 4>> table;
  table.push_back({"NAME", "VERSION", "TYPE", ""});
  for (const auto& [key, count] : rows) {
    const auto& [name, version, type, deleted] = key;
    std::string note;
    if (deleted) note = "(deleted)";
    if (count > 1) {
      if (!note.empty()) note += ' ';
      note += count == 2 ? "(+1 duplicate)" : "(+" + std::to_string(count - 1) + " duplicates)";
    }
    table.push_back({name, version, type, note});
  }

  std::array<std::size_t, 4> width{};
  for (const auto& row : table) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  }
  const std::size_t columns = width[3] == 0 ? 3 : 4;  // the note column only when some row has a note

  std::string out;
  for (const auto& row : table) {
    for (std::size_t c = 0; c < columns; ++c) {
      out += row[c];
      out.append(width[c] - display_width(row[c]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace cairn::sbom
