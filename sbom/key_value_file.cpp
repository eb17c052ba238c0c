#include "sbom/key_value_file.h"

namespace cairn::sbom {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Control characters other than TAB never belong in these files; dropping them keeps a
// CRLF file or one with stray escapes readable.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) continue;
    out += c;
  }
  return out;
}

// The value as the shell would read it: quotes removed, backslash escapes resolved. An
// unquoted run of words is kept whole (many files write PRETTY_NAME=Foo Bar), but blank
// space followed by '#' starts a comment. An unterminated quote ends at the line's end.
std::string unquote(std::string_view v) {
  enum class State { Plain, Double, Single } state = State::Plain;
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    switch (state) {
      case State::Plain:
        if (is_blank(c)) {
          std::size_t j = i;
          while (j < v.size() && is_blank(v[j])) ++j;
          if (j == v.size() || v[j] == '#') return out;
          out.append(v.substr(i, j - i));
          i = j - 1;
        } else if (c == '"') {
          state = State::Double;
        } else if (c == '\'') {
          state = State::Single;
        } else if (c == '\\' && i + 1 < v.size()) {
          out += v[++i];
        } else {
          out += c;
        }
        break;
      case State::Double:
        if (c == '"') {
          state = State::Plain;
        } else if (c == '\\' && i + 1 < v.size() &&
                   (v[i + 1] == '"' || v[i + 1] == '\\' || v[i + 1] == '$' || v[i + 1] == '`')) {
          out += v[++i];
        } else {
          out += c;
        }
        break;
      case State::Single:
        if (c == '\'') state = State::Plain;
        else out += c;
        break;
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> parse_key_value_file(std::string_view content, std::size_t max_entries) {
  std::map<std::string, std::string> values;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string line = printable(content.substr(pos, end - pos));
    pos = end + 1;

    std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(text.substr(0, eq));
    if (key.empty()) continue;
    auto it = values.find(std::string(key));
    if (it == values.end() && values.size() >= max_entries) continue;
    values[std::string(key)] = unquote(trim(text.substr(eq + 1)));
  }
  return values;
}

}  // namespace cairn::sbom
