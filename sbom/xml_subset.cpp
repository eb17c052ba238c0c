#include "sbom/xml_subset.h"

#include <cstdint>

namespace cairn::sbom {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_char(char c) {
  return !is_space(c) && c != '<' && c != '>' && c != '/' && c != '=' && c != '"' && c != '\'' && c != '&';
}

std::string local_name(std::string_view qualified) {
  auto colon = qualified.rfind(':');
  return std::string(colon == std::string_view::npos ? qualified : qualified.substr(colon + 1));
}

void append_utf8(std::string& out, std::uint32_t cp) {
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

// The code point of a numeric character reference body ("#65", "#x41"), or 0 when it
// is malformed or names no character XML allows.
std::uint32_t char_ref_value(std::string_view body) {
  if (body.size() < 2 || body[0] != '#') return 0;
  const bool hex = body[1] == 'x' || body[1] == 'X';
  std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return 0;
  std::uint32_t value = 0;
  for (char c : digits) {
    std::uint32_t d;
    if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
    else if (hex && c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
    else return 0;
    value = value * (hex ? 16 : 10) + d;
    if (value > 0x10FFFF) return 0;
  }
  if (value >= 0xD800 && value <= 0xDFFF) return 0;
  if (value < 0x20 && value != '\t' && value != '\n' && value != '\r') return 0;
  return value;
}

class Parser {
 public:
  Parser(std::string_view text, const XmlLimits& limits) : s_(text), limits_(limits) {}

  Result<XmlElement> document() {
    if (s_.size() > limits_.max_bytes)
      return input_error("XML document of " + std::to_string(s_.size()) + " bytes exceeds the " +
                         std::to_string(limits_.max_bytes) + "-byte limit");
    if (s_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    for (;;) {
      skip_space();
      if (pos_ >= s_.size()) return input_error("no root element");
      if (starts("<?")) {
        if (auto r = skip_past("?>", "processing instruction"); !r) return std::unexpected(r.error());
      } else if (starts("<!--")) {
        if (auto r = skip_past("-->", "comment"); !r) return std::unexpected(r.error());
      } else if (starts("<!DOCTYPE")) {
        if (auto r = skip_doctype(); !r) return std::unexpected(r.error());
      } else if (s_[pos_] == '<') {
        XmlElement root;
        if (auto r = element(root, 1); !r) return std::unexpected(r.error());
        return root;
      } else {
        return fail_at("text before the root element");
      }
    }
  }

 private:
  bool starts(std::string_view token) const { return s_.substr(pos_).starts_with(token); }

  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }

  std::unexpected<Error> fail_at(const std::string& what) const {
    return input_error(what + " at byte " + std::to_string(pos_));
  }

  Status skip_past(std::string_view terminator, const char* what) {
    auto end = s_.find(terminator, pos_);
    if (end == std::string_view::npos) return fail_at(std::string("unterminated ") + what);
    pos_ = end + terminator.size();
    return {};
  }

  // <!DOCTYPE name ... [ internal subset ]> : skipped, quotes and brackets respected.
  Status skip_doctype() {
    int brackets = 0;
    char quote = 0;
    for (std::size_t i = pos_ + 9; i < s_.size(); ++i) {
      char c = s_[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        ++brackets;
      } else if (c == ']') {
        --brackets;
      } else if (c == '>' && brackets <= 0) {
        pos_ = i + 1;
        return {};
      }
    }
    return fail_at("unterminated DOCTYPE");
  }

  std::string name() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }

  // Character data up to `stop` with references decoded into `out`.
  void decode_into(std::string& out, std::string_view raw) {
    std::size_t i = 0;
    while (i < raw.size()) {
      char c = raw[i];
      if (c != '&') {
        out += c;
        ++i;
        continue;
      }
      auto semi = raw.find(';', i + 1);
      if (semi == std::string_view::npos || semi - i > 12) {
        out += c;
        ++i;
        continue;
      }
      std::string_view body = raw.substr(i + 1, semi - i - 1);
      if (body == "lt") out += '<';
      else if (body == "gt") out += '>';
      else if (body == "amp") out += '&';
      else if (body == "quot") out += '"';
      else if (body == "apos") out += '\'';
      else if (std::uint32_t cp = char_ref_value(body)) append_utf8(out, cp);
      else out.append(raw.substr(i, semi - i + 1));  // undeclared entity: kept as written
      i = semi + 1;
    }
  }

  Status attributes(XmlElement& e) {
    for (;;) {
      skip_space();
      if (pos_ >= s_.size()) return fail_at("unterminated start tag <" + e.name + ">");
      if (s_[pos_] == '>' || starts("/>")) return {};
      std::string key = name();
      if (key.empty()) return fail_at("bad attribute in <" + e.name + ">");
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != '=') return fail_at("attribute " + key + " without a value");
      ++pos_;
      skip_space();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) return fail_at("unquoted attribute " + key);
      char quote = s_[pos_++];
      auto end = s_.find(quote, pos_);
      if (end == std::string_view::npos) return fail_at("unterminated attribute " + key);
      std::string value;
      decode_into(value, s_.substr(pos_, end - pos_));
      pos_ = end + 1;
      e.attributes.emplace_back(local_name(key), std::move(value));
    }
  }

  Status element(XmlElement& e, std::size_t depth) {
    if (depth > limits_.max_depth) return fail_at("elements nested deeper than " + std::to_string(limits_.max_depth));
    if (++elements_ > limits_.max_elements)
      return fail_at("more than " + std::to_string(limits_.max_elements) + " elements");
    ++pos_;  // '<'
    const std::string qualified = name();
    if (qualified.empty()) return fail_at("element without a name");
    e.name = local_name(qualified);
    if (auto r = attributes(e); !r) return r;
    if (starts("/>")) {
      pos_ += 2;
      return {};
    }
    ++pos_;  // '>'
    for (;;) {
      if (pos_ >= s_.size()) return fail_at("unterminated element <" + qualified + ">");
      if (starts("</")) {
        pos_ += 2;
        std::string closing = name();
        skip_space();
        if (closing != qualified) return fail_at("</" + closing + "> closes <" + qualified + ">");
        if (pos_ >= s_.size() || s_[pos_] != '>') return fail_at("unterminated end tag </" + closing + ">");
        ++pos_;
        return {};
      }
      if (starts("<!--")) {
        if (auto r = skip_past("-->", "comment"); !r) return r;
      } else if (starts("<![CDATA[")) {
        auto end = s_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos) return fail_at("unterminated CDATA section");
        e.text.append(s_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (starts("<?")) {
        if (auto r = skip_past("?>", "processing instruction"); !r) return r;
      } else if (starts("<!")) {
        return fail_at("markup declaration inside <" + qualified + ">");
      } else if (s_[pos_] == '<') {
        e.children.emplace_back();
        if (auto r = element(e.children.back(), depth + 1); !r) return r;
      } else {
        auto next = s_.find('<', pos_);
        if (next == std::string_view::npos) next = s_.size();
        decode_into(e.text, s_.substr(pos_, next - pos_));
        pos_ = next;
      }
    }
  }

  std::string_view s_;
  XmlLimits limits_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
};

}  // namespace

std::string xml_trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

const XmlElement* XmlElement::child(std::string_view local) const {
  for (const auto& c : children)
    if (c.name == local) return &c;
  return nullptr;
}

std::string XmlElement::child_text(std::string_view local) const {
  const XmlElement* c = child(local);
  return c ? xml_trim(c->text) : std::string();
}

Result<XmlElement> parse_xml(std::string_view text, const XmlLimits& limits) {
  return Parser(text, limits).document();
}

}  // namespace cairn::sbom
