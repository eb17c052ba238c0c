#include "sbom/yaml_subset.h"

#include "sbom/text_check.h"

#include <charconv>
#include <cstdint>
#include <string>
#include <utility>

namespace cairn::sbom::yaml {

namespace {

using json = nlohmann::json;

// Thrown inside the reader only; parse_documents turns it into an input error.
struct YamlError {
  std::string message;
};

[[noreturn]] void fail_at(std::size_t line, std::size_t column, const std::string& what) {
  throw YamlError{"line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what};
}

struct Line {
  std::size_t number = 0;  // 1-based
  std::size_t indent = 0;  // spaces before text
  std::string_view text;   // from the first non-space character, trailing blanks removed
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_sequence_item(std::string_view text) {
  return !text.empty() && text[0] == '-' && (text.size() == 1 || is_blank(text[1]));
}

bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool is_decimal_integer(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_decimal_float(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exponent = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == s.size();
}

class DocumentParser {
 public:
  DocumentParser(std::vector<Line>& lines, const Limits& limits, std::size_t& nodes)
      : lines_(lines), limits_(limits), nodes_(nodes) {}

  json parse() {
    if (lines_.empty()) {
      count(0, 1);
      return nullptr;
    }
    std::size_t i = 0;
    json root = parse_node(i, lines_[0].indent, 1);
    if (i < lines_.size()) {
      fail_at(lines_[i].number, lines_[i].indent + 1,
              "unexpected content; its indentation matches no enclosing collection");
    }
    return root;
  }

 private:
  void count(std::size_t line, std::size_t column) {
    if (++nodes_ > limits_.max_nodes) {
      fail_at(line, column, "more than " + std::to_string(limits_.max_nodes) + " YAML nodes; refusing the document");
    }
  }

  void enter(const Line& l, std::size_t pos, std::size_t depth) {
    if (depth > limits_.max_depth) {
      fail_at(l.number, column(l, pos), "collections nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
  }

  static std::size_t column(const Line& l, std::size_t pos) { return l.indent + pos + 1; }

  [[noreturn]] static void fail_line(const Line& l, std::size_t pos, const std::string& what) {
    fail_at(l.number, column(l, pos), what);
  }

  // A value on a line of its own, or the collection that starts there.
  json parse_node(std::size_t& i, std::size_t indent, std::size_t depth) {
    const Line& l = lines_[i];
    if (is_sequence_item(l.text)) return parse_sequence(i, indent, depth);
    if (key_colon(l) != std::string_view::npos) return parse_mapping(i, indent, depth);
    std::size_t pos = 0;
    json value = parse_inline(l, pos, depth);
    expect_end(l, pos);
    ++i;
    return value;
  }

  json parse_mapping(std::size_t& i, std::size_t indent, std::size_t depth) {
    enter(lines_[i], 0, depth);
    count(lines_[i].number, lines_[i].indent + 1);
    json object = json::object();
    while (i < lines_.size()) {
      const Line& l = lines_[i];
      if (l.indent < indent) break;
      if (l.indent > indent) {
        fail_line(l, 0, "unexpected indentation; expected a key at column " + std::to_string(indent + 1));
      }
      if (is_sequence_item(l.text)) fail_line(l, 0, "a sequence item where a mapping key was expected");
      const std::size_t colon = key_colon(l);
      if (colon == std::string_view::npos) fail_line(l, 0, "expected \"key: value\"");
      std::size_t pos = 0;
      std::string key = parse_key(l, pos, colon);
      pos = colon + 1;
      skip_blanks(l, pos);
      json value;
      if (at_end(l, pos)) {
        ++i;
        if (i < lines_.size() && lines_[i].indent > indent) {
          value = parse_node(i, lines_[i].indent, depth + 1);
        } else if (i < lines_.size() && lines_[i].indent == indent && is_sequence_item(lines_[i].text)) {
          value = parse_sequence(i, indent, depth + 1);
        } else {
          count(l.number, column(l, pos));
          value = nullptr;
        }
      } else {
        value = parse_inline(l, pos, depth + 1);
        expect_end(l, pos);
        ++i;
      }
      if (object.contains(key)) fail_line(l, 0, "duplicate mapping key \"" + key + "\"");
      object[std::move(key)] = std::move(value);
    }
    return object;
  }

  json parse_sequence(std::size_t& i, std::size_t indent, std::size_t depth) {
    enter(lines_[i], 0, depth);
    count(lines_[i].number, lines_[i].indent + 1);
    json array = json::array();
    while (i < lines_.size()) {
      Line& l = lines_[i];
      if (l.indent < indent) break;
      if (l.indent > indent) {
        fail_line(l, 0, "unexpected indentation; expected \"- \" at column " + std::to_string(indent + 1));
      }
      if (!is_sequence_item(l.text)) break;  // the enclosing mapping continues
      std::size_t pos = 1;
      skip_blanks(l, pos);
      if (at_end(l, pos)) {
        const Line& item_line = l;
        ++i;
        if (i < lines_.size() && lines_[i].indent > indent) {
          array.push_back(parse_node(i, lines_[i].indent, depth + 1));
        } else {
          count(item_line.number, column(item_line, pos));
          array.push_back(nullptr);
        }
        continue;
      }
      // "- key: value" and "- - item": the item is a collection that starts on this
      // line at the column after "- "; re-read the line from there.
      l.indent += pos;
      l.text.remove_prefix(pos);
      array.push_back(parse_node(i, l.indent, depth + 1));
    }
    return array;
  }

  // Position of the ':' that ends a block mapping key on this line, npos when the line
  // is not "key: …".
  static std::size_t key_colon(const Line& l) {
    std::string_view t = l.text;
    if (t.empty()) return std::string_view::npos;
    std::size_t pos = 0;
    if (t[0] == '"' || t[0] == '\'') {
      pos = quoted_end(t, 0);
      if (pos == std::string_view::npos) return pos;
      while (pos < t.size() && is_blank(t[pos])) ++pos;
      return pos < t.size() && t[pos] == ':' && (pos + 1 == t.size() || is_blank(t[pos + 1])) ? pos
                                                                                               : std::string_view::npos;
    }
    if (!can_start_plain(t, 0)) return std::string_view::npos;
    for (; pos < t.size(); ++pos) {
      if (t[pos] == '#' && pos > 0 && is_blank(t[pos - 1])) return std::string_view::npos;
      if (t[pos] == ':' && (pos + 1 == t.size() || is_blank(t[pos + 1]))) return pos;
    }
    return std::string_view::npos;
  }

  // Index just past the closing quote of the quoted scalar at t[start], npos if the line
  // ends first.
  static std::size_t quoted_end(std::string_view t, std::size_t start) {
    const char quote = t[start];
    for (std::size_t pos = start + 1; pos < t.size(); ++pos) {
      if (quote == '"' && t[pos] == '\\') {
        ++pos;
        continue;
      }
      if (t[pos] == quote) {
        if (quote == '\'' && pos + 1 < t.size() && t[pos + 1] == '\'') {
          ++pos;
          continue;
        }
        return pos + 1;
      }
    }
    return std::string_view::npos;
  }

  static bool can_start_plain(std::string_view t, std::size_t pos) {
    const char c = t[pos];
    static constexpr std::string_view kIndicators = "[]{},#&*!|>'\"%@`";
    if (kIndicators.find(c) != std::string_view::npos) return false;
    if (c == '-' || c == '?' || c == ':') return pos + 1 < t.size() && !is_blank(t[pos + 1]);
    return true;
  }

  std::string parse_key(const Line& l, std::size_t& pos, std::size_t colon) {
    count(l.number, column(l, pos));
    if (l.text[pos] == '"' || l.text[pos] == '\'') return parse_quoted(l, pos);
    std::string_view key = l.text.substr(pos, colon - pos);
    while (!key.empty() && is_blank(key.back())) key.remove_suffix(1);
    if (key.empty()) fail_line(l, pos, "empty mapping key");
    if (key[0] == '?') fail_line(l, pos, "complex mapping keys (\"? \") are not supported");
    return std::string(key);
  }

  static void skip_blanks(const Line& l, std::size_t& pos) {
    while (pos < l.text.size() && is_blank(l.text[pos])) ++pos;
  }

  // End of line, or a comment after blanks.
  static bool at_end(const Line& l, std::size_t pos) {
    return pos >= l.text.size() || (l.text[pos] == '#' && pos > 0 && is_blank(l.text[pos - 1]));
  }

  static void expect_end(const Line& l, std::size_t pos) {
    skip_blanks(l, pos);
    if (!at_end(l, pos)) fail_line(l, pos, "unexpected text after the value");
  }

  // A scalar or flow collection that starts at l.text[pos], within one line.
  json parse_inline(const Line& l, std::size_t& pos, std::size_t depth) {
    const char c = l.text[pos];
    switch (c) {
      case '{': return parse_flow_mapping(l, pos, depth);
      case '[': return parse_flow_sequence(l, pos, depth);
      case '"':
      case '\'': count(l.number, column(l, pos)); return parse_quoted(l, pos);
      case '&': fail_line(l, pos, "anchors (\"&\") are not supported");
      case '*': fail_line(l, pos, "aliases (\"*\") are not supported");
      case '!': fail_line(l, pos, "tags (\"!\") are not supported");
      case '|':
      case '>': fail_line(l, pos, "block scalars (\"|\", \">\") are not supported");
      default: break;
    }
    if (!can_start_plain(l.text, pos)) {
      fail_line(l, pos, std::string("unexpected '") + c + "'; expected a value");
    }
    const std::size_t start = pos;
    std::size_t end = pos;
    while (end < l.text.size() && !(l.text[end] == '#' && is_blank(l.text[end - 1]))) ++end;
    std::string_view text = l.text.substr(start, end - start);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    for (std::size_t k = 0; k < text.size(); ++k) {
      if (text[k] == ':' && (k + 1 == text.size() || is_blank(text[k + 1]))) {
        fail_line(l, start + k, "a mapping value is not allowed here (quote the scalar if ':' belongs to it)");
      }
    }
    pos = start + text.size();
    count(l.number, column(l, start));
    return resolve_plain(text);
  }

  json parse_flow_value(const Line& l, std::size_t& pos, std::size_t depth) {
    if (pos >= l.text.size()) fail_line(l, pos, "flow collection not closed on this line (multi-line flow collections are not supported)");
    const char c = l.text[pos];
    if (c == '{') return parse_flow_mapping(l, pos, depth);
    if (c == '[') return parse_flow_sequence(l, pos, depth);
    if (c == '"' || c == '\'') {
      count(l.number, column(l, pos));
      return parse_quoted(l, pos);
    }
    count(l.number, column(l, pos));
    return resolve_plain(parse_flow_plain(l, pos));
  }

  // A plain scalar inside a flow collection: ends at a flow indicator, ": " or a comment.
  static std::string_view parse_flow_plain(const Line& l, std::size_t& pos) {
    const std::string_view t = l.text;
    if (!can_start_plain(t, pos)) fail_line(l, pos, std::string("unexpected '") + t[pos] + "' in a flow collection");
    const std::size_t start = pos;
    while (pos < t.size()) {
      const char c = t[pos];
      if (is_flow_indicator(c)) break;
      if (c == ':' && (pos + 1 == t.size() || is_blank(t[pos + 1]) || is_flow_indicator(t[pos + 1]))) break;
      if (c == '#' && pos > start && is_blank(t[pos - 1])) break;
      ++pos;
    }
    std::string_view text = t.substr(start, pos - start);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
  }

  void expect_more(const Line& l, std::size_t pos) {
    if (pos >= l.text.size() || at_end(l, pos)) {
      fail_line(l, pos, "flow collection not closed on this line (multi-line flow collections are not supported)");
    }
  }

  json parse_flow_mapping(const Line& l, std::size_t& pos, std::size_t depth) {
    enter(l, pos, depth);
    count(l.number, column(l, pos));
    json object = json::object();
    ++pos;  // '{'
    skip_blanks(l, pos);
    expect_more(l, pos);
    if (l.text[pos] == '}') {
      ++pos;
      return object;
    }
    while (true) {
      skip_blanks(l, pos);
      expect_more(l, pos);
      const std::size_t key_pos = pos;
      std::string key;
      const char c = l.text[pos];
      if (c == '"' || c == '\'') {
        key = parse_quoted(l, pos);
      } else if (c == '{' || c == '[') {
        fail_line(l, pos, "complex mapping keys are not supported");
      } else {
        key = std::string(parse_flow_plain(l, pos));
        if (key.empty()) fail_line(l, pos, "empty key in a flow mapping");
      }
      count(l.number, column(l, key_pos));
      skip_blanks(l, pos);
      expect_more(l, pos);
      json value;
      if (l.text[pos] == ':') {
        ++pos;
        skip_blanks(l, pos);
        expect_more(l, pos);
        if (l.text[pos] == ',' || l.text[pos] == '}') {
          count(l.number, column(l, pos));
          value = nullptr;
        } else {
          value = parse_flow_value(l, pos, depth + 1);
        }
      } else if (l.text[pos] == ',' || l.text[pos] == '}') {
        count(l.number, column(l, pos));
        value = nullptr;
      } else {
        fail_line(l, pos, "expected ':' after a flow mapping key");
      }
      if (object.contains(key)) fail_line(l, key_pos, "duplicate mapping key \"" + key + "\"");
      object[std::move(key)] = std::move(value);
      skip_blanks(l, pos);
      expect_more(l, pos);
      if (l.text[pos] == '}') {
        ++pos;
        return object;
      }
      if (l.text[pos] != ',') fail_line(l, pos, "expected ',' or '}' in a flow mapping");
      ++pos;
      skip_blanks(l, pos);
      expect_more(l, pos);
      if (l.text[pos] == '}') {
        ++pos;
        return object;
      }
    }
  }

  json parse_flow_sequence(const Line& l, std::size_t& pos, std::size_t depth) {
    enter(l, pos, depth);
    count(l.number, column(l, pos));
    json array = json::array();
    ++pos;  // '['
    while (true) {
      skip_blanks(l, pos);
      expect_more(l, pos);
      if (l.text[pos] == ']') {
        ++pos;
        return array;
      }
      array.push_back(parse_flow_value(l, pos, depth + 1));
      skip_blanks(l, pos);
      expect_more(l, pos);
      if (l.text[pos] == ']') {
        ++pos;
        return array;
      }
      if (l.text[pos] != ',') fail_line(l, pos, "expected ',' or ']' in a flow sequence");
      ++pos;
    }
  }

  static std::string parse_quoted(const Line& l, std::size_t& pos) {
    const std::string_view t = l.text;
    const char quote = t[pos];
    const std::size_t start = pos;
    std::string out;
    for (++pos; pos < t.size(); ++pos) {
      const char c = t[pos];
      if (c == quote) {
        if (quote == '\'' && pos + 1 < t.size() && t[pos + 1] == '\'') {
          out += '\'';
          ++pos;
          continue;
        }
        ++pos;
        return out;
      }
      if (quote == '"' && c == '\\') {
        ++pos;
        if (pos >= t.size()) break;
        read_escape(l, pos, out);
        continue;
      }
      out += c;
    }
    fail_line(l, start, std::string(quote == '"' ? "double" : "single") +
                            "-quoted scalar not closed on this line (multi-line scalars are not supported)");
  }

  // The escape after a backslash at l.text[pos]; leaves pos on its last character.
  static void read_escape(const Line& l, std::size_t& pos, std::string& out) {
    const std::string_view t = l.text;
    std::size_t hex_digits = 0;
    switch (t[pos]) {
      case '0': out += '\0'; return;
      case 'a': out += '\a'; return;
      case 'b': out += '\b'; return;
      case 't':
      case '\t': out += '\t'; return;
      case 'n': out += '\n'; return;
      case 'v': out += '\v'; return;
      case 'f': out += '\f'; return;
      case 'r': out += '\r'; return;
      case 'e': out += '\x1b'; return;
      case ' ': out += ' '; return;
      case '"': out += '"'; return;
      case '/': out += '/'; return;
      case '\\': out += '\\'; return;
      case 'N': append_utf8(out, 0x85); return;
      case '_': append_utf8(out, 0xa0); return;
      case 'L': append_utf8(out, 0x2028); return;
      case 'P': append_utf8(out, 0x2029); return;
      case 'x': hex_digits = 2; break;
      case 'u': hex_digits = 4; break;
      case 'U': hex_digits = 8; break;
      default: fail_line(l, pos - 1, std::string("unknown escape \"\\") + t[pos] + "\" in a double-quoted scalar");
    }
    if (pos + hex_digits >= t.size()) fail_line(l, pos - 1, "escape cut short by the end of the line");
    std::uint32_t cp = 0;
    for (std::size_t k = 1; k <= hex_digits; ++k) {
      const char h = t[pos + k];
      std::uint32_t v;
      if (h >= '0' && h <= '9') v = h - '0';
      else if (h >= 'a' && h <= 'f') v = h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') v = h - 'A' + 10;
      else fail_line(l, pos + k, "expected a hexadecimal digit in an escape");
      cp = (cp << 4) | v;
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail_line(l, pos - 1, "escape names no Unicode scalar value");
    append_utf8(out, cp);
    pos += hex_digits;
  }

  json resolve_plain(std::string_view s) const {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (!limits_.numbers_as_strings) {
      if (is_decimal_integer(s)) {
        std::int64_t v = 0;
        const char* first = s.data() + (s[0] == '+' ? 1 : 0);
        auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
        if (ec == std::errc() && end == s.data() + s.size()) return v;
      } else if (is_decimal_float(s)) {
        double v = 0;
        const char* first = s.data() + (s[0] == '+' ? 1 : 0);
        auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
        if (ec == std::errc() && end == s.data() + s.size()) return v;
      }
    }
    return std::string(s);
  }

  std::vector<Line>& lines_;
  const Limits& limits_;
  std::size_t& nodes_;
};

// Splits the stream into documents of non-blank, non-comment lines.
std::vector<std::vector<Line>> split_documents(std::string_view text, const Limits& limits) {
  std::vector<std::vector<Line>> documents;
  std::vector<Line> current;
  bool explicit_start = false;  // current document began with "---"
  bool ended = false;           // "..." closed the last document
  auto finish = [&](std::size_t line) {
    if (documents.size() >= limits.max_documents) {
      fail_at(line, 1, "more than " + std::to_string(limits.max_documents) + " YAML documents");
    }
    documents.push_back(std::move(current));
    current.clear();
  };
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < raw.size() && raw[indent] == ' ') ++indent;
    std::string_view rest = raw.substr(indent);
    while (!rest.empty() && is_blank(rest.back())) rest.remove_suffix(1);
    if (rest.empty() || rest[0] == '#') continue;
    if (rest[0] == '\t') fail_at(number, indent + 1, "tab in indentation; YAML indents with spaces");
    if (indent == 0 && rest.starts_with("---") && (rest.size() == 3 || is_blank(rest[3]))) {
      std::string_view after = rest.substr(3);
      while (!after.empty() && is_blank(after.front())) after.remove_prefix(1);
      if (!after.empty() && after[0] != '#') fail_at(number, 5, "content on the \"---\" line is not supported");
      if (explicit_start || !current.empty()) finish(number);
      explicit_start = true;
      ended = false;
      continue;
    }
    if (indent == 0 && rest == "...") {
      if (explicit_start || !current.empty()) finish(number);
      explicit_start = false;
      ended = true;
      continue;
    }
    if (ended) fail_at(number, indent + 1, "content after \"...\" without a \"---\" document start");
    if (indent == 0 && rest[0] == '%') fail_at(number, 1, "directives (\"%\") are not supported");
    current.push_back(Line{number, indent, rest});
    if (end == text.size()) break;
  }
  if (explicit_start || !current.empty()) finish(number);
  return documents;
}

}  // namespace

Result<std::vector<nlohmann::json>> parse_documents(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_bytes) {
    return input_error("YAML text of " + std::to_string(text.size()) + " bytes; larger than the " +
                       std::to_string(limits.max_bytes) + "-byte cap");
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (auto checked = check_utf8_text(text); !checked) return std::unexpected(checked.error());
  try {
    auto documents = split_documents(text, limits);
    std::vector<nlohmann::json> out;
    out.reserve(documents.size());
    std::size_t nodes = 0;
    for (auto& lines : documents) out.push_back(DocumentParser(lines, limits, nodes).parse());
    return out;
  } catch (const YamlError& e) {
    return input_error(e.message);
  }
}

}  // namespace cairn::sbom::yaml
