#include "sbom/catalogers/alpm_desc.h"

#include <charconv>

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

namespace {

constexpr std::size_t kMaxErrors = 100;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_header(std::string_view line) {
  if (line.size() < 3 || line.front() != '%' || line.back() != '%') return false;
  return line.substr(1, line.size() - 2).find('%') == std::string_view::npos;
}

class Parser {
 public:
  AlpmDescParse run(std::string_view content) {
    std::size_t pos = 0, line_no = 0;
    while (pos < content.size()) {
      std::size_t end = content.find('\n', pos);
      if (end == std::string_view::npos) end = content.size();
      std::string_view line = content.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      handle_line(line, line_no);
    }
    if (dropped_errors_ > 0) out_.errors.push_back(std::to_string(dropped_errors_) + " more errors not shown");
    return std::move(out_);
  }

 private:
  enum class State { BetweenSections, InSection, SkippingGarbage };

  void handle_line(std::string_view line, std::size_t line_no) {
    if (trim(line).empty()) {
      state_ = State::BetweenSections;
      return;
    }
    switch (state_) {
      case State::BetweenSections:
        if (is_header(line)) {
          key_ = std::string(line.substr(1, line.size() - 2));
          first_value_ = true;
          state_ = State::InSection;
        } else {
          error(line_no, "expected a %SECTION% header, got " + excerpt(line));
          state_ = State::SkippingGarbage;  // its values would be misread as another section
        }
        return;
      case State::InSection:
        value(line, line_no);
        first_value_ = false;
        return;
      case State::SkippingGarbage:
        return;
    }
  }

  void value(std::string_view line, std::size_t line_no) {
    AlpmDesc& d = out_.desc;
    std::string_view v = trim(line);
    // Single-valued fields keep their first line, as pacman writes only one.
    auto single = [&](std::string& field) {
      if (first_value_) field = std::string(v);
    };
    if (key_ == "NAME") single(d.name);
    else if (key_ == "VERSION") single(d.version);
    else if (key_ == "BASE") single(d.base);
    else if (key_ == "DESC") single(d.description);
    else if (key_ == "URL") single(d.url);
    else if (key_ == "ARCH") single(d.arch);
    else if (key_ == "BUILDDATE") single(d.build_date);
    else if (key_ == "INSTALLDATE") single(d.install_date);
    else if (key_ == "PACKAGER") single(d.packager);
    else if (key_ == "VALIDATION") single(d.validation);
    else if (key_ == "SIZE") number(v, d.size, line_no);
    else if (key_ == "REASON") number(v, d.reason, line_no);
    else if (key_ == "LICENSE") d.licenses.emplace_back(v);
    else if (key_ == "GROUPS") d.groups.emplace_back(v);
    else if (key_ == "DEPENDS") d.depends.emplace_back(v);
    else if (key_ == "OPTDEPENDS") d.optdepends.emplace_back(v);
    else if (key_ == "PROVIDES") d.provides.emplace_back(v);
    else if (key_ == "CONFLICTS") d.conflicts.emplace_back(v);
    else if (key_ == "REPLACES") d.replaces.emplace_back(v);
    else if (key_ == "FILES") d.files.push_back("/" + std::string(line));
    else if (key_ == "BACKUP") backup(line, line_no);
  }

  void number(std::string_view v, std::int64_t& out, std::size_t line_no) {
    if (!first_value_) return;
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size() || n < 0) {
      error(line_no, "field %" + key_ + "%: expected a number, got " + excerpt(v));
      return;
    }
    out = n;
  }

  void backup(std::string_view line, std::size_t line_no) {
    std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      error(line_no, "field %BACKUP%: expected \"path<TAB>md5\", got " + excerpt(line));
      return;
    }
    out_.desc.backup.push_back({"/" + std::string(line.substr(0, tab)), std::string(trim(line.substr(tab + 1)))});
  }

  void error(std::size_t line_no, const std::string& what) {
    if (out_.errors.size() >= kMaxErrors) {
      ++dropped_errors_;
      return;
    }
    out_.errors.push_back("line " + std::to_string(line_no) + ": " + what);
  }

  AlpmDescParse out_;
  State state_ = State::BetweenSections;
  std::string key_;
  bool first_value_ = true;
  std::size_t dropped_errors_ = 0;
};

}  // namespace

AlpmDescParse parse_alpm_desc(std::string_view content) { return Parser().run(content); }

std::string alpm_strip_version(std::string_view spec) {
  return std::string(trim(spec.substr(0, spec.find_first_of("<>="))));
}

}  // namespace cairn::sbom
