#include "sbom/catalogers/dpkg_status.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_set>
#include <utility>

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom::dpkg {

namespace {

// Real stanzas carry about 30 fields and real databases a few tens of thousands of
// packages; the caps only stop hostile input from turning a capped file into an
// unbounded number of allocations.
constexpr std::size_t kMaxFieldsPerStanza = 1024;
constexpr std::size_t kMaxStanzas = 200000;
constexpr std::size_t kMaxErrors = 100;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Field names compare like dpkg (case-insensitively) and like Syft (which removes '-').
std::string field_key(std::string_view name) {
  std::string key;
  for (char c : name)
    if (c != '-') key += lower(c);
  return key;
}

// Calls f(line) for each line of text (without "\n" or a trailing "\r"), in order.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line)) return;
    pos = end + 1;
  }
}

bool is_hex_digest(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string absolute(std::string_view path) {
  if (!path.empty() && path.front() == '/') return std::string(path);
  return "/" + std::string(path);
}

// Syft skips "deinstall" (removed, config files left); a "not-installed" state names a
// package dpkg merely remembers, so it is skipped as well.
bool is_not_installed(std::string_view status) {
  if (status.find("deinstall") != std::string_view::npos) return true;
  auto last_space = status.find_last_of(" \t");
  auto state = last_space == std::string_view::npos ? status : status.substr(last_space + 1);
  return state == "not-installed";
}

Entry to_entry(const Stanza& s) {
  Entry e;
  e.stanza = s.number;
  auto get = [&](std::string_view name) -> std::string {
    const std::string* v = s.find(name);
    return v ? *v : std::string();
  };
  e.package = get("Package");
  e.version = get("Version");
  e.architecture = get("Architecture");
  e.maintainer = get("Maintainer");
  e.description = get("Description");
  e.status = get("Status");
  e.license = get("License");
  e.source = get("Source");
  auto [source_name, source_version] = split_source(e.source);
  if (!source_version.empty()) {
    e.source = std::move(source_name);
    e.source_version = std::move(source_version);
  }
  if (const std::string* size = s.find("Installed-Size")) e.installed_size = parse_installed_size(*size);
  e.provides = split_clauses(get("Provides"));
  e.depends = split_clauses(get("Depends"));
  e.pre_depends = split_clauses(get("Pre-Depends"));
  if (const std::string* conffiles = s.find("Conffiles")) e.conffiles = parse_conffiles(*conffiles);
  return e;
}

}  // namespace

const std::string* Stanza::find(std::string_view name) const {
  auto key = field_key(name);
  for (const auto& f : fields)
    if (field_key(f.name) == key) return &f.value;
  return nullptr;
}

std::vector<std::string> for_each_stanza(std::string_view text, const std::function<void(Stanza&&)>& visit) {
  std::vector<std::string> errors;
  Stanza cur;
  bool in_stanza = false;
  bool skipping = false;          // the current stanza is malformed: drop it up to the next blank line
  std::ptrdiff_t open_field = -1;  // the field continuation lines extend, or -1
  std::unordered_set<std::string> seen_keys;
  std::size_t stanzas = 0, line_no = 0;

  auto report = [&](const std::string& what) {
    if (errors.size() < kMaxErrors) {
      std::string where = "stanza " + std::to_string(cur.number) + " (line " + std::to_string(line_no);
      if (const std::string* pkg = cur.find("Package"); pkg && !pkg->empty()) where += ", Package " + *pkg;
      errors.push_back(where + "): " + what);
    } else if (errors.size() == kMaxErrors) {
      errors.push_back("more errors follow; not reported");
    }
    skipping = true;
  };
  auto finish = [&] {
    if (in_stanza && !skipping && !cur.fields.empty()) visit(std::move(cur));
    cur = Stanza{};
    in_stanza = skipping = false;
    open_field = -1;
    seen_keys.clear();
  };

  bool truncated = false;
  for_each_line(text, [&](std::string_view line) {
    ++line_no;
    // deb822 lets parsers take whitespace-only lines as paragraph separators.
    if (trim(line).empty()) {
      finish();
      return true;
    }
    if (!in_stanza) {
      if (stanzas == kMaxStanzas) {
        truncated = true;
        return false;
      }
      in_stanza = true;
      cur.number = ++stanzas;
      cur.line = line_no;
    }
    if (skipping) return true;
    if (line.front() == ' ' || line.front() == '\t') {
      if (open_field < 0) {
        report("continuation line without a field before it: " + excerpt(line));
        return true;
      }
      auto& value = cur.fields[static_cast<std::size_t>(open_field)].value;
      value += "\n ";
      value += trim(line);
      return true;
    }
    auto colon = line.find(':');
    auto name = colon == std::string_view::npos ? std::string_view{} : trim(line.substr(0, colon));
    if (name.empty()) {
      // Syft ignores a line that is not "Name: value"; what follows it cannot continue
      // a field any more.
      open_field = -1;
      return true;
    }
    if (!seen_keys.insert(field_key(name)).second) {
      report("field " + std::string(name) + " appears twice");
      return true;
    }
    if (cur.fields.size() == kMaxFieldsPerStanza) {
      report("more than " + std::to_string(kMaxFieldsPerStanza) + " fields");
      return true;
    }
    cur.fields.push_back(Field{std::string(name), std::string(trim(line.substr(colon + 1)))});
    open_field = static_cast<std::ptrdiff_t>(cur.fields.size() - 1);
    return true;
  });
  finish();
  if (truncated)
    errors.push_back("more than " + std::to_string(kMaxStanzas) + " stanzas; the rest of the file was not read");
  return errors;
}

StatusResult parse_status(std::string_view text) {
  StatusResult out;
  out.errors = for_each_stanza(text, [&](Stanza&& s) {
    Entry e = to_entry(s);
    if (e.package.empty() || is_not_installed(e.status)) return;
    out.entries.push_back(std::move(e));
  });
  return out;
}

std::optional<std::uint64_t> parse_installed_size(std::string_view text) {
  text = trim(text);
  std::size_t digits = 0;
  while (digits < text.size() && ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.' ||
                                  text[digits] == ','))
    ++digits;
  std::string number;
  for (char c : text.substr(0, digits))
    if (c != ',') number += c;
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size()) return std::nullopt;

  std::string unit;
  for (char c : trim(text.substr(digits))) unit += lower(c);
  static const std::pair<const char*, double> kUnits[] = {
      {"", 1},          {"b", 1},         {"k", 1e3},       {"kb", 1e3},       {"ki", 1024.0},
      {"kib", 1024.0},  {"m", 1e6},       {"mb", 1e6},      {"mi", 1048576.0}, {"mib", 1048576.0},
      {"g", 1e9},       {"gb", 1e9},      {"gi", 1073741824.0}, {"gib", 1073741824.0},
      {"t", 1e12},      {"tb", 1e12},     {"ti", 1099511627776.0}, {"tib", 1099511627776.0},
      {"p", 1e15},      {"pb", 1e15},     {"pi", 1125899906842624.0}, {"pib", 1125899906842624.0},
      {"e", 1e18},      {"eb", 1e18},     {"ei", 1152921504606846976.0}, {"eib", 1152921504606846976.0},
  };
  for (const auto& [name, factor] : kUnits) {
    if (unit != name) continue;
    double bytes = value * factor;
    if (!std::isfinite(bytes) || bytes >= 18446744073709551616.0) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
  }
  return std::nullopt;
}

std::pair<std::string, std::string> split_source(std::string_view text) {
  text = trim(text);
  auto name_end = std::find_if(text.begin(), text.end(), is_space) - text.begin();
  std::string name(text.substr(0, static_cast<std::size_t>(name_end)));
  auto rest = text.substr(static_cast<std::size_t>(name_end));
  rest = rest.substr(0, rest.find('\n'));
  if (rest.size() < 3 || rest.substr(0, 2) != " (") return {name, ""};
  auto close = rest.rfind(')');
  if (close == std::string_view::npos || close < 2) return {name, ""};
  return {name, std::string(rest.substr(2, close - 2))};
}

std::vector<std::string> split_clauses(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string clause;
    for (char c : trim(text.substr(pos, comma - pos))) {
      if (is_space(c)) {
        if (!clause.empty() && clause.back() != ' ') clause += ' ';
      } else {
        clause += c;
      }
    }
    if (!clause.empty()) out.push_back(std::move(clause));
    pos = comma + 1;
  }
  return out;
}

std::vector<FileRecord> parse_md5sums(std::string_view text) {
  std::vector<FileRecord> out;
  for_each_line(text, [&](std::string_view line) {
    auto space = line.find(' ');
    if (space == std::string_view::npos) return true;
    auto digest = trim(line.substr(0, space));
    auto path = trim(line.substr(space + 1));
    if (!digest.empty() && !path.empty()) out.push_back(FileRecord{absolute(path), std::string(digest), false});
    return true;
  });
  return out;
}

std::vector<FileRecord> parse_conffiles(std::string_view text) {
  std::vector<FileRecord> out;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    // Newer dpkg writes "remove-on-upgrade /etc/x" in info/*.conffiles.
    if (!line.empty() && line.front() != '/') {
      auto space = line.find_first_of(" \t");
      if (space != std::string_view::npos && trim(line.substr(space)).starts_with('/'))
        line = trim(line.substr(space));
    }
    // The status Conffiles field: " <path> <md5> [obsolete|remove-on-upgrade]...".
    while (true) {
      auto space = line.find_last_of(" \t");
      if (space == std::string_view::npos) break;
      auto word = line.substr(space + 1);
      if (word != "obsolete" && word != "remove-on-upgrade") break;
      line = trim(line.substr(0, space));
    }
    std::string md5;
    if (auto space = line.find_last_of(" \t"); space != std::string_view::npos) {
      auto word = line.substr(space + 1);
      if (is_hex_digest(word) || word == "newconffile") {
        md5 = std::string(word);
        line = trim(line.substr(0, space));
      }
    }
    if (!line.empty()) out.push_back(FileRecord{absolute(line), std::move(md5), true});
    return true;
  });
  return out;
}

std::vector<std::string> parse_list_leaves(std::string_view text) {
  std::vector<std::string> paths;
  for_each_line(text, [&](std::string_view line) {
    // opkg may append "\t<mode>" to a path.
    line = line.substr(0, line.find('\t'));
    while (line.size() > 1 && line.back() == '/') line.remove_suffix(1);
    if (line.empty() || line == "/." || line == "/" || line == ".") return true;
    paths.push_back(absolute(line));
    return true;
  });
  // A path is a directory when another listed path lies below it. In sorted order
  // everything below P starts right at lower_bound(P + "/"); the search is
  // O(n log n) even for hostile, very deep or very long paths.
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::vector<std::string> leaves;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::string below = paths[i] + "/";
    auto next = std::lower_bound(paths.begin() + static_cast<std::ptrdiff_t>(i) + 1, paths.end(), below);
    if (next == paths.end() || !next->starts_with(below)) leaves.push_back(std::move(paths[i]));
  }
  return leaves;
}

}  // namespace cairn::sbom::dpkg
