#include "sbom/toml.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <vector>

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

// How a key came to exist; it decides what later lines may do with it (toml.io "Table").
enum class Kind {
  Implicit,       // created as the parent of a [a.b] header: may still be defined once
  Header,         // defined by a [header] (or the root, or an inline table's inside)
  Dotted,         // created by a dotted key: may get more dotted keys, never a [header]
  Value,          // a value, including inline tables and static arrays: closed
  ArrayOfTables,  // [[header]]: may get more elements
};

struct Meta {
  explicit Meta(Kind k) : kind(k) {}
  Kind kind;
  std::map<std::string, std::unique_ptr<Meta>, std::less<>> children;
  std::vector<std::unique_ptr<Meta>> elements;  // ArrayOfTables: one per table
};

// Thrown inside the parser only; parse_toml turns it into a TomlError.
struct Failure {
  std::size_t pos;
  std::string message;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_bare_key_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}
bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    char32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07, min = 0x10000;
    else return i;
    if (i + n >= s.size()) return i;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A run of digits with single underscores between them ("1_000"), as TOML allows.
bool valid_digit_group(std::string_view s, bool (*digit)(char)) {
  if (s.empty() || !digit(s.front()) || !digit(s.back())) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i + 1] == '_') return false;  // s.back() is a digit, so i + 1 is in range
    } else if (!digit(s[i])) {
      return false;
    }
  }
  return true;
}

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

std::string quote_key(std::string_view key) { return "\"" + std::string(key.substr(0, 80)) + "\""; }

class Parser {
 public:
  Parser(std::string_view text, const TomlLimits& limits) : s_(text), limits_(limits) {}

  json parse() {
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    while (true) {
      skip_ws();
      if (at_end()) break;
      char c = s_[pos_];
      if (c == '[') {
        header();
      } else if (c != '#' && c != '\n' && c != '\r') {
        key_value(*table_, *table_meta_, table_depth_);
      }
      end_of_line();
    }
    return std::move(root_);
  }

 private:
  [[noreturn]] void fail(std::string message) const { throw Failure{pos_, std::move(message)}; }
  [[noreturn]] void fail_at(std::size_t pos, std::string message) const { throw Failure{pos, std::move(message)}; }

  bool at_end() const { return pos_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool looking_at(std::string_view what) const { return s_.substr(pos_).starts_with(what); }

  void skip_ws() {
    while (!at_end() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }

  void skip_comment() {
    while (!at_end() && s_[pos_] != '\n') {
      if (s_[pos_] != '\r' && is_control(static_cast<unsigned char>(s_[pos_]))) fail("control character in a comment");
      if (s_[pos_] == '\r' && peek(1) != '\n') fail("carriage return without a line feed");
      ++pos_;
    }
  }

  // A newline: "\n" or "\r\n". Returns false (consuming nothing) when there is none.
  bool newline() {
    if (peek() == '\n') {
      ++pos_;
      return true;
    }
    if (peek() == '\r' && peek(1) == '\n') {
      pos_ += 2;
      return true;
    }
    return false;
  }

  // After a statement: optional whitespace and comment, then a newline or the end.
  void end_of_line() {
    skip_ws();
    if (peek() == '#') skip_comment();
    if (at_end() || newline()) return;
    fail(peek() == '\r' ? "carriage return without a line feed"
                        : "unexpected character " + describe_char() + " (expected a newline or a comment)");
  }

  // Whitespace, comments and newlines, as allowed between array elements.
  void skip_ws_comments_newlines() {
    while (true) {
      skip_ws();
      if (peek() == '#') skip_comment();
      if (!newline()) return;
    }
  }

  std::string describe_char() const {
    auto c = static_cast<unsigned char>(peek());
    if (at_end()) return "end of input";
    if (c == '\n' || c == '\r') return "end of line";
    if (c < 0x20 || c == 0x7f) return "control character " + std::to_string(c);
    return "'" + std::string(1, static_cast<char>(c)) + "'";
  }

  void count_entry() {
    if (++entries_ > limits_.max_entries)
      fail("more than " + std::to_string(limits_.max_entries) + " keys and array elements");
  }

  void check_depth(std::size_t depth) const {
    if (depth > limits_.max_depth) fail("nested deeper than " + std::to_string(limits_.max_depth) + " levels");
  }

  // ---- keys ----

  std::string simple_key() {
    char c = peek();
    if (c == '"') {
      if (looking_at("\"\"\"")) fail("a key cannot be a multi-line string");
      return basic_string();
    }
    if (c == '\'') {
      if (looking_at("'''")) fail("a key cannot be a multi-line string");
      return literal_string();
    }
    std::size_t start = pos_;
    while (!at_end() && is_bare_key_char(s_[pos_])) ++pos_;
    if (pos_ == start) fail("expected a key, found " + describe_char());
    return std::string(s_.substr(start, pos_ - start));
  }

  std::vector<std::string> dotted_key(std::size_t depth) {
    std::vector<std::string> keys;
    while (true) {
      skip_ws();
      keys.push_back(simple_key());
      check_depth(depth + keys.size());
      skip_ws();
      if (peek() != '.') return keys;
      ++pos_;
    }
  }

  static std::string joined(const std::vector<std::string>& keys, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += (i ? "." : "") + keys[i];
    return quote_key(out);
  }

  // ---- tables ----

  void header() {
    const std::size_t start = pos_;
    const bool array = looking_at("[[");
    pos_ += array ? 2 : 1;
    auto keys = dotted_key(0);
    if (peek() != ']') fail("expected ']' to close the table header, found " + describe_char());
    ++pos_;
    if (array) {
      if (peek() != ']') fail("expected ']]' to close the array-of-tables header");
      ++pos_;
    }
    open_table(keys, array, start);
  }

  void open_table(const std::vector<std::string>& keys, bool array, std::size_t start) {
    json* t = &root_;
    Meta* m = &root_meta_;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
      auto it = m->children.find(keys[i]);
      if (it == m->children.end()) {
        count_entry();
        it = m->children.emplace(keys[i], std::make_unique<Meta>(Kind::Implicit)).first;
        (*t)[keys[i]] = json::object();
      }
      Meta& child = *it->second;
      if (child.kind == Kind::Value)
        fail_at(start, "table " + joined(keys, keys.size()) + ": key " + joined(keys, i + 1) + " already holds a value");
      t = &(*t)[keys[i]];
      m = &child;
      if (child.kind == Kind::ArrayOfTables) {
        t = &t->back();
        m = child.elements.back().get();
      }
    }
    const std::string& last = keys.back();
    auto it = m->children.find(last);
    if (array) {
      if (it == m->children.end()) {
        count_entry();
        it = m->children.emplace(last, std::make_unique<Meta>(Kind::ArrayOfTables)).first;
        (*t)[last] = json::array();
      } else if (it->second->kind != Kind::ArrayOfTables) {
        fail_at(start, "array of tables " + joined(keys, keys.size()) + ": the key is already defined as something else");
      }
      count_entry();
      json& array_json = (*t)[last];
      array_json.push_back(json::object());
      it->second->elements.push_back(std::make_unique<Meta>(Kind::Header));
      table_ = &array_json.back();
      table_meta_ = it->second->elements.back().get();
    } else {
      if (it == m->children.end()) {
        count_entry();
        it = m->children.emplace(last, std::make_unique<Meta>(Kind::Header)).first;
        (*t)[last] = json::object();
      } else if (it->second->kind == Kind::Implicit) {
        it->second->kind = Kind::Header;
      } else {
        fail_at(start, "table " + joined(keys, keys.size()) + " is defined twice");
      }
      table_ = &(*t)[last];
      table_meta_ = it->second.get();
    }
    table_depth_ = keys.size();
  }

  // key = value, into `table` (the current table, or an inline table being read).
  void key_value(json& table, Meta& meta, std::size_t depth) {
    const std::size_t start = pos_;
    auto keys = dotted_key(depth);
    if (peek() != '=') fail("expected '=' after key " + joined(keys, keys.size()) + ", found " + describe_char());
    ++pos_;
    skip_ws();
    json value = parse_value(depth + keys.size());
    json* t = &table;
    Meta* m = &meta;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
      auto it = m->children.find(keys[i]);
      if (it == m->children.end()) {
        count_entry();
        it = m->children.emplace(keys[i], std::make_unique<Meta>(Kind::Dotted)).first;
        (*t)[keys[i]] = json::object();
      } else if (it->second->kind != Kind::Dotted) {
        fail_at(start, "key " + joined(keys, i + 1) + " is already defined; dotted keys cannot add to it");
      }
      t = &(*t)[keys[i]];
      m = it->second.get();
    }
    if (m->children.contains(keys.back())) fail_at(start, "key " + joined(keys, keys.size()) + " is defined twice");
    count_entry();
    m->children.emplace(keys.back(), std::make_unique<Meta>(Kind::Value));
    (*t)[keys.back()] = std::move(value);
  }

  // ---- values ----

  json parse_value(std::size_t depth) {
    check_depth(depth);
    switch (peek()) {
      case '"': return looking_at("\"\"\"") ? multiline_basic_string() : basic_string();
      case '\'': return looking_at("'''") ? multiline_literal_string() : literal_string();
      case '[': return array(depth);
      case '{': return inline_table(depth);
      case 't':
        if (looking_at("true")) {
          pos_ += 4;
          return true;
        }
        break;
      case 'f':
        if (looking_at("false")) {
          pos_ += 5;
          return false;
        }
        break;
      default:
        if (date_at(pos_)) return date_time();
        if (time_at(pos_)) return local_time();
        if (is_digit(peek()) || peek() == '+' || peek() == '-' || peek() == 'i' || peek() == 'n') return number();
    }
    fail("expected a value, found " + describe_char());
  }

  json array(std::size_t depth) {
    const std::size_t start = pos_++;
    json out = json::array();
    while (true) {
      skip_ws_comments_newlines();
      if (at_end()) fail_at(start, "unterminated array");
      if (peek() == ']') break;
      out.push_back(parse_value(depth + 1));
      count_entry();
      skip_ws_comments_newlines();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') break;
      if (at_end()) fail_at(start, "unterminated array");
      fail("expected ',' or ']' in an array, found " + describe_char());
    }
    ++pos_;
    return out;
  }

  json inline_table(std::size_t depth) {
    const std::size_t start = pos_++;
    json out = json::object();
    Meta meta(Kind::Header);
    skip_ws();
    if (peek() == '}') {
      ++pos_;
      return out;
    }
    while (true) {
      skip_ws();
      if (at_end() || peek() == '\n' || peek() == '\r') fail_at(start, "inline table not closed on its line");
      key_value(out, meta, depth + 1);
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') break;
      if (at_end() || peek() == '\n' || peek() == '\r') fail_at(start, "inline table not closed on its line");
      fail("expected ',' or '}' in an inline table, found " + describe_char());
    }
    ++pos_;
    return out;
  }

  // ---- strings ----

  void escape(std::string& out) {
    const std::size_t start = pos_;
    ++pos_;  // the backslash
    char e = peek();
    ++pos_;
    switch (e) {
      case 'b': out += '\b'; return;
      case 't': out += '\t'; return;
      case 'n': out += '\n'; return;
      case 'f': out += '\f'; return;
      case 'r': out += '\r'; return;
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case 'u':
      case 'U': {
        const std::size_t n = e == 'u' ? 4 : 8;
        char32_t cp = 0;
        for (std::size_t i = 0; i < n; ++i) {
          char h = peek();
          int v = is_digit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
          if (v < 0) fail_at(start, std::string("\\") + e + " escape needs " + std::to_string(n) + " hex digits");
          cp = (cp << 4) | static_cast<char32_t>(v);
          ++pos_;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          fail_at(start, "escape names no Unicode scalar value");
        append_utf8(out, cp);
        return;
      }
      default: fail_at(start, "invalid escape sequence");
    }
  }

  // Checks one literal character of a string body and appends it.
  void string_char(std::string& out, bool multiline) {
    char c = s_[pos_];
    if (c == '\n' || c == '\r') {
      if (!multiline) fail("newline in a single-line string");
      if (!newline()) fail("carriage return without a line feed");
      out += '\n';
      return;
    }
    if (is_control(static_cast<unsigned char>(c))) fail("control character in a string (use an escape)");
    out += c;
    ++pos_;
  }

  std::string basic_string() {
    const std::size_t start = pos_++;
    std::string out;
    while (true) {
      if (at_end()) fail_at(start, "unterminated string");
      char c = s_[pos_];
      if (c == '"') break;
      if (c == '\\') escape(out);
      else string_char(out, false);
    }
    ++pos_;
    return out;
  }

  std::string literal_string() {
    const std::size_t start = pos_++;
    std::string out;
    while (true) {
      if (at_end()) fail_at(start, "unterminated string");
      if (s_[pos_] == '\'') break;
      string_char(out, false);
    }
    ++pos_;
    return out;
  }

  // """...""" and '''...''': a newline right after the opening delimiter is dropped, and
  // up to two quote characters may sit just before the closing one.
  std::string multiline_string(char quote) {
    const std::size_t start = pos_;
    pos_ += 3;
    newline();
    std::string out;
    while (true) {
      if (at_end()) fail_at(start, "unterminated multi-line string");
      char c = s_[pos_];
      if (c == quote) {
        std::size_t run = 0;
        while (peek(run) == quote) ++run;
        if (run < 3) {
          out.append(run, quote);
          pos_ += run;
          continue;
        }
        if (run > 5) fail("too many quotes at the end of a multi-line string");
        out.append(run - 3, quote);
        pos_ += run;
        return out;
      }
      if (c == '\\' && quote == '"') {
        // A backslash ending a line joins it to the next non-blank text.
        std::size_t p = pos_ + 1;
        while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
        if (p < s_.size() && (s_[p] == '\n' || s_[p] == '\r')) {
          pos_ = p;
          while (true) {
            if (peek() == ' ' || peek() == '\t') ++pos_;
            else if (!newline()) break;
          }
          if (peek() == '\r') fail("carriage return without a line feed");
          continue;
        }
        escape(out);
        continue;
      }
      string_char(out, true);
    }
  }
  std::string multiline_basic_string() { return multiline_string('"'); }
  std::string multiline_literal_string() { return multiline_string('\''); }

  // ---- numbers ----

  json number() {
    const std::size_t start = pos_;
    while (!at_end() && (is_bare_key_char(s_[pos_]) || s_[pos_] == '+' || s_[pos_] == '.')) ++pos_;
    std::string_view token = s_.substr(start, pos_ - start);
    auto bad = [&]() -> json { fail_at(start, "malformed number " + quote_key(token)); };
    std::string_view body = token;
    const bool sign = !body.empty() && (body.front() == '+' || body.front() == '-');
    if (sign) body.remove_prefix(1);
    if (body == "inf") return token.front() == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (body == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
      if (sign) return bad();
      int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
      auto digit = base == 16   ? +[](char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
                   : base == 8 ? +[](char c) { return c >= '0' && c <= '7'; }
                               : +[](char c) { return c == '0' || c == '1'; };
      if (!valid_digit_group(body.substr(2), digit)) return bad();
      std::string digits = without_underscores(body.substr(2));
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
      if (ec != std::errc() || end != digits.data() + digits.size()) fail_at(start, "integer out of range " + quote_key(token));
      return v;
    }
    // Decimal: integer part, optional fraction, optional exponent.
    std::size_t int_end = body.find_first_of(".eE");
    std::string_view int_part = body.substr(0, int_end);
    if (!valid_digit_group(int_part, is_digit)) return bad();
    if (int_part.size() > 1 && int_part[0] == '0') fail_at(start, "leading zero in number " + quote_key(token));
    bool is_float = false;
    if (int_end != std::string_view::npos) {
      std::string_view rest = body.substr(int_end);
      if (rest.front() == '.') {
        std::size_t frac_end = rest.find_first_of("eE");
        if (!valid_digit_group(rest.substr(1, frac_end == std::string_view::npos ? std::string_view::npos : frac_end - 1), is_digit))
          return bad();
        rest = frac_end == std::string_view::npos ? std::string_view() : rest.substr(frac_end);
      }
      if (!rest.empty()) {
        rest.remove_prefix(1);  // e or E
        if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) rest.remove_prefix(1);
        if (!valid_digit_group(rest, is_digit)) return bad();
      }
      is_float = true;
    }
    std::string digits = without_underscores(token.front() == '+' ? token.substr(1) : token);
    if (is_float) {
      double v = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || end != digits.data() + digits.size()) fail_at(start, "float out of range " + quote_key(token));
      return v;
    }
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) fail_at(start, "integer out of range " + quote_key(token));
    return v;
  }

  // ---- dates and times (kept as written) ----

  bool digits_at(std::size_t p, std::size_t n) const {
    if (p + n > s_.size()) return false;
    for (std::size_t i = 0; i < n; ++i)
      if (!is_digit(s_[p + i])) return false;
    return true;
  }
  bool date_at(std::size_t p) const { return digits_at(p, 4) && p + 4 < s_.size() && s_[p + 4] == '-'; }
  bool time_at(std::size_t p) const { return digits_at(p, 2) && p + 2 < s_.size() && s_[p + 2] == ':'; }
  int two_digits(std::size_t p) const { return (s_[p] - '0') * 10 + (s_[p + 1] - '0'); }

  void time_part(std::size_t start) {
    if (!digits_at(pos_, 2) || peek(2) != ':' || !digits_at(pos_ + 3, 2) || peek(5) != ':' || !digits_at(pos_ + 6, 2))
      fail_at(start, "malformed time (expected HH:MM:SS)");
    if (two_digits(pos_) > 23 || two_digits(pos_ + 3) > 59 || two_digits(pos_ + 6) > 60)
      fail_at(start, "time out of range");
    pos_ += 8;
    if (peek() == '.') {
      ++pos_;
      std::size_t digits = 0;
      while (is_digit(peek())) ++pos_, ++digits;
      if (digits == 0) fail_at(start, "malformed fractional seconds");
    }
  }

  std::string date_time() {
    const std::size_t start = pos_;
    if (!digits_at(pos_ + 5, 2) || peek(7) != '-' || !digits_at(pos_ + 8, 2)) fail_at(start, "malformed date (expected YYYY-MM-DD)");
    const int year = std::stoi(std::string(s_.substr(pos_, 4)));
    const int month = two_digits(pos_ + 5), day = two_digits(pos_ + 8);
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap))
      fail_at(start, "date out of range");
    pos_ += 10;
    const char sep = peek();
    if (sep == 'T' || sep == 't' || (sep == ' ' && time_at(pos_ + 1))) {
      ++pos_;
      time_part(start);
      if (peek() == 'Z' || peek() == 'z') {
        ++pos_;
      } else if (peek() == '+' || peek() == '-') {
        ++pos_;
        if (!digits_at(pos_, 2) || peek(2) != ':' || !digits_at(pos_ + 3, 2) || two_digits(pos_) > 23 || two_digits(pos_ + 3) > 59)
          fail_at(start, "malformed time offset");
        pos_ += 5;
      }
    }
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string local_time() {
    const std::size_t start = pos_;
    time_part(start);
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string_view s_;
  const TomlLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t entries_ = 0;
  json root_ = json::object();
  Meta root_meta_{Kind::Header};
  json* table_ = &root_;
  Meta* table_meta_ = &root_meta_;
  std::size_t table_depth_ = 0;
};

TomlError error_at(std::string_view text, std::size_t pos, std::string message) {
  pos = std::min(pos, text.size());
  TomlError e;
  e.line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i)
    if (text[i] == '\n') ++e.line, line_start = i + 1;
  e.column = pos - line_start + 1;
  e.message = std::move(message);
  return e;
}

}  // namespace

std::string TomlError::to_string() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

std::expected<nlohmann::json, TomlError> parse_toml(std::string_view text, const TomlLimits& limits) {
  if (text.size() > limits.max_bytes)
    return std::unexpected(TomlError{1, 1, "document of " + std::to_string(text.size()) + " bytes is larger than the " +
                                               std::to_string(limits.max_bytes) + "-byte limit"});
  if (auto bad = invalid_utf8_at(text); bad != std::string_view::npos)
    return std::unexpected(error_at(text, bad, "invalid UTF-8"));
  try {
    return Parser(text, limits).parse();
  } catch (const Failure& f) {
    return std::unexpected(error_at(text, f.pos, f.message));
  }
}

}  // namespace cairn::sbom
