#include "sbom/catalogers/php_serialized.h"

#include <charconv>
#include <cstdlib>
#include <optional>

namespace cairn::sbom {

namespace {

// The fewest bytes one array element (key and value) can take: "i:0;N;".
constexpr std::size_t kMinEntryBytes = 6;

class Parser {
 public:
  explicit Parser(std::string_view bytes) : in_(bytes) {}

  Result<PhpValue> value(std::size_t depth) {
    if (depth > kMaxPhpSerializedDepth) return fail("arrays nested deeper than " + std::to_string(kMaxPhpSerializedDepth));
    if (++values_ > kMaxPhpSerializedValues) return fail("more than " + std::to_string(kMaxPhpSerializedValues) + " values");
    if (pos_ >= in_.size()) return fail("a value, found the end of the data");
    const char type = in_[pos_++];
    PhpValue v;
    switch (type) {
      case 'N':
        if (!expect(';')) return fail("';' after N");
        return v;
      case 'b': {
        if (!expect(':')) return fail("':' after b");
        auto n = integer(';');
        if (!n || (*n != 0 && *n != 1)) return fail("a boolean 0 or 1");
        v.kind = PhpValue::Kind::Bool;
        v.boolean = *n == 1;
        return v;
      }
      case 'i': {
        if (!expect(':')) return fail("':' after i");
        auto n = integer(';');
        if (!n) return fail("a decimal integer ending in ';'");
        v.kind = PhpValue::Kind::Int;
        v.integer = *n;
        return v;
      }
      case 'd': {
        if (!expect(':')) return fail("':' after d");
        auto end = in_.find(';', pos_);
        if (end == std::string_view::npos || end - pos_ > 64) return fail("a float ending in ';'");
        std::string text(in_.substr(pos_, end - pos_));
        pos_ = end + 1;
        v.kind = PhpValue::Kind::Double;
        char* stop = nullptr;
        v.number = std::strtod(text.c_str(), &stop);  // "INF", "NAN", "-INF" included
        if (text.empty() || stop != text.c_str() + text.size()) return fail("a float, found \"" + text + "\"");
        return v;
      }
      case 's': {
        auto s = string_body();
        if (!s) return std::unexpected(s.error());
        v.kind = PhpValue::Kind::String;
        v.string = std::move(*s);
        return v;
      }
      case 'a':
        return array(depth);
      default:
        --pos_;
        return fail(std::string("a type letter N, b, i, d, s or a; found '") +
                    (static_cast<unsigned char>(type) < 0x20 || static_cast<unsigned char>(type) >= 0x7f ? '?' : type) +
                    "' (objects, references and enums are not read)");
    }
  }

 private:
  std::unexpected<Error> fail(const std::string& expected) const {
    return input_error("serialized data at byte " + std::to_string(pos_) + ": expected " + expected);
  }

  bool expect(char c) {
    if (pos_ >= in_.size() || in_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // A decimal integer (optional sign) terminated by `end`, with overflow checked.
  std::optional<long long> integer(char end) {
    auto stop = in_.find(end, pos_);
    if (stop == std::string_view::npos || stop == pos_ || stop - pos_ > 21) return std::nullopt;
    std::string_view digits = in_.substr(pos_, stop - pos_);
    if (digits.front() == '+') digits.remove_prefix(1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
    pos_ = stop + 1;
    return n;
  }

  // After "s": `:<len>:"<len bytes>";`
  Result<std::string> string_body() {
    if (!expect(':')) return fail("':' after s");
    auto length = integer(':');
    if (!length || *length < 0) return fail("a string length ending in ':'");
    if (!expect('"')) return fail("'\"' opening a string");
    const std::size_t remaining = in_.size() - pos_;
    // The length is checked before anything is copied: a hostile s:999999999: costs nothing.
    if (static_cast<unsigned long long>(*length) + 2 > remaining) {
      return fail("a string of " + std::to_string(*length) + " bytes, but only " + std::to_string(remaining) +
                  " bytes remain");
    }
    std::string s(in_.substr(pos_, static_cast<std::size_t>(*length)));
    pos_ += static_cast<std::size_t>(*length);
    if (!expect('"') || !expect(';')) return fail("'\";' closing a string of the declared length");
    return s;
  }

  // After "a": `:<count>:{<key><value>...}`
  Result<PhpValue> array(std::size_t depth) {
    if (!expect(':')) return fail("':' after a");
    auto count = integer(':');
    if (!count || *count < 0) return fail("an element count ending in ':'");
    if (!expect('{')) return fail("'{' opening an array");
    const std::size_t remaining = in_.size() - pos_;
    if (static_cast<unsigned long long>(*count) > remaining / kMinEntryBytes) {
      return fail("an array of " + std::to_string(*count) + " elements, but only " + std::to_string(remaining) +
                  " bytes remain");
    }
    PhpValue v;
    v.kind = PhpValue::Kind::Array;
    v.entries.reserve(static_cast<std::size_t>(*count));
    for (long long i = 0; i < *count; ++i) {
      auto key = array_key();
      if (!key) return std::unexpected(key.error());
      auto item = value(depth + 1);
      if (!item) return std::unexpected(item.error());
      v.entries.push_back({std::move(*key), std::move(*item)});
    }
    if (!expect('}')) return fail("'}' closing an array of " + std::to_string(*count) + " elements");
    return v;
  }

  // Array keys are integers or strings.
  Result<std::string> array_key() {
    if (pos_ >= in_.size()) return fail("an array key, found the end of the data");
    const char type = in_[pos_++];
    if (type == 'i') {
      if (!expect(':')) return fail("':' after i");
      auto n = integer(';');
      if (!n) return fail("an integer key ending in ';'");
      return std::to_string(*n);
    }
    if (type == 's') return string_body();
    --pos_;
    return fail("an integer or string array key");
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
};

}  // namespace

const PhpValue* PhpValue::find(std::string_view key) const {
  if (kind != Kind::Array) return nullptr;
  for (const auto& entry : entries)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

std::string PhpValue::string_at(std::string_view key) const {
  const PhpValue* v = find(key);
  return v && v->kind == Kind::String ? v->string : "";
}

Result<PhpValue> parse_php_serialized(std::string_view bytes) { return Parser(bytes).value(0); }

}  // namespace cairn::sbom
