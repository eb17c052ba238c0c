#include "sbom/formats/table.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <vector>

namespace cairn::sbom {

namespace {

std::string printable(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
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
