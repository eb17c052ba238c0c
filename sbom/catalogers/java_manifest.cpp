#include "sbom/catalogers/java_manifest.h"

namespace cairn::sbom {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::string find_in(const ManifestSection& section, std::string_view key, bool& found) {
  for (const auto& [k, v] : section)
    if (k == key) {
      found = true;
      return v;
    }
  found = false;
  return "";
}

}  // namespace

std::string JavaManifest::get(std::string_view key) const {
  bool found;
  return find_in(main, key, found);
}

bool JavaManifest::has(std::string_view key) const {
  bool found;
  find_in(main, key, found);
  return found;
}

std::string JavaManifest::field(std::string_view key) const {
  bool found;
  if (std::string v = find_in(main, key, found); !v.empty()) return v;
  for (const auto& section : sections)
    if (std::string v = find_in(section, key, found); !v.empty()) return v;
  return "";
}

JavaManifest parse_java_manifest(std::string_view text, std::size_t max_entries) {
  std::vector<ManifestSection> sections;
  bool in_section = false;  // a key was seen since the last blank line
  std::size_t entries = 0;
  std::size_t i = 0;
  while (i < text.size() && entries < max_entries) {
    // Lines end in CRLF, LF or CR.
    auto end = text.find_first_of("\r\n", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(i, end - i);
    i = end + 1;
    if (end < text.size() && text[end] == '\r' && i < text.size() && text[i] == '\n') ++i;

    if (line.empty()) {
      in_section = false;
      continue;
    }
    if (line[0] == ' ') {
      if (in_section) sections.back().back().second += trim(line);
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = trim(line.substr(0, colon));
    if (key.empty()) continue;
    if (!in_section) {
      sections.emplace_back();
      in_section = true;
    }
    sections.back().emplace_back(std::move(key), trim(line.substr(colon + 1)));
    ++entries;
  }
  JavaManifest m;
  if (!sections.empty()) {
    m.main = std::move(sections.front());
    m.sections.assign(std::make_move_iterator(sections.begin() + 1), std::make_move_iterator(sections.end()));
  }
  return m;
}

}  // namespace cairn::sbom
