#pragma once
// A bounded TOML 1.0 reader (toml.io/en/v1.0.0) for lock files (poetry.lock, uv.lock,
// pdm.lock, Cargo.lock): the whole document becomes one nlohmann::json object.
//
// Mapping: tables and inline tables -> objects, arrays and arrays of tables -> arrays,
// strings -> strings, integers -> int64, floats -> double (inf and nan included),
// booleans -> booleans, offset/local date-times, dates and times -> the string as
// written (lock files only carry them as opaque timestamps).
//
// The spec's rules are enforced: duplicate keys, tables defined twice, dotted keys that
// extend a table defined elsewhere, appending to a static array, invalid UTF-8, control
// characters, bad escapes and malformed numbers are errors naming the line and column.
// Hostile input is bounded: total size, nesting depth (tables, dotted keys, arrays and
// inline tables together) and the number of keys plus array elements are capped.
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cairn::sbom {

struct TomlLimits {
  std::size_t max_bytes = 32 * 1024 * 1024;
  std::size_t max_depth = 64;         // nesting of tables, arrays and inline tables
  std::size_t max_entries = 1000000;  // keys defined plus array elements
};

struct TomlError {
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in bytes
  std::string message;
  // "line 3, column 7: <message>"
  std::string to_string() const;
};

std::expected<nlohmann::json, TomlError> parse_toml(std::string_view text, const TomlLimits& limits = {});

}  // namespace cairn::sbom
