#include "sbom/catalogers/java_archive_name.h"

#include <cctype>
#include <vector>

namespace cairn::sbom {

namespace {

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// \d.* | build\d+.* | rc?\d+ (the last to the end of the string).
bool is_version(std::string_view s) {
  if (s.empty()) return false;
  if (is_digit(s[0])) return true;
  if (starts_with_nocase(s, "build") && s.size() > 5 && is_digit(s[5])) return true;
  std::size_t i = 0;
  if (starts_with_nocase(s, "rc")) i = 2;
  else if (starts_with_nocase(s, "r")) i = 1;
  else return false;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i)
    if (!is_digit(s[i])) return false;
  return true;
}

// Words of [A-Za-z0-9_.] starting with a letter, joined by single dashes (a trailing dash
// allowed).
bool is_name(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-') {
      if (i + 1 < s.size() && !is_alpha(s[i + 1])) return false;
    } else if (!is_word(c) && c != '.') {
      return false;
    }
  }
  return true;
}

// A Java identifier's first character (Unicode letters are taken as any non-ASCII byte).
bool starts_identifier(std::string_view field) {
  if (field.empty()) return false;
  auto c = static_cast<unsigned char>(field[0]);
  return std::isalpha(c) || c == '_' || c == '$' || c >= 0x80;
}

}  // namespace

JavaArchiveName parse_java_archive_name(std::string_view path) {
  JavaArchiveName out;
  auto slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = base.rfind('.');
  std::string_view stem = base;
  if (dot != std::string_view::npos) {
    out.extension = std::string(base.substr(dot + 1));
    stem = base.substr(0, dot);
  }
  for (std::size_t i = 0; i < stem.size(); ++i) {
    if (stem[i] == '-' && is_version(stem.substr(i + 1)) && is_name(stem.substr(0, i))) {
      out.name = std::string(stem.substr(0, i));
      out.version = std::string(stem.substr(i + 1));
      return out;
    }
  }
  if (!is_name(stem)) return out;
  out.name = std::string(stem);
  // Other conventions: "name_1.2", "name.1.2".
  for (std::size_t i = 0; i < out.name.size(); ++i) {
    char c = out.name[i];
    if ((c == '.' || c == '_' || c == '-') && is_version(std::string_view(out.name).substr(i + 1))) {
      out.version = out.name.substr(i + 1);
      out.name.resize(i);
      break;
    }
  }
  return out;
}

std::string artifact_from_archive_name(const JavaArchiveName& name) {
  const std::string& n = name.name;
  if (n.find('.') == std::string::npos || n.starts_with("org.eclipse.")) return n;
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  for (;;) {
    auto dot = n.find('.', i);
    fields.push_back(std::string_view(n).substr(i, dot == std::string::npos ? std::string::npos : dot - i));
    if (dot == std::string::npos) break;
    i = dot + 1;
  }
  for (auto f : fields)
    if (!starts_identifier(f)) return n;
  return std::string(fields.back());
}

}  // namespace cairn::sbom
