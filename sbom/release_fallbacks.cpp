#include "sbom/release_fallbacks.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sbom/key_value_file.h"

namespace cairn::sbom {

namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Syft's "simple release": the same word serves as name, ID and ID_LIKE.
Release simple_release(std::string pretty_name, const std::string& name, const std::string& version,
                       std::string cpe) {
  Release r;
  r.pretty_name = std::move(pretty_name);
  r.name = name;
  r.id = name;
  r.id_like = {name};
  r.version = version;
  r.version_id = version;
  r.cpe_name = std::move(cpe);
  return r;
}

// Digits, '.', digits at s[i]; returns the length matched, 0 if none.
std::size_t dotted_number_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  if (j == i || j >= s.size() || s[j] != '.') return 0;
  std::size_t k = j + 1;
  while (k < s.size() && is_digit(s[k])) ++k;
  return k == j + 1 ? 0 : k - i;
}

// The ID a redhat-release name stands for; os-release spells these IDs this way.
std::string redhat_family_id(const std::string& lowered_name) {
  static const std::vector<std::pair<std::string_view, std::string_view>> known = {
      {"red hat enterprise linux", "rhel"}, {"centos", "centos"},         {"almalinux", "almalinux"},
      {"rocky linux", "rocky"},             {"scientific linux", "scientific"}, {"oracle linux", "ol"},
  };
  for (const auto& [prefix, id] : known)
    if (starts_with(lowered_name, prefix)) return std::string(id);
  return lowered_name;
}

}  // namespace

std::optional<Release> parse_system_release_cpe(std::string_view content) {
  content = trim(content);
  auto start = content.find("cpe:/o:");
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view cpe = content.substr(start);
  cpe = cpe.substr(0, cpe.find('\n'));
  // cpe:/o:<vendor>:<product>:<version>:<more>; a CPE without the trailing part (as
  // "cpe:/o:centos:6:GA") does not say which field is the version, so it is refused.
  std::vector<std::string_view> parts;
  std::string_view rest = cpe.substr(7);
  for (std::size_t i = 0; parts.size() < 3;) {
    auto colon = rest.find(':', i);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(rest.substr(i, colon - i));
    i = colon + 1;
  }
  std::string vendor(parts[0]);
  return simple_release(vendor, lower(vendor), std::string(parts[2]), std::string(trim(cpe)));
}

std::optional<Release> parse_redhat_release(std::string_view content) {
  content = trim(content);
  // "<name> release <major>.<minor>[ anything]" on the first line that has it.
  std::size_t line_start = 0;
  while (line_start < content.size()) {
    std::size_t line_end = content.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = content.size();
    std::string_view line = content.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    for (std::size_t i = 1; i + 9 < line.size(); ++i) {
      if (!is_space(line[i - 1]) || line.substr(i, 7) != "release" || !is_space(line[i + 7])) continue;
      std::size_t vstart = i + 8;
      std::size_t vlen = dotted_number_at(line, vstart);
      if (vlen == 0) continue;
      std::string name(line.substr(0, i - 1));
      if (name.empty()) continue;
      Release r;
      r.pretty_name = std::string(content);
      r.name = name;
      r.id = redhat_family_id(lower(name));
      r.id_like = {r.id};
      if (r.id != "rhel") r.id_like.push_back("rhel");
      r.version_id = std::string(line.substr(vstart, vlen));
      // CentOS writes "5.7 (Final)": the parenthesis is not part of its version.
      r.version = r.id == "centos" ? r.version_id : std::string(trim(line.substr(vstart)));
      return r;
    }
  }
  return std::nullopt;
}

std::optional<Release> parse_lsb_release(std::string_view content) {
  auto values = parse_key_value_file(content);
  const std::string& id = values["DISTRIB_ID"];
  if (id.empty()) return std::nullopt;
  Release r;
  r.name = id;
  r.id = lower(id);
  r.version_id = values["DISTRIB_RELEASE"];
  r.version = r.version_id;
  r.version_codename = values["DISTRIB_CODENAME"];
  r.pretty_name = values["DISTRIB_DESCRIPTION"];
  return r;
}

std::string debian_point_release(std::string_view content) {
  content = trim(content);
  // ^\d+(\.\d+)?$
  std::size_t i = 0;
  while (i < content.size() && is_digit(content[i])) ++i;
  if (i == 0) return "";
  if (i == content.size()) return std::string(content);
  if (dotted_number_at(content, 0) == content.size()) return std::string(content);
  return "";
}

std::optional<Release> parse_debian_version(std::string_view content) {
  std::string_view text = trim(content);
  if (text.empty() || text.size() > 64) return std::nullopt;
  Release r;
  r.id = "debian";
  r.name = "Debian GNU/Linux";
  r.version_id = debian_point_release(text);
  r.version = r.version_id;
  if (r.version_id.empty()) {
    // Testing and unstable write "<codename>/sid".
    std::string_view codename = text.substr(0, text.find('/'));
    if (codename.empty() || !std::all_of(codename.begin(), codename.end(),
                                         [](char c) { return std::islower(static_cast<unsigned char>(c)); }))
      return std::nullopt;
    r.version_codename = std::string(codename);
  }
  r.pretty_name = r.name + " " + std::string(text);
  return r;
}

std::optional<Release> parse_alpine_release(std::string_view content) {
  std::string_view version = trim(content);
  if (version.empty() || version.size() > 64 || !is_digit(version.front())) return std::nullopt;
  for (char c : version)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return std::nullopt;
  Release r;
  r.id = "alpine";
  r.name = "Alpine Linux";
  r.version_id = std::string(version);
  // os-release names the minor series: "Alpine Linux v3.18".
  std::string series(version.substr(0, version.find('.', version.find('.') + 1)));
  r.pretty_name = "Alpine Linux v" + series;
  return r;
}

std::optional<Release> parse_busybox(std::string_view content) {
  constexpr std::string_view banner = "BusyBox v";
  for (std::size_t at = content.find(banner); at != std::string_view::npos; at = content.find(banner, at + 1)) {
    std::size_t end = at + banner.size();
    while (end < content.size() && (is_digit(content[end]) || content[end] == '.')) ++end;
    if (end == at + banner.size()) continue;
    std::string version(content.substr(at + banner.size(), end - at - banner.size()));
    return simple_release(std::string(content.substr(at, end - at)), "busybox", version, "");
  }
  return std::nullopt;
}

}  // namespace cairn::sbom
