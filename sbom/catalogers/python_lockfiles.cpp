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
  std::map<std::string, std::size_t> by_name;
  for (const auto& e : parsed.entries) {
    Package p = lock_package(e.name, e.version, path);
    if (!e.index.empty()) p.metadata["index"] = e.index;
    by_name.emplace(p.name, result.packages.size());
    result.packages.push_back(std::move(p));
  }
  // Edges between entries of the same lock file; a package an extra of its own names
  // ("anyio[trio]" in anyio's test extra) depends on itself, as Syft reports it.
  std::set<Dependency> edges;
  for (std::size_t i = 0; i < parsed.entries.size(); ++i)
    for (const auto& name : parsed.entries[i].dependencies)
      if (auto it = by_name.find(name); it != by_name.end()) edges.insert({base + i, it->second});
  result.dependencies.insert(result.dependencies.end(), edges.begin(), edges.end());
}

CatalogResult run(const FileResolver& files, const CatalogContext& ctx) {
  CatalogResult result;
  if (!ctx.directory_source) return result;
  for (const auto& path : files.glob(kRequirementsPattern)) catalog_requirements(files, path, result);
  for (const auto& path : files.glob(kPipfileLockPattern)) catalog_lock(files, path, result, parse_pipfile_lock);
  for (const auto& path : files.glob(kPoetryLockPattern)) catalog_lock(files, path, result, parse_poetry_lock);
  return result;
}

// The value of a TOML basic ("...", with backslash escapes) or literal ('...') string
// that starts the text; nullopt for anything else (numbers, arrays, multi-line strings).
std::optional<std::string> toml_string(std::string_view v) {
  if (v.size() < 2 || (v.front() != '"' && v.front() != '\'')) return std::nullopt;
  if (v.starts_with("\"\"\"") || v.starts_with("'''")) return std::nullopt;
  const char quote = v.front();
  std::string out;
  for (std::size_t i = 1; i < v.size(); ++i) {
    char c = v[i];
    if (c == quote) return out;
    if (c == '\\' && quote == '"' && i + 1 < v.size()) {
      char e = v[++i];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        default: out += '\\'; out += e;  // \u escapes kept as written
      }
      continue;
    }
    out += c;
  }
  return std::nullopt;  // unterminated
}

void add_dependency(PythonLockEntry& e, const std::string& name) {
  if (e.dependencies.size() < kMaxLockEntries &&
      std::find(e.dependencies.begin(), e.dependencies.end(), name) == e.dependencies.end())
    e.dependencies.push_back(name);
}

}  // namespace

Cataloger python_lockfile_cataloger() {
  return Cataloger{kCatalogerName, {{kRequirementsPattern, kLockCap}, {kPipfileLockPattern, kLockCap}, {kPoetryLockPattern, kLockCap}}, run};
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

PythonLockParse parse_poetry_lock(std::string_view text) {
  PythonLockParse out;
  enum class Table { Other, Package, PackageSource, PackageDependencies, PackageExtras } table = Table::Other;
  std::size_t pos = 0, line_number = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line == "[[package]]") {
      if (out.entries.size() >= kMaxLockEntries) {
        out.problems.push_back("more than " + std::to_string(kMaxLockEntries) + " packages, the rest ignored");
        break;
      }
      out.entries.emplace_back();
      table = Table::Package;
      continue;
    }
    if (line.front() == '[') {
      table = out.entries.empty()                  ? Table::Other
              : line == "[package.source]"         ? Table::PackageSource
              : line == "[package.dependencies]"   ? Table::PackageDependencies
              : line == "[package.extras]"         ? Table::PackageExtras
                                                   : Table::Other;
      continue;
    }
    if (table == Table::Other) continue;
    if (table == Table::PackageDependencies) {
      // "name = ..." lines; continuation lines of multi-constraint arrays start with { or ].
      if (!std::isalnum(static_cast<unsigned char>(line.front())) && line.front() != '"') continue;
      auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      std::string key = trim(std::string_view(line).substr(0, eq));
      if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
      std::string name = python_requirement_name(key);
      if (!name.empty()) add_dependency(out.entries.back(), name);
      continue;
    }
    if (table == Table::PackageExtras) {
      // extra = ["req (>=1)", "other[x]"], possibly spread over several lines.
      auto eq = line.find('=');
      std::string_view values = eq == std::string::npos || line.front() == '"' ? std::string_view(line)
                                                                              : std::string_view(line).substr(eq + 1);
      for (std::size_t q = values.find('"'); q != std::string_view::npos; q = values.find('"')) {
        auto s = toml_string(values.substr(q));
        if (!s) break;
        std::string name = python_requirement_name(*s);
        if (!name.empty()) add_dependency(out.entries.back(), name);
        values.remove_prefix(std::min(values.size(), q + s->size() + 2));
      }
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;  // inside a multi-line array
    std::string key = trim(std::string_view(line).substr(0, eq));
    std::string_view value = std::string_view(line).substr(eq + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    PythonLockEntry& e = out.entries.back();
    std::string* field = table == Table::PackageSource ? (key == "url" ? &e.index : nullptr)
                         : key == "name"               ? &e.name
                         : key == "version"            ? &e.version
                                                       : nullptr;
    if (!field) continue;
    auto s = toml_string(value);
    if (!s) {
      out.problems.push_back("line " + std::to_string(line_number) + ": field " + key + ": not a string");
      continue;
    }
    *field = sanitize_utf8(*s);
  }
  // A [[package]] without a name cannot be reported.
  std::erase_if(out.entries, [&](const PythonLockEntry& e) {
    if (!e.name.empty()) return false;
    out.problems.push_back("a [[package]] table has no name");
    return true;
  });
  return out;
}

}  // namespace cairn::sbom
