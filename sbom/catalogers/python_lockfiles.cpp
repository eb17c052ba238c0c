#include "sbom/catalogers/python_lockfiles.h"

#include <cctype>
#include <algorithm>
#include <map>
#include <set>
#include <optional>
#include <nlohmann/json.hpp>

#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_metadata.h"

namespace cairn::sbom {

namespace {

constexpr const char* kCatalogerName = "python-package-cataloger";
constexpr const char* kRequirementsPattern = "**/*requirements*.txt";
constexpr const char* kPipfileLockPattern = "**/Pipfile.lock";
constexpr const char* kPoetryLockPattern = "**/poetry.lock";
constexpr const char* kUvLockPattern = "**/uv.lock";
constexpr const char* kPdmLockPattern = "**/pdm.lock";
constexpr const char* kSetupPyPattern = "**/setup.py";
constexpr std::size_t kLockCap = 16 * 1024 * 1024;
constexpr std::size_t kMaxRequirements = 100000;
constexpr std::size_t kMaxLockEntries = 100000;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Logical lines: a trailing backslash continues a line onto the next.
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t pos = 0;
  while (pos < text.size() && lines.size() < kMaxRequirements) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\\') {
      current.append(line.substr(0, line.size() - 1));
      current += ' ';
      continue;
    }
    current.append(line);
    lines.push_back(std::move(current));
    current.clear();
  }
  if (!current.empty() && lines.size() < kMaxRequirements) lines.push_back(std::move(current));
  return lines;
}

std::optional<PythonRequirement> parse_requirement_line(std::string line) {
  if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
  line = trim(line);
  if (line.empty() || line.front() == '-') return std::nullopt;  // options, -r, -e
  if (auto option = line.find(" --"); option != std::string::npos) line.erase(option);  // --hash=...
  PythonRequirement r;
  if (auto semicolon = line.find(';'); semicolon != std::string::npos) {
    r.markers = trim(line.substr(semicolon + 1));
    line.erase(semicolon);
  }
  if (auto at = line.find(" @ "); at != std::string::npos) {
    r.url = trim(line.substr(at + 3));
    line.erase(at);
  }
  line = trim(line);
  std::size_t n = 0;
  while (n < line.size()) {
    auto c = static_cast<unsigned char>(line[n]);
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) break;
    ++n;
  }
  if (n == 0) return std::nullopt;
  r.name = line.substr(0, n);
  std::string rest = trim(std::string_view(line).substr(n));
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string::npos) return std::nullopt;
    std::string extras = rest.substr(1, close - 1);
    std::size_t i = 0;
    while (i <= extras.size()) {
      std::size_t comma = extras.find(',', i);
      if (comma == std::string::npos) comma = extras.size();
      std::string extra = trim(std::string_view(extras).substr(i, comma - i));
      if (!extra.empty()) r.extras.push_back(extra);
      i = comma + 1;
    }
    rest = trim(std::string_view(rest).substr(close + 1));
  }
  r.constraint = rest;
  // Only an exact pin names a version: "== 1.0", "===1.0"; not ranges, lists or "2.8.*".
  if (rest.starts_with("==") && rest.find(',') == std::string::npos && rest.find('*') == std::string::npos) {
    std::string version = trim(std::string_view(rest).substr(rest.starts_with("===") ? 3 : 2));
    if (!version.empty() && version.find(' ') == std::string::npos) r.version = version;
  }
  return r;
}

Package lock_package(const std::string& name, const std::string& version, const std::string& location) {
  Package p;
  p.name = normalize_python_name(name);
  p.version = version;
  p.type = "python";
  p.found_by = kCatalogerName;
  p.purl = python_purl(p.name, p.version, nullptr);
  p.locations.push_back(location);
  return p;
}

void catalog_requirements(const FileResolver& files, const std::string& path, CatalogResult& result) {
  const std::string* content = files.read(path);
  if (!content) {
    result.errors.push_back(path + ": not read (larger than " + std::to_string(kLockCap) + " bytes)");
    return;
  }
  for (const auto& r : parse_python_requirements(*content)) {
    if (r.version.empty()) continue;
    Package p = lock_package(r.name, r.version, path);
    if (!r.markers.empty()) p.metadata["markers"] = sanitize_utf8(r.markers);
    if (!r.url.empty()) p.metadata["url"] = sanitize_utf8(r.url);
    p.metadata["version_constraint"] = sanitize_utf8(r.constraint);
    result.packages.push_back(std::move(p));
  }
}

void catalog_setup_py(const FileResolver& files, const std::string& path, CatalogResult& result) {
  const std::string* content = files.read(path);
  if (!content) {
    result.errors.push_back(path + ": not read (larger than " + std::to_string(kLockCap) + " bytes)");
    return;
  }
  for (const auto& r : parse_python_setup(*content)) result.packages.push_back(lock_package(r.name, r.version, path));
}

// A pin in setup.py text at `pos` (just after a quote, or the start of a line inside a
// triple-quoted string), read as Syft's pattern: an optional separator, the name, an
// optional separator, "==", an optional separator and a version of word characters and
// dots. Syft allows any non-word character as separator and then drops names holding
// template marks ("%s", "{name}"); allowing only blanks and quotes drops those and also
// keeps "(foo" out of package names.
std::optional<PythonRequirement> setup_pin(std::string_view text, std::size_t pos) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto skip_separator = [&](std::size_t& p) {
    if (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\'' || text[p] == '"')) ++p;
  };
  skip_separator(pos);
  const std::size_t name_start = pos;
  while (pos < text.size() && word(text[pos])) ++pos;
  if (pos == name_start) return std::nullopt;
  std::string_view name = text.substr(name_start, pos - name_start);
  skip_separator(pos);
  if (!text.substr(pos).starts_with("==")) return std::nullopt;
  pos += 2;
  skip_separator(pos);
  const std::size_t version_start = pos;
  while (pos < text.size() && (word(text[pos]) || text[pos] == '.')) ++pos;
  if (pos == version_start) return std::nullopt;
  PythonRequirement r;
  r.name = std::string(name);
  r.version = std::string(text.substr(version_start, pos - version_start));
  r.constraint = "==" + r.version;
  return r;
}

void catalog_lock(const FileResolver& files, const std::string& path, CatalogResult& result,
                  PythonLockParse (*parse)(std::string_view)) {
  const std::string* content = files.read(path);
  if (!content) {
    result.errors.push_back(path + ": not read (larger than " + std::to_string(kLockCap) + " bytes)");
    return;
  }
  auto parsed = parse(*content);
  for (const auto& problem : parsed.problems) result.errors.push_back(path + ": " + problem);
  const std::size_t base = result.packages.size();
  std::multimap<std::string, std::size_t> by_name;
  for (const auto& e : parsed.entries) {
    Package p = lock_package(e.name, e.version, path);
    if (!e.index.empty()) p.metadata["index"] = e.index;
    for (const auto& [key, value] : e.metadata) p.metadata[key] = value;
    by_name.emplace(p.name, result.packages.size());
    result.packages.push_back(std::move(p));
  }
  // Edges between entries of the same lock file, to every entry of the named package
  // (of the named version, when the lock names one); a package an extra of its own
  // names ("anyio[trio]" in anyio's test extra) depends on itself, as Syft reports it.
  std::set<Dependency> edges;
  for (std::size_t i = 0; i < parsed.entries.size(); ++i)
    for (const auto& d : parsed.entries[i].dependencies) {
      auto [lo, hi] = by_name.equal_range(d.name);
      for (auto it = lo; it != hi; ++it)
        if (d.version.empty() || result.packages[it->second].version == d.version) edges.insert({base + i, it->second});
    }
  result.dependencies.insert(result.dependencies.end(), edges.begin(), edges.end());
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult result;
  if (!ctx.directory_source) return result;
  for (const auto& path : files.glob(kRequirementsPattern)) catalog_requirements(files, path, result);
  for (const auto& path : files.glob(kPipfileLockPattern)) catalog_lock(files, path, result, parse_pipfile_lock);
  for (const auto& path : files.glob(kPoetryLockPattern)) catalog_lock(files, path, result, parse_poetry_lock);
  for (const auto& path : files.glob(kUvLockPattern)) catalog_lock(files, path, result, parse_uv_lock);
  for (const auto& path : files.glob(kPdmLockPattern)) catalog_lock(files, path, result, parse_pdm_lock);
  for (const auto& path : files.glob(kSetupPyPattern)) catalog_setup_py(files, path, result);
  return result;
}

}  // namespace

Cataloger python_lockfile_cataloger() {
  return Cataloger{kCatalogerName,
                   {{kRequirementsPattern, kLockCap},
                    {kPipfileLockPattern, kLockCap},
                    {kPoetryLockPattern, kLockCap},
                    {kUvLockPattern, kLockCap},
                    {kPdmLockPattern, kLockCap},
                    {kSetupPyPattern, kLockCap}},
                   run};
}

std::vector<PythonRequirement> parse_python_requirements(std::string_view text) {
  std::vector<PythonRequirement> out;
  for (auto& line : logical_lines(text))
    if (auto r = parse_requirement_line(std::move(line))) out.push_back(std::move(*r));
  return out;
}

PythonLockParse parse_pipfile_lock(std::string_view text) {
  PythonLockParse out;
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.problems.push_back("not a JSON object");
    return out;
  }
  // Index names ("pypi") -> URLs, from _meta.sources.
  std::map<std::string, std::string> indexes;
  if (auto meta = doc.find("_meta"); meta != doc.end() && meta->is_object())
    if (auto sources = meta->find("sources"); sources != meta->end() && sources->is_array())
      for (const auto& s : *sources)
        if (s.is_object() && s.contains("name") && s["name"].is_string() && s.contains("url") && s["url"].is_string())
          indexes[s["name"].get<std::string>()] = s["url"].get<std::string>();
  // "develop" holds development dependencies, left out as Syft leaves them out.
  for (const char* section : {"default"}) {
    auto it = doc.find(section);
    if (it == doc.end()) continue;
    if (!it->is_object()) {
      out.problems.push_back(std::string("field ") + section + ": not an object");
      continue;
    }
    for (const auto& [name, entry] : it->items()) {
      if (out.entries.size() >= kMaxLockEntries) {
        out.problems.push_back("more than " + std::to_string(kMaxLockEntries) + " entries, the rest ignored");
        return out;
      }
      PythonLockEntry e;
      e.name = name;
      if (entry.is_object()) {
        if (auto v = entry.find("version"); v != entry.end() && v->is_string()) {
          std::string version = v->get<std::string>();
          e.version = version.starts_with("==") ? version.substr(2) : version;
        }
        if (auto index = entry.find("index"); index != entry.end() && index->is_string()) {
          auto url = indexes.find(index->get<std::string>());
          e.index = url != indexes.end() ? url->second : index->get<std::string>();
        }
      }
      out.entries.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<PythonRequirement> parse_python_setup(std::string_view text) {
  std::vector<PythonRequirement> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](std::optional<PythonRequirement> r) {
    if (!r || out.size() >= kMaxRequirements) return;
    if (seen.insert({normalize_python_name(r->name), r->version}).second) out.push_back(std::move(*r));
  };
  constexpr std::string_view kDelimiters[] = {"\"\"\"", "'''"};
  bool in_block = false;  // inside a """ or ''' string
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::size_t delimiters = 0;
    for (std::string_view delim : kDelimiters)
      for (std::size_t at = line.find(delim); at != std::string_view::npos; at = line.find(delim, at + 3)) ++delimiters;
    if (in_block && delimiters == 0) {
      // An unquoted pin on a line of its own: "django==4.2.23".
      std::string_view pin = line.substr(0, line.find('#'));
      while (!pin.empty() && std::isspace(static_cast<unsigned char>(pin.front()))) pin.remove_prefix(1);
      if (!pin.empty() && pin.front() != '"' && pin.front() != '\'') add(setup_pin(pin, 0));
      continue;
    }
    // Quoted pins: any quote may open one ('pathlib3==2.2.0;python_version<"3.6"').
    for (std::size_t q = line.find_first_of("'\""); q != std::string_view::npos; q = line.find_first_of("'\"", q + 1))
      add(setup_pin(line, q + 1));
    // An odd number of triple quotes on a line opens or closes a block.
    if (delimiters % 2 == 1) in_block = !in_block;
  }
  return out;
}

}  // namespace cairn::sbom
