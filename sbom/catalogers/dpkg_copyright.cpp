#include "sbom/catalogers/dpkg_copyright.h"

#include <algorithm>
#include <set>

#include "sbom/license.h"

namespace cairn::sbom::dpkg {

namespace {

// Go's \s in RE2 syntax, which Syft's patterns use.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Syft's ensureIsSingleLicense: "" for summaries ("A or B", "A and B") and "none".
std::string single_license(std::string_view candidate) {
  std::string c(trim(candidate));
  std::replace(c.begin(), c.end(), '\n', ' ');
  c = std::string(trim(c));
  auto strip_period = [](std::string s) {
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  if (c.find("NVIDIA Software License Agreement") != std::string::npos) return strip_period(c);
  if (c.find(" or ") != std::string::npos || c.find(" and ") != std::string::npos) return "";
  if (c.empty() || lower(c) == "none") return "";
  return strip_period(c);
}

// ^License: (\S*)
std::string license_field(std::string_view line) {
  constexpr std::string_view kPrefix = "License: ";
  if (!line.starts_with(kPrefix)) return "";
  auto rest = line.substr(kPrefix.size());
  auto end = std::find_if(rest.begin(), rest.end(), is_space) - rest.begin();
  return single_license(rest.substr(0, static_cast<std::size_t>(end)));
}

bool common_license_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
         c == '-';
}

// /usr/share/common-licenses/([0-9A-Za-z_.\-]+), leftmost match on the line.
std::string common_license_reference(std::string_view line) {
  constexpr std::string_view kDir = "/usr/share/common-licenses/";
  for (auto at = line.find(kDir); at != std::string_view::npos; at = line.find(kDir, at + 1)) {
    auto start = at + kDir.size();
    auto end = start;
    while (end < line.size() && common_license_char(line[end])) ++end;
    if (end > start) return single_license(line.substr(start, end - start));
  }
  return "";
}

// (?i)^\s*(LICENSE AGREEMENT(?: FOR .+?)?)\s*$
std::string agreement_heading(std::string_view line) {
  auto t = trim(line);
  auto l = lower(t);
  if (l == "license agreement" || (l.starts_with("license agreement for ") && l.size() > 22))
    return single_license(t);
  return "";
}

bool is_format_header(std::string_view line) {
  if (!line.starts_with("Format:")) return false;
  auto rest = line.substr(7);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (rest.starts_with(scheme) &&
        rest.substr(scheme.size()).starts_with("www.debian.org/doc/packaging-manuals/copyright-format/"))
      return true;
  }
  return false;
}

// Syft's heading detection at the top of a machine-readable file: a non-blank line, a
// line of dashes, blank lines, then text up to the first period.
class HeadingSentence {
 public:
  std::string feed(std::string_view line) {
    switch (state_) {
      case State::ExpectHeading:
        state_ = trim(line).empty() ? State::Done : State::ExpectDashes;
        return "";
      case State::ExpectDashes: {
        auto t = trim(line);
        bool dashes = !t.empty() && t.find_first_not_of('-') == std::string_view::npos;
        state_ = dashes ? State::SkipBlanks : State::Done;
        return "";
      }
      case State::SkipBlanks:
        if (trim(line).empty()) return "";
        state_ = State::Capture;
        return append(line);
      case State::Capture:
        text_ += ' ';
        return append(line);
      case State::Done:
        return "";
    }
    return "";
  }

 private:
  enum class State { ExpectHeading, ExpectDashes, SkipBlanks, Capture, Done };

  // Looks for the period only in what was just added, so a long heading stays linear.
  std::string append(std::string_view line) {
    auto from = text_.size();
    text_ += line;
    auto dot = text_.find('.', from);
    if (dot == std::string::npos) return "";
    state_ = State::Done;
    return single_license(std::string_view(text_).substr(0, dot + 1));
  }

  State state_ = State::ExpectHeading;
  std::string text_;
};

}  // namespace

std::vector<std::string> licenses_from_copyright(std::string_view text) {
  std::set<std::string> found;
  auto add = [&](std::string value) {
    if (!value.empty()) found.insert(std::move(value));
  };
  bool seen_first_line = false;
  bool machine_readable = false;
  HeadingSentence heading;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!seen_first_line) {
      if (trim(line).empty()) continue;
      seen_first_line = true;
      machine_readable = is_format_header(line);
    }
    add(common_license_reference(line));
    if (!machine_readable) continue;
    add(license_field(line));
    add(agreement_heading(line));
    add(heading.feed(line));
  }
  return {found.begin(), found.end()};
}

std::vector<std::string> split_declared_license(std::string_view text) {
  auto t = trim(text);
  if (t.empty()) return {};
  if (to_spdx_expression(t)) return {std::string(t)};
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && is_space(t[i])) ++i;
    auto j = i;
    while (j < t.size() && !is_space(t[j])) ++j;
    if (j > i) out.emplace_back(t.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace cairn::sbom::dpkg
