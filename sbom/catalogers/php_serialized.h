#pragma once
// PHP's serialize() format, as PEAR writes its registry (.registry/**/*.reg): null,
// booleans, integers, floats, byte strings and (nested) arrays. A bounded reader for
// hostile bytes: every length and count is checked against the bytes that remain before
// anything is read or allocated, nesting is capped, and objects (O:, C:), references
// (r:, R:) and enums (E:) are refused, since a registry never holds them.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct PhpArrayEntry;

struct PhpValue {
  enum class Kind { Null, Bool, Int, Double, String, Array };
  Kind kind = Kind::Null;
  bool boolean = false;
  long long integer = 0;
  double number = 0;
  std::string string;                  // Kind::String
  std::vector<PhpArrayEntry> entries;  // Kind::Array, in serialized order

  // The value under `key` of an array (integer keys are compared in decimal), or nullptr.
  const PhpValue* find(std::string_view key) const;
  // The string under `key`, or "" when absent or not a string.
  std::string string_at(std::string_view key) const;
};

struct PhpArrayEntry {
  std::string key;  // an integer key in decimal, as PHP prints it
  PhpValue value;
};

// Bounds: nesting depth and the number of values in one document.
inline constexpr std::size_t kMaxPhpSerializedDepth = 64;
inline constexpr std::size_t kMaxPhpSerializedValues = 1'000'000;

// Parses one serialized value from the start of `bytes` (bytes after it are ignored, as
// PHP's unserialize() ignores them). Errors give the byte offset and what was expected.
Result<PhpValue> parse_php_serialized(std::string_view bytes);

}  // namespace cairn::sbom
