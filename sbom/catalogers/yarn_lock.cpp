#include "sbom/catalogers/yarn_lock.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sbom/catalogers/excerpt.h"
#include "sbom/text_check.h"

namespace cairn::sbom {

namespace {

// Bounds for hostile lock files: large monorepos lock a few tens of thousands of entries,
// each with at most a few hundred dependencies.
constexpr std::size_t kMaxEntries = 200000;
constexpr std::size_t kMaxDependenciesPerEntry = 10000;
constexpr std::size_t kMaxWarnings = 100;

struct RawEntry {
  std::size_t line = 0;
  std::vector<std::string> descriptors;  // "name@range" as written in the header
  std::string version, resolved, integrity;
  std::vector<std::pair<std::string, std::string>> dependencies;  // name, range
  std::string problem;                                            // set: corrupt, skipped
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A double-quoted string at t[pos] (JSON-style escapes, as yarn writes them). Leaves pos
// after the closing quote; nullopt when the line ends first or an escape is bad.
std::optional<std::string> read_quoted(std::string_view t, std::size_t& pos) {
  std::string out;
  for (++pos; pos < t.size(); ++pos) {
    const char c = t[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++pos >= t.size()) return std::nullopt;
    switch (t[pos]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      default: return std::nullopt;  // \u and others never appear in names and versions
    }
  }
  return std::nullopt;
}

// "name@range" -> name ("@scope/name" keeps its scope); empty when there is no '@'.
std::string descriptor_name(std::string_view descriptor) {
  const auto at = descriptor.find('@', 1);
  return at == std::string_view::npos ? "" : std::string(descriptor.substr(0, at));
}

std::string descriptor_range(std::string_view descriptor) {
  const auto at = descriptor.find('@', 1);
  return at == std::string_view::npos ? "" : std::string(descriptor.substr(at + 1));
}

// "npm:^1.0.0" -> "npm", "https://…" -> "https", "^1.0.0" -> "".
std::string range_protocol(std::string_view range) {
  const auto colon = range.find(':');
  if (colon == std::string_view::npos || colon == 0) return "";
  for (char c : range.substr(0, colon)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok) return "";
  }
  return std::string(range.substr(0, colon));
}

bool is_npm_protocol(const std::string& protocol) {
  return protocol.empty() || protocol == "npm" || protocol == "workspace" || protocol == "https" || protocol == "http";
}

// Locked from source or patched: not a registry package (Syft skips these too).
bool is_skipped_protocol(const std::string& protocol) {
  return protocol == "patch" || protocol == "file" || protocol == "link" || protocol == "portal" ||
         protocol == "github" || protocol == "git" || protocol == "exec" || protocol.starts_with("git+");
}

// https://registry.example/@scope/name/-/name-1.2.3.tgz#sha -> "@scope/name".
std::string name_from_tarball_url(std::string_view url) {
  std::size_t scheme = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
  if (scheme == 0) return "";
  const auto host_end = url.find('/', scheme);
  if (host_end == std::string_view::npos) return "";
  const auto marker = url.find("/-/", host_end);
  if (marker == std::string_view::npos || marker <= host_end + 1) return "";
  std::string_view file = url.substr(marker + 3);
  file = file.substr(0, file.find('#'));
  if (!file.ends_with(".tgz")) return "";
  // <basename>-<version starting with a digit>.tgz
  bool versioned = false;
  for (std::size_t k = 0; k + 1 < file.size(); ++k) {
    if (file[k] == '-' && file[k + 1] >= '0' && file[k + 1] <= '9' && k > 0) versioned = true;
  }
  if (!versioned) return "";
  // The name is the path's last segment, with the scope segment before it: a registry
  // behind a path prefix (https://host/api/npm/remote/<name>/-/…) names it the same way.
  std::string path(url.substr(host_end + 1, marker - host_end - 1));
  for (auto pos = path.find("%2f"); pos != std::string::npos; pos = path.find("%2f")) path.replace(pos, 3, "/");
  for (auto pos = path.find("%2F"); pos != std::string::npos; pos = path.find("%2F")) path.replace(pos, 3, "/");
  const auto last = path.rfind('/');
  if (last == std::string::npos) return path;
  if (last == 0) return path.substr(1);
  const auto scope_start = path.rfind('/', last - 1);
  const std::string scope = path.substr(scope_start == std::string::npos ? 0 : scope_start + 1,
                                        last - (scope_start == std::string::npos ? 0 : scope_start + 1));
  return scope.starts_with('@') ? scope + path.substr(last) : path.substr(last + 1);
}

// The header's descriptors: `"a@1", "a@2":` (classic), `"a@npm:1, a@npm:2":` (berry),
// `a@^1, a@^2:`.
bool parse_header(std::string_view text, RawEntry& entry) {
  if (text.empty() || text.back() != ':') {
    entry.problem = "entry header " + excerpt(text) + " does not end with ':'";
    return false;
  }
  text.remove_suffix(1);
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    std::string item;
    if (pos < text.size() && text[pos] == '"') {
      auto quoted = read_quoted(text, pos);
      if (!quoted) {
        entry.problem = "unterminated quote in entry header " + excerpt(text);
        return false;
      }
      item = *quoted;
    } else {
      const auto comma = text.find(',', pos);
      const auto end = comma == std::string_view::npos ? text.size() : comma;
      item = std::string(trim(text.substr(pos, end - pos)));
      pos = end;
    }
    // A quoted berry header holds the whole comma-separated list.
    std::string_view rest = item;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view one = trim(rest.substr(0, comma));
      if (!one.empty()) entry.descriptors.emplace_back(one);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    if (pos < text.size()) {
      if (text[pos] != ',') {
        entry.problem = "expected ',' between descriptors in entry header " + excerpt(text);
        return false;
      }
      ++pos;
    }
  }
  if (entry.descriptors.empty()) {
    entry.problem = "entry header without descriptors";
    return false;
  }
  for (const auto& d : entry.descriptors) {
    if (descriptor_name(d).empty()) {
      entry.problem = "descriptor " + excerpt(d) + " has no \"name@range\" form";
      return false;
    }
  }
  return true;
}

// `key value`, `key "value"`, `key: value`, `"key": value` or a section start `key:`
// (value empty). False with entry.problem set when the line is not one of these.
bool parse_pair(std::string_view text, std::string& key, std::string& value, RawEntry& entry, std::size_t line) {
  std::size_t pos = 0;
  auto bad = [&](const std::string& what) {
    entry.problem = "line " + std::to_string(line) + ": " + what;
    return false;
  };
  if (text[0] == '"') {
    auto quoted = read_quoted(text, pos);
    if (!quoted) return bad("unterminated quote in " + excerpt(text));
    key = *quoted;
  } else {
    while (pos < text.size() && !is_blank(text[pos]) && !(text[pos] == ':' && (pos + 1 == text.size() || is_blank(text[pos + 1])))) ++pos;
    key = std::string(text.substr(0, pos));
  }
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !is_blank(text[pos])) return bad("expected a blank after the key in " + excerpt(text));
  std::string_view rest = trim(text.substr(pos));
  if (!rest.empty() && rest[0] == '"') {
    std::size_t vpos = 0;
    auto quoted = read_quoted(rest, vpos);
    if (!quoted) return bad("unterminated quote in " + excerpt(text));
    if (!trim(rest.substr(vpos)).empty()) return bad("unexpected text after the quoted value in " + excerpt(text));
    value = *quoted;
    if (value.empty()) return bad("empty value in " + excerpt(text));
  } else {
    value = std::string(rest);
  }
  return true;
}

class YarnLockReader {
 public:
  JsLockGraph take() {
    finish();
    resolve_edges();
    dedupe_edges(graph_);
    return std::move(graph_);
  }

  void line(std::size_t number, std::string_view raw) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < raw.size() && raw[indent] == ' ') ++indent;
    std::string_view text = raw.substr(indent);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    if (text.empty() || text[0] == '#' || stopped_) return;
    if (indent == 0) {
      finish();
      section_.clear();
      in_metadata_ = text == "__metadata:";
      if (in_metadata_) return;
      if (entries_seen_++ >= kMaxEntries) {
        warn("more than " + std::to_string(kMaxEntries) + " entries; the rest of the file is not read");
        stopped_ = true;
        return;
      }
      current_.emplace();
      current_->line = number;
      parse_header(text, *current_);
      return;
    }
    if (in_metadata_) return;
    if (!current_) {
      warn("line " + std::to_string(number) + ": indented line " + excerpt(text) + " outside any entry; ignored");
      return;
    }
    RawEntry& entry = *current_;
    if (!entry.problem.empty()) return;
    if (text[0] == '\t') {
      entry.problem = "line " + std::to_string(number) + ": tab in indentation";
      return;
    }
    if (indent == 2) {
      std::string key, value;
      if (!parse_pair(text, key, value, entry, number)) return;
      section_.clear();
      if (value.empty()) {
        section_ = key;
      } else if (key == "version") {
        entry.version = value;
      } else if (key == "resolved" || key == "resolution") {
        entry.resolved = value;
      } else if (key == "integrity" || key == "checksum") {
        entry.integrity = value;
      }
      return;
    }
    if (indent >= 4 && indent % 2 == 0 && !section_.empty()) {
      if (indent != 4 || (section_ != "dependencies" && section_ != "optionalDependencies")) return;
      std::string name, range;
      if (!parse_pair(text, name, range, entry, number)) return;
      if (range.empty()) {
        entry.problem = "line " + std::to_string(number) + ": dependency " + excerpt(name) + " without a range";
        return;
      }
      if (entry.dependencies.size() >= kMaxDependenciesPerEntry) {
        entry.problem = "line " + std::to_string(number) + ": more than " + std::to_string(kMaxDependenciesPerEntry) +
                        " dependencies";
        return;
      }
      entry.dependencies.emplace_back(std::move(name), std::move(range));
      return;
    }
    entry.problem = "line " + std::to_string(number) + ": unexpected indentation of " + std::to_string(indent) +
                    " spaces in " + excerpt(text);
  }

 private:
  void warn(std::string message) {
    if (graph_.warnings.size() < kMaxWarnings) graph_.warnings.push_back(std::move(message));
  }

  void finish() {
    if (!current_) return;
    RawEntry entry = std::move(*current_);
    current_.reset();
    const std::string where = "line " + std::to_string(entry.line) + ": ";
    if (!entry.problem.empty()) {
      warn(entry.problem.starts_with("line ") ? entry.problem + "; entry skipped"
                                              : where + entry.problem + "; entry skipped");
      return;
    }
    const std::string& first = entry.descriptors.front();
    const std::string protocol = range_protocol(descriptor_range(first));
    if (is_skipped_protocol(protocol)) return;
    if (!is_npm_protocol(protocol)) {
      warn(where + "entry " + excerpt(first) + " uses the unsupported protocol \"" + protocol + ":\"; entry skipped");
      return;
    }
    if (entry.version.empty()) {
      warn(where + "entry " + excerpt(first) + " has no version; entry skipped");
      return;
    }
    std::string name = name_from_tarball_url(entry.resolved);
    if (name.empty()) name = descriptor_name(first);

    const std::string id = name + "@" + entry.version;
    auto [it, added] = by_id_.emplace(id, graph_.packages.size());
    const std::size_t index = it->second;
    if (added) {
      JsLockedPackage p;
      p.name = std::move(name);
      p.version = entry.version;
      p.resolved = entry.resolved;
      p.integrity = entry.integrity;
      graph_.packages.push_back(std::move(p));
      dependencies_.emplace_back();
    }
    for (const auto& d : entry.descriptors) by_descriptor_.emplace(d, index);
    for (auto& dep : entry.dependencies) dependencies_[index].push_back(std::move(dep));
  }

  std::optional<std::size_t> find(const std::string& name, const std::string& range,
                                  const std::map<std::string, std::vector<std::size_t>>& by_name) const {
    for (const auto& candidate : {name + "@" + range, name + "@npm:" + range}) {
      if (auto it = by_descriptor_.find(candidate); it != by_descriptor_.end()) return it->second;
    }
    // A range no header lists: the entry of that exact version, else the only one of
    // that name.
    if (auto it = by_id_.find(name + "@" + range); it != by_id_.end()) return it->second;
    auto same_name = by_name.find(name);
    if (same_name != by_name.end() && same_name->second.size() == 1) return same_name->second.front();
    return std::nullopt;
  }

  void resolve_edges() {
    std::map<std::string, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < graph_.packages.size(); ++i) by_name[graph_.packages[i].name].push_back(i);
    for (std::size_t from = 0; from < dependencies_.size(); ++from) {
      for (const auto& [name, range] : dependencies_[from]) {
        if (auto to = find(name, range, by_name)) add_edge(graph_, from, *to);
      }
    }
  }

  JsLockGraph graph_;
  std::optional<RawEntry> current_;
  std::string section_;
  bool in_metadata_ = false;
  bool stopped_ = false;
  std::size_t entries_seen_ = 0;
  std::map<std::string, std::size_t> by_id_;          // "name@version" -> package
  std::map<std::string, std::size_t> by_descriptor_;  // "name@range" -> package
  std::vector<std::vector<std::pair<std::string, std::string>>> dependencies_;  // per package
};

}  // namespace

Result<JsLockGraph> parse_yarn_lock(std::string_view text) {
  if (auto checked = check_utf8_text(text); !checked) return std::unexpected(checked.error());
  YarnLockReader reader;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    reader.line(++number, text.substr(start, end - start));
    start = end + 1;
  }
  return reader.take();
}

}  // namespace cairn::sbom
