#include "sbom/catalogers/rpm_manifest.h"

#include <charconv>

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

// Go's strconv.Atoi: optional sign, decimal digits, nothing else.
std::optional<std::int64_t> parse_int(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

ManifestResult parse_rpm_manifest(std::string_view content) {
  ManifestResult result;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    auto end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    auto fields = split(line, '\t');
    if (fields.size() < 10) {
      result.problems.push_back(cat("line ", line_no, ": ", fields.size(), " tab-separated fields, expected 10"));
      continue;
    }
    auto version_release = split(fields[1], '-');
    if (version_release.size() != 2) {
      result.problems.push_back(cat("line ", line_no, ": version field \"", fields[1], "\" is not VERSION-RELEASE"));
      continue;
    }
    HeaderInfo p;
    p.name = fields[0];
    p.version = version_release[0];
    p.release = version_release[1];
    p.vendor = fields[4];
    if (fields[5] != "(none)") p.epoch = parse_int(fields[8]);
    p.size = parse_int(fields[6]).value_or(0);
    p.arch = fields[7];
    p.source_rpm = fields[9];
    if (p.name.empty()) {
      result.problems.push_back(cat("line ", line_no, ": empty package name"));
      continue;
    }
    result.packages.push_back(std::move(p));
  }
  return result;
}

}  // namespace cairn::sbom::rpm
