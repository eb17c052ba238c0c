#include "sbom/catalogers/gemfile_lock.h"

#include <array>

namespace cairn::sbom {

namespace {

// Bounds for hostile lock files: real ones hold a few hundred gems.
constexpr std::size_t kMaxEntries = 100000;
constexpr std::size_t kMaxDependencies = 10000;

bool is_section_of_interest(std::string_view section) {
  return section == "GEM" || section == "GIT" || section == "PATH" || section == "PLUGIN SOURCE";
}

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::size_t leading_spaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

std::vector<std::string_view> fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string_view trim_parens(std::string_view s) {
  while (!s.empty() && (s.front() == '(' || s.front() == ')')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '(' || s.back() == ')')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string strip_gem_platform(std::string_view version) {
  // Gem::Platform names start with a CPU or an OS; RubyGems versions never contain '-'
  // followed by one of these.
  static constexpr std::array<std::string_view, 17> kPlatformStarts = {
      "x86", "x64", "i386", "i486", "i586", "i686", "arm", "aarch64", "universal", "java",
      "mswin", "mingw", "powerpc", "ppc", "s390", "riscv", "wasm"};
  auto dash = version.find('-');
  if (dash == std::string_view::npos) return std::string(version);
  std::string_view platform = version.substr(dash + 1);
  for (auto start : kPlatformStarts)
    if (platform.starts_with(start)) return std::string(version.substr(0, dash));
  return std::string(version);
}

std::vector<GemfileLockEntry> parse_gemfile_lock(std::string_view text) {
  std::vector<GemfileLockEntry> entries;
  std::string_view section;
  bool in_spec = false;  // the last spec line was kept, so dependency lines belong to it
  std::size_t pos = 0;
  while (pos < text.size() && entries.size() < kMaxEntries) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.size() > 1 && line.front() != ' ') {  // a section header
      section = trim(line);
      in_spec = false;
      continue;
    }
    if (!is_section_of_interest(section)) continue;
    const std::size_t indent = leading_spaces(line);
    auto parts = fields(line);
    if (indent == 4 && !parts.empty()) {
      in_spec = false;
      if (parts.size() != 2) continue;
      std::string_view version = trim_parens(parts[1]);
      if (version.empty()) continue;
      entries.push_back({std::string(parts[0]), strip_gem_platform(version), {}});
      in_spec = true;
    } else if (indent == 6 && !parts.empty() && in_spec) {
      auto& deps = entries.back().dependencies;
      if (deps.size() < kMaxDependencies) deps.emplace_back(parts[0]);
    } else if (indent < 4) {
      in_spec = false;  // "  remote:", "  specs:"
    }
  }
  return entries;
}

}  // namespace cairn::sbom
