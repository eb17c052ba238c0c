#include "sbom/formats/package_fields.h"

#include <algorithm>
#include <cctype>

namespace cairn::sbom {

namespace {

std::string trim(const std::string& s) {
  auto first = std::find_if_not(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
  auto last = std::find_if_not(s.rbegin(), s.rend(), [](unsigned char c) { return std::isspace(c); }).base();
  return first < last ? std::string(first, last) : std::string();
}

bool equals_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

}  // namespace

Party parse_party(const std::string& text) {
  std::string s = trim(text);
  auto open = s.find('<');
  auto close = open == std::string::npos ? std::string::npos : s.find('>', open);
  if (open != std::string::npos && close != std::string::npos) {
    return {trim(s.substr(0, open)), trim(s.substr(open + 1, close - open - 1))};
  }
  if (s.find('@') != std::string::npos && s.find(' ') == std::string::npos) return {"", s};
  return {s, ""};
}

bool writable_locator(const std::string& text) {
  if (text.empty()) return false;
  return std::none_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

bool writable_purl(const std::string& purl) {
  if (!purl.starts_with("pkg:") || !writable_locator(purl)) return false;
  auto slash = purl.find('/', 4);
  if (slash == std::string::npos || slash == 4 || slash + 1 == purl.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(purl[4])) && purl[4] != '.' && purl[4] != '+' && purl[4] != '-') return false;
  return std::all_of(purl.begin() + 5, purl.begin() + static_cast<std::ptrdiff_t>(slash), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '+' || c == '-';
  });
}

std::vector<std::string> declared_license_texts(const Package& package) {
  std::vector<std::string> out;
  for (const auto& raw : package.licenses) {
    std::string text = trim(raw);
    if (text.empty() || equals_ignoring_case(text, "NOASSERTION") || equals_ignoring_case(text, "NONE")) continue;
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

std::string tool_identity(const WriteOptions& options) {
  return options.tool_version.empty() ? "cairn" : "cairn-" + options.tool_version;
}

}  // namespace cairn::sbom
