#include "sbom/catalogers/gemspec.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace cairn::sbom {

namespace {

// Bounds for hostile specs: real ones list at most a few thousand files.
constexpr std::size_t kMaxListItems = 100000;

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void append_utf8(std::string& out, unsigned long cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;  // not a scalar value
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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A cursor over the spec text; every read is checked against the end.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) { pos_ = std::min(pos, text_.size()); }

  void skip_blanks() {  // within a line
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  void skip_space() {  // across lines, as inside an array literal
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
  }
  void skip_line() {
    while (!at_end() && peek() != '\n') ++pos_;
    if (!at_end()) ++pos_;
  }

  std::string_view identifier() {
    if (!is_ident_start(peek())) return {};
    std::size_t start = pos_;
    while (!at_end() && is_ident_char(peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // A Ruby string literal with an optional `.freeze`; nullopt if there is none here or
  // it is not closed.
  std::optional<std::string> string_literal() {
    const char quote = peek();
    if (quote != '"' && quote != '\'') return std::nullopt;
    ++pos_;
    std::string out;
    while (!at_end()) {
      char c = text_[pos_++];
      if (c == quote) {
        consume(".freeze");
        return out;
      }
      if (c != '\\' || at_end()) {
        out += c;
        continue;
      }
      char e = text_[pos_++];
      if (quote == '\'') {  // single quotes only escape the quote and the backslash
        if (e != '\'' && e != '\\') out += '\\';
        out += e;
        continue;
      }
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'e': out += '\x1b'; break;
        case 's': out += ' '; break;
        case '0': out += '\0'; break;
        case 'u': out += unicode_escape(); break;
        default: out += e;  // \" \\ \# and unknown escapes stand for the character
      }
    }
    return std::nullopt;
  }

 private:
  // After "\u": XXXX or {X...}; malformed escapes are kept as written.
  std::string unicode_escape() {
    std::string out;
    if (peek() == '{') {
      std::size_t end = text_.find('}', pos_);
      if (end == std::string_view::npos || end - pos_ > 7) return "\\u";
      unsigned long cp = 0;
      for (std::size_t i = pos_ + 1; i < end; ++i) {
        int v = hex_value(text_[i]);
        if (v < 0) return "\\u";
        cp = cp * 16 + static_cast<unsigned long>(v);
      }
      pos_ = end + 1;
      append_utf8(out, cp);
      return out;
    }
    unsigned long cp = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      int v = hex_value(peek(i));
      if (v < 0) return "\\u";
      cp = cp * 16 + static_cast<unsigned long>(v);
    }
    pos_ += 4;
    append_utf8(out, cp);
    return out;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// `[ "a".freeze, 'b' ]`, possibly over several lines; nullopt unless every element is a
// string literal.
std::optional<std::vector<std::string>> string_array(Reader& in) {
  if (!in.consume("[")) return std::nullopt;
  std::vector<std::string> items;
  in.skip_space();
  if (in.consume("]")) return items;
  while (!in.at_end()) {
    in.skip_space();
    auto item = in.string_literal();
    if (!item || items.size() >= kMaxListItems) return std::nullopt;
    items.push_back(std::move(*item));
    in.skip_space();
    if (in.consume("]")) {
      in.consume(".freeze");
      return items;
    }
    if (!in.consume(",")) return std::nullopt;
  }
  return std::nullopt;
}

// "#{s.name}", "#{spec.version}", "#{name}": the expression names the spec's own field.
std::optional<std::string> interpolated_field(std::string_view expression) {
  auto dot = expression.rfind('.');
  std::string_view field = dot == std::string_view::npos ? expression : expression.substr(dot + 1);
  if (dot != std::string_view::npos) {
    std::string_view receiver = expression.substr(0, dot);
    if (receiver.empty() || !is_ident_start(receiver.front())) return std::nullopt;
    for (char c : receiver)
      if (!is_ident_char(c)) return std::nullopt;
  }
  if (field == "name" || field == "version") return std::string(field);
  return std::nullopt;
}

std::string resolve_interpolation(const std::string& value, const Gemspec& spec) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    auto open = value.find("#{", i);
    if (open == std::string::npos) break;
    auto close = value.find('}', open + 2);
    if (close == std::string::npos) break;
    out.append(value, i, open - i);
    auto field = interpolated_field(std::string_view(value).substr(open + 2, close - open - 2));
    if (field == "name" && !spec.name.empty()) {
      out += spec.name;
    } else if (field == "version" && !spec.version.empty()) {
      out += spec.version;
    } else {
      out.append(value, open, close + 1 - open);
    }
    i = close + 1;
  }
  out.append(value, std::min(i, value.size()));
  return out;
}

}  // namespace

Result<Gemspec> parse_gemspec(std::string_view text) {
  Gemspec spec;
  Reader in(text);
  while (!in.at_end()) {
    const std::size_t line_start = in.pos();
    in.skip_blanks();
    // <receiver>.<field> = <literal>
    if (in.identifier().empty() || !in.consume(".")) {
      in.seek(line_start);
      in.skip_line();
      continue;
    }
    std::string_view field = in.identifier();
    in.skip_blanks();
    if (field.empty() || !in.consume("=") || in.peek() == '=' || in.peek() == '~') {
      in.seek(line_start);
      in.skip_line();
      continue;
    }
    in.skip_blanks();
    if (field == "name" || field == "version" || field == "homepage" || field == "license") {
      if (auto value = in.string_literal()) {
        if (field == "name") spec.name = std::move(*value);
        if (field == "version") spec.version = std::move(*value);
        if (field == "homepage") spec.homepage = std::move(*value);
        if (field == "license") spec.licenses = {std::move(*value)};
      }
    } else if (field == "files" || field == "authors" || field == "licenses") {
      // Not a literal array: reading goes on from where it stopped (never back, so a
      // hostile spec cannot make this quadratic).
      if (auto items = string_array(in)) {
        if (field == "files") spec.files = std::move(*items);
        if (field == "authors") spec.authors = std::move(*items);
        if (field == "licenses") spec.licenses = std::move(*items);
      }
    }
    // The rest of the line (a trailing `if s.respond_to? ...`) says nothing more.
    in.skip_line();
  }
  if (spec.name.empty()) return input_error("field \"name\": no string literal assigned to the spec's name");
  if (spec.version.empty()) return input_error("field \"version\": no string literal assigned to the spec's version");

  spec.homepage = resolve_interpolation(spec.homepage, spec);
  if (spec.homepage.find("#{") != std::string::npos) spec.homepage.clear();
  for (auto* list : {&spec.files, &spec.authors, &spec.licenses})
    for (auto& item : *list) item = resolve_interpolation(item, spec);
  return spec;
}

}  // namespace cairn::sbom
