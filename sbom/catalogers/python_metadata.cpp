#include "sbom/catalogers/python_metadata.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

namespace {

// Bounds on what one file may make us hold; far above any real distribution.
constexpr std::size_t kMaxHeaderLines = 200000;
constexpr std::size_t kMaxListItems = 10000;
constexpr std::size_t kMaxRecordEntries = 500000;
constexpr std::size_t kMaxTopLevel = 10000;
constexpr std::size_t kMaxDirectUrlBytes = 1024 * 1024;
constexpr std::size_t kMaxProblems = 100;

void add_problem(std::vector<std::string>& problems, std::string message) {
  if (problems.size() < kMaxProblems) problems.push_back(std::move(message));
  else if (problems.size() == kMaxProblems) problems.push_back("more problems not reported");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) len = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) len = 3;
  else if (c == 0xED) len = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) len = 3;
  else if (c == 0xF0) len = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) len = 4, hi = 0x8F;
  else return 0;
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return len;
}

// One pending "Key: value" header while continuation lines may still extend it.
struct Header {
  std::string key;
  std::string value;
  std::size_t line = 0;
};

void push_capped(std::vector<std::string>& list, std::string value, std::string_view field,
                 std::vector<std::string>& problems) {
  if (list.size() < kMaxListItems) list.push_back(std::move(value));
  else if (list.size() == kMaxListItems) {
    add_problem(problems, "field " + std::string(field) + ": more than " + std::to_string(kMaxListItems) +
                              " values, the rest ignored");
    list.push_back("");  // marks the cap as reported; removed at the end
  }
}

void assign(PythonMetadata& m, const Header& h) {
  bool replaced = false;
  std::string value = sanitize_utf8(trim(h.value), &replaced);
  if (replaced)
    add_problem(m.problems, "line " + std::to_string(h.line) + ": field " + excerpt(h.key) +
                                ": invalid UTF-8 replaced with U+FFFD");
  const std::string& k = h.key;
  auto set_once = [&](std::string& field) {
    if (field.empty()) field = std::move(value);
  };
  if (iequals(k, "Name")) set_once(m.name);
  else if (iequals(k, "Version")) set_once(m.version);
  else if (iequals(k, "Summary")) set_once(m.summary);
  else if (iequals(k, "Home-page")) set_once(m.home_page);
  else if (iequals(k, "Platform")) set_once(m.platform);
  else if (iequals(k, "Author")) set_once(m.author);
  else if (iequals(k, "Author-email")) set_once(m.author_email);
  else if (iequals(k, "Maintainer")) set_once(m.maintainer);
  else if (iequals(k, "Maintainer-email")) set_once(m.maintainer_email);
  else if (iequals(k, "License")) set_once(m.license);
  else if (iequals(k, "License-Expression")) set_once(m.license_expression);
  else if (iequals(k, "Requires-Python")) set_once(m.requires_python);
  else if (iequals(k, "License-File") || iequals(k, "LicenseFile")) {
    if (!value.empty()) push_capped(m.license_files, std::move(value), k, m.problems);
  } else if (iequals(k, "Classifier")) {
    if (!value.empty()) push_capped(m.classifiers, std::move(value), k, m.problems);
  } else if (iequals(k, "Requires-Dist")) {
    if (!value.empty()) push_capped(m.requires_dist, std::move(value), k, m.problems);
  } else if (iequals(k, "Provides-Extra")) {
    if (!value.empty()) push_capped(m.provides_extra, std::move(value), k, m.problems);
  }
}

void drop_cap_marker(std::vector<std::string>& list) {
  if (list.size() > kMaxListItems) list.resize(kMaxListItems);
}

// One CSV row (RFC 4180: quoted fields may hold commas, newlines and doubled quotes).
// Returns false when the row is malformed (a bare quote inside an unquoted field, text
// after a closing quote, an unterminated quote); `pos` is then past the row's line.
bool read_csv_row(std::string_view text, std::size_t& pos, std::vector<std::string>& fields, std::size_t& line,
                  std::string& why) {
  fields.clear();
  fields.emplace_back();
  bool ok = true;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '\n') {
      ++pos;
      ++line;
      return ok;
    }
    if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
      ++pos;
      continue;
    }
    if (c == ',') {
      fields.emplace_back();
      ++pos;
      continue;
    }
    if (c == '"' && fields.back().empty() && ok) {
      ++pos;
      bool closed = false;
      while (pos < text.size()) {
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            fields.back() += '"';
            pos += 2;
            continue;
          }
          ++pos;
          closed = true;
          break;
        }
        if (text[pos] == '\n') ++line;
        fields.back() += text[pos++];
      }
      if (!closed) {
        why = "unterminated quoted field";
        return false;
      }
      if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
        why = "text after a closing quote";
        ok = false;
      }
      continue;
    }
    if (c == '"') {
      if (ok) why = "bare quote in an unquoted field";
      ok = false;
    }
    fields.back() += c;
    ++pos;
  }
  return ok;
}

}  // namespace

std::string sanitize_utf8(std::string_view text, bool* replaced) {
  std::string out;
  out.reserve(text.size());
  bool any = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      any = true;
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  if (replaced) *replaced = any;
  return out;
}

PythonMetadata parse_python_metadata(std::string_view text) {
  PythonMetadata m;
  Header pending;
  bool have_pending = false;
  std::size_t pos = 0, line_number = 0;
  while (pos < text.size()) {
    if (++line_number > kMaxHeaderLines) {
      add_problem(m.problems, "more than " + std::to_string(kMaxHeaderLines) + " header lines, the rest ignored");
      break;
    }
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // end of headers; the description body follows
    if (line.front() == ' ' || line.front() == '\t') {
      if (!have_pending) {
        add_problem(m.problems, "line " + std::to_string(line_number) + ": continuation line before any field");
        continue;
      }
      pending.value += '\n';
      pending.value += trim(line);
      continue;
    }
    if (have_pending) assign(m, pending);
    have_pending = false;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      add_problem(m.problems, "line " + std::to_string(line_number) + ": not a \"Field: value\" header: " +
                                  excerpt(line));
      continue;
    }
    pending.key = std::string(trim(line.substr(0, colon)));
    pending.value = std::string(line.substr(colon + 1));
    pending.line = line_number;
    have_pending = true;
  }
  if (have_pending) assign(m, pending);
  drop_cap_marker(m.license_files);
  drop_cap_marker(m.classifiers);
  drop_cap_marker(m.requires_dist);
  drop_cap_marker(m.provides_extra);
  if (m.name.empty()) add_problem(m.problems, "field Name: missing");
  return m;
}

PythonRecord parse_python_record(std::string_view text) {
  PythonRecord record;
  std::vector<std::string> fields;
  std::size_t pos = 0, line = 1;
  while (pos < text.size()) {
    std::size_t row_line = line;
    std::string why;
    bool ok = read_csv_row(text, pos, fields, line, why);
    if (!ok) {
      add_problem(record.problems, "line " + std::to_string(row_line) + ": " + why + ", row skipped");
      if (why == "unterminated quoted field") break;
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != 3) {
      add_problem(record.problems, "line " + std::to_string(row_line) + ": " + std::to_string(fields.size()) +
                                       " fields where path,hash,size was expected, row skipped");
      continue;
    }
    if (record.entries.size() >= kMaxRecordEntries) {
      add_problem(record.problems, "more than " + std::to_string(kMaxRecordEntries) + " entries, the rest ignored");
      break;
    }
    PythonRecordEntry entry;
    entry.path = sanitize_utf8(fields[0]);
    std::size_t eq = fields[1].find('=');
    if (eq != std::string::npos) {
      entry.algorithm = fields[1].substr(0, eq);
      entry.digest = fields[1].substr(eq + 1);
    } else {
      entry.digest = fields[1];
    }
    entry.size = fields[2];
    record.entries.push_back(std::move(entry));
  }
  return record;
}

PythonDirectUrlParse parse_python_direct_url(std::string_view text) {
  PythonDirectUrlParse out;
  if (text.size() > kMaxDirectUrlBytes) {
    out.problems.push_back("larger than " + std::to_string(kMaxDirectUrlBytes) + " bytes, not read");
    return out;
  }
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.problems.push_back("not a JSON object");
    return out;
  }
  auto string_at = [](const nlohmann::json& object, const char* key) -> std::string {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.value.url = string_at(doc, "url");
  if (out.value.url.empty()) out.problems.push_back("field url: missing or not a string");
  if (auto vcs = doc.find("vcs_info"); vcs != doc.end() && vcs->is_object()) {
    out.value.vcs = string_at(*vcs, "vcs");
    out.value.commit_id = string_at(*vcs, "commit_id");
  }
  if (auto dir = doc.find("dir_info"); dir != doc.end() && dir->is_object()) {
    auto editable = dir->find("editable");
    out.value.editable = editable != dir->end() && editable->is_boolean() && editable->get<bool>();
  }
  out.ok = true;
  return out;
}

std::vector<std::string> parse_python_top_level(std::string_view text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < text.size() && names.size() < kMaxTopLevel) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (!line.empty()) names.push_back(sanitize_utf8(line));
  }
  return names;
}

std::string normalize_python_name(std::string_view name) {
  std::string out;
  bool in_separator_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_separator_run) out += '-';
      in_separator_run = true;
      continue;
    }
    in_separator_run = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string python_requirement_name(std::string_view requirement) {
  std::string_view r = trim(requirement);
  std::size_t n = 0;
  while (n < r.size()) {
    auto c = static_cast<unsigned char>(r[n]);
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.')) break;
    ++n;
  }
  return normalize_python_name(r.substr(0, n));
}

}  // namespace cairn::sbom
