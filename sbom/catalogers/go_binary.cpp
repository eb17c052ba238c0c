#include "sbom/catalogers/go_binary.h"

#include <nlohmann/json.hpp>
#include <regex>

#include "sbom/binary/executable.h"
#include "sbom/catalogers/go_mod.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

constexpr const char* kBinaryCatalogerName = "go-module-binary-cataloger";
constexpr const char* kFileCatalogerName = "go-module-file-cataloger";
constexpr const char* kExtractName = "go-buildinfo";
// Go binaries run to a few hundred megabytes (kubelet, terraform providers); larger files
// are skipped with a warning.
constexpr std::size_t kMaxBinary = 512 * 1024 * 1024;
constexpr std::size_t kMaxGoMod = 8 * 1024 * 1024;
constexpr const char* kDevel = "(devel)";

// "go1.21.0 X:loopvar" -> "go1.21.0" (experiments follow a space).
std::string compiled_version(const std::string& go_version) { return go_version.substr(0, go_version.find(' ')); }

std::string setting(const GoBuildInfo& info, std::string_view key) {
  for (const auto& [k, v] : info.settings)
    if (k == key) return v;
  return "";
}

bool has_setting(const GoBuildInfo& info, std::string_view key) {
  for (const auto& kv : info.settings)
    if (kv.first == key) return true;
  return false;
}

// Syft's ldflags patterns: `.[git][build]ver[sion]=[prefix/]1.2.3` and `.tag=...`; the
// version may start after any '/' of the value, the last one first (regex backtracking).
std::string version_from_ldflags(std::string_view ldflags) {
  static const std::regex semver(R"(^v?\d+.\d+.\d+[-\w]*)");
  auto value_version = [&](std::string_view value) -> std::string {
    auto end = value.find_first_of(" \t\r\n\f\v");
    value = value.substr(0, end);
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < value.size(); ++i)
      if (value[i] == '/') starts.push_back(i + 1);
    for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
      if (*it > 0 && *it == 1 && value[0] == '/') continue;  // "(\S+/)" needs a non-empty prefix
      std::string candidate(value.substr(*it, 256));
      std::smatch m;
      if (std::regex_search(candidate, m, semver)) return m.str(0);
    }
    return "";
  };
  auto lower_eq = [](std::string_view text, std::size_t at, std::string_view word) {
    if (at + word.size() > text.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      char c = text[at + i];
      if (i == 0 ? (c != word[0] && c != static_cast<char>(word[0] - 32)) : c != word[i]) return false;
    }
    return true;
  };
  for (int pattern = 0; pattern < 2; ++pattern) {
    for (std::size_t dot = ldflags.find('.'); dot != std::string_view::npos; dot = ldflags.find('.', dot + 1)) {
      std::size_t at = dot + 1;
      if (pattern == 0) {
        if (lower_eq(ldflags, at, "git")) at += 3;
        if (lower_eq(ldflags, at, "build")) at += 5;
        if (!lower_eq(ldflags, at, "ver")) continue;
        at += 3;
        if (ldflags.substr(at, 4) == "sion") at += 4;
      } else {
        if (!lower_eq(ldflags, at, "tag")) continue;
        at += 3;
      }
      if (at >= ldflags.size() || ldflags[at] != '=') continue;
      auto v = value_version(ldflags.substr(at + 1));
      if (!v.empty()) return v[0] == 'v' ? v : "v" + v;
    }
  }
  return "";
}

// time.Parse(time.RFC3339, ...) to Go's pseudo-version timestamp (UTC yyyymmddhhmmss);
// the zero time when it does not parse, as Syft does.
std::string pseudo_timestamp(const std::string& text) {
  static const std::regex rfc3339(R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$)");
  std::smatch m;
  if (text.size() > 64 || !std::regex_match(text, m, rfc3339)) return "00010101000000";
  long long y = std::stoll(m[1]), mo = std::stoll(m[2]), d = std::stoll(m[3]);
  long long seconds = std::stoll(m[4]) * 3600 + std::stoll(m[5]) * 60 + std::stoll(m[6]);
  if (m[9].matched) {
    long long offset = std::stoll(m[10]) * 3600 + std::stoll(m[11]) * 60;
    seconds -= m[9] == "+" ? offset : -offset;
  }
  // Days from the civil date (Howard Hinnant's algorithm), then back after the shift.
  auto days_from_civil = [](long long yy, long long mm, long long dd) {
    yy -= mm <= 2;
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    long long yoe = yy - era * 400;
    long long doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  };
  long long total = days_from_civil(y, mo, d) * 86400 + seconds;
  long long days = total >= 0 ? total / 86400 : (total - 86399) / 86400;
  long long rest = total - days * 86400;
  long long z = days + 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  long long day = doy - (153 * mp + 2) / 5 + 1;
  long long month = mp < 10 ? mp + 3 : mp - 9;
  long long year = yoe + era * 400 + (month <= 2);
  if (year < 0 || year > 9999) return "00010101000000";
  auto two = [](long long v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  auto four = std::to_string(year);
  return std::string(4 - four.size(), '0') + four + two(month) + two(day) + two(rest / 3600) + two(rest / 60 % 60) +
         two(rest % 60);
}

// cpe:2.3:a:golang:go:<version>:<candidate or ->:... as Syft writes the stdlib CPE.
std::optional<std::string> stdlib_cpe(const std::string& version) {
  static const std::regex parts(R"(^(\d+(\.\d+)?(\.\d+)?)(\w*))");
  std::smatch m;
  if (!std::regex_search(version, m, parts)) return std::nullopt;
  auto cpe = make_cpe("golang", "go", m[1]);
  // make_cpe leaves the update field "*"; Syft puts the release candidate there, or "-".
  std::size_t at = 0;
  for (int colon = 0; colon < 6 && at != std::string::npos; ++colon) at = cpe.find(':', at + 1);
  if (at == std::string::npos) return std::nullopt;
  auto candidate = m[4].str();
  return cpe.substr(0, at + 1) + (candidate.empty() ? "-" : candidate) + cpe.substr(cpe.find(':', at + 1));
}

Package go_package(const GoModuleVersion& module, const GoBuildInfo& info, const std::string& main_path,
                   const std::string& location) {
  Package p;
  p.name = module.path;
  p.version = module.version;
  p.type = "go-module";
  p.found_by = kBinaryCatalogerName;
  p.purl = go_purl(p.name, p.version);
  p.locations = {location};
  p.arch = info.arch;
  p.metadata["go_compiled_version"] = compiled_version(info.go_version);
  if (!info.arch.empty()) p.metadata["architecture"] = info.arch;
  if (!module.sum.empty()) p.metadata["h1_digest"] = module.sum;
  if (!main_path.empty()) p.metadata["main_module"] = main_path;
  return p;
}

}  // namespace

std::string go_purl(const std::string& module_path, const std::string& version) {
  auto slash = module_path.rfind('/');
  if (slash == std::string::npos) return make_purl("golang", "", module_path, version);
  return make_purl("golang", module_path.substr(0, slash), module_path.substr(slash + 1), version);
}

std::string go_main_module_version(const GoBuildInfo& info) {
  std::string version = info.main ? (info.main->replace ? info.main->replace->version : info.main->version) : kDevel;
  if (version != kDevel) return version;
  auto from_ldflags = version_from_ldflags(setting(info, "-ldflags"));
  if (!from_ldflags.empty()) return from_ldflags;
  if (has_setting(info, "vcs.revision") && has_setting(info, "vcs.time")) {
    auto revision = setting(info, "vcs.revision").substr(0, 12);
    return "v0.0.0-" + pseudo_timestamp(setting(info, "vcs.time")) + "-" + revision;
  }
  return version;
}

CatalogResult go_binary_packages(const std::string& path, const std::vector<GoBuildInfo>& infos) {
  CatalogResult result;
  for (const auto& info : infos) {
    auto first = result.packages.size();
    GoModule main;
    bool has_main = info.main && (!info.main->path.empty() || !info.main->version.empty() || !info.main->sum.empty());
    if (has_main) main = *info.main;
    else if (!info.path.empty()) main = GoModule{{info.path, kDevel, ""}, std::nullopt}, has_main = true;
    for (const auto& dep : info.deps) {
      const GoModuleVersion& used = dep.replace ? *dep.replace : dep;
      if (used.path.empty()) continue;
      result.packages.push_back(go_package(used, info, main.path, path));
    }
    std::optional<std::size_t> main_index;
    if (has_main) {
      auto p = go_package(main.replace ? *main.replace : main, info, main.path, path);
      GoBuildInfo resolved = info;
      resolved.main = main;
      p.version = go_main_module_version(resolved);
      p.purl = go_purl(p.name, p.version);
      for (const auto& [key, value] : info.settings) p.metadata["go_build_setting:" + key] = value;
      main_index = result.packages.size();
      result.packages.push_back(std::move(p));
    }
    auto go = compiled_version(info.go_version);
    auto cpe = stdlib_cpe(go.starts_with("go") ? go.substr(2) : go);
    if (result.packages.size() > first && cpe) {
      Package std_lib;
      std_lib.name = "stdlib";
      std_lib.version = go;
      std_lib.type = "go-module";
      std_lib.found_by = kBinaryCatalogerName;
      std_lib.purl = go_purl("stdlib", go.starts_with("go") ? go.substr(2) : go);
      std_lib.cpes = {*cpe};
      std_lib.licenses = {"BSD-3-Clause"};
      std_lib.locations = {path};
      std_lib.metadata["go_compiled_version"] = go;
      result.packages.push_back(std::move(std_lib));
    }
    if (main_index)
      for (auto i = first; i < result.packages.size(); ++i)
        if (i != *main_index) result.dependencies.push_back({*main_index, i});
  }
  return result;
}

std::optional<std::string> go_buildinfo_extract(std::string_view, std::string_view bytes) {
  // Files that are not executables after all (a text file starting "MZ") are not ours.
  if (!binary::parse_executables(bytes)) return std::nullopt;
  auto infos = read_go_buildinfo(bytes);
  if (!infos) return nlohmann::json{{"error", infos.error().message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (infos->empty()) return std::nullopt;
  return go_buildinfo_to_json(*infos);
}

Cataloger go_module_binary_cataloger() {
  Cataloger c;
  c.name = kBinaryCatalogerName;
  CaptureRule rule;
  rule.max_bytes = kMaxBinary;
  rule.extract_name = kExtractName;
  rule.extract = go_buildinfo_extract;
  rule.executables = true;
  c.captures = {rule};
  c.run = [](const FileResolver& fs, const CatalogContext&) {
    CatalogResult result;
    for (const auto& path : fs.files_with_extract(kExtractName)) {
      const auto* extract = fs.extract(path, kExtractName);
      if (!extract) continue;
      auto doc = nlohmann::json::parse(*extract, nullptr, false);
      if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) {
        result.errors.push_back(path + ": Go build info: " + doc["error"].get<std::string>());
        continue;
      }
      auto infos = go_buildinfo_from_json(*extract);
      if (!infos) {
        result.errors.push_back(path + ": " + infos.error().message);
        continue;
      }
      auto one = go_binary_packages(path, *infos);
      auto offset = result.packages.size();
      for (auto& p : one.packages) result.packages.push_back(std::move(p));
      for (const auto& d : one.dependencies) result.dependencies.push_back({d.from + offset, d.to + offset});
    }
    return result;
  };
  return c;
}

Cataloger go_module_file_cataloger() {
  Cataloger c;
  c.name = kFileCatalogerName;
  c.captures = {{"**/go.mod", kMaxGoMod}, {"**/go.sum", kMaxGoMod}};
  c.run = [](const FileResolver& fs, const CatalogContext& context) {
    CatalogResult result;
    if (!context.directory_source) return result;  // images report what is built, not what is declared
    for (const auto& path : fs.glob("**/go.mod")) {
      const auto* text = fs.read(path);
      if (!text) continue;
      auto required = parse_go_mod(*text);
      if (!required) {
        result.errors.push_back(path + ": " + required.error().message);
        continue;
      }
      std::map<std::pair<std::string, std::string>, std::string> sums;
      auto sum_path = path.substr(0, path.size() - 3) + "sum";
      if (const auto* sum_text = fs.read(sum_path)) sums = parse_go_sum(*sum_text);
      for (const auto& r : *required) {
        Package p;
        p.name = r.path;
        p.version = r.version;
        p.type = "go-module";
        p.found_by = kFileCatalogerName;
        p.purl = go_purl(r.path, r.version);
        p.locations = {path};
        if (auto it = sums.find({r.path, r.version}); it != sums.end()) p.metadata["h1_digest"] = it->second;
        result.packages.push_back(std::move(p));
      }
    }
    return result;
  };
  return c;
}

}  // namespace cairn::sbom
