#pragma once
// Pure parsers for the files of an installed Python distribution (no filesystem access):
//   METADATA / PKG-INFO (core metadata, RFC 822 style headers with continuation lines),
//   RECORD (CSV: path,hash,size), direct_url.json (PEP 610), top_level.txt.
// Every parser takes hostile bytes: counts are capped, invalid UTF-8 is replaced with
// U+FFFD, and problems come back as messages naming the field or line (the caller adds
// the file path).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

struct PythonMetadata {
  std::string name;
  std::string version;
  std::string summary;
  std::string home_page;
  std::string platform;
  std::string author;
  std::string author_email;
  std::string maintainer;
  std::string maintainer_email;
  std::string license;             // License: (may be a whole license text)
  std::string license_expression;  // License-Expression: (core metadata 2.4)
  std::string requires_python;
  std::vector<std::string> license_files;  // License-File: (and the older LicenseFile:)
  std::vector<std::string> classifiers;
  std::vector<std::string> requires_dist;
  std::vector<std::string> provides_extra;
  std::vector<std::string> problems;  // "field Name: ...", "line 3: ..."
};

// Header fields end at the first empty line (the rest is the description body).
PythonMetadata parse_python_metadata(std::string_view text);

struct PythonRecordEntry {
  std::string path;       // as written, relative to site-packages (may start with ../)
  std::string algorithm;  // "sha256", or empty
  std::string digest;     // urlsafe base64 without padding, as written
  std::string size;       // as written (may be empty)
};

struct PythonRecord {
  std::vector<PythonRecordEntry> entries;
  std::vector<std::string> problems;
};

// Rows with other than 3 fields (merge-conflict markers, tar debris) are skipped with a
// problem, as Python's csv-based readers (and Syft) skip them.
PythonRecord parse_python_record(std::string_view text);

struct PythonDirectUrl {
  std::string url;
  std::string vcs;        // vcs_info.vcs
  std::string commit_id;  // vcs_info.commit_id
  bool editable = false;  // dir_info.editable
};

struct PythonDirectUrlParse {
  PythonDirectUrl value;
  std::vector<std::string> problems;
  bool ok = false;
};

PythonDirectUrlParse parse_python_direct_url(std::string_view text);

// Non-empty trimmed lines, capped.
std::vector<std::string> parse_python_top_level(std::string_view text);

// PEP 503 normalised name: lower case, runs of '-', '_', '.' become one '-'.
std::string normalize_python_name(std::string_view name);

// The distribution name a requirement names ("soupsieve (>1.2)", "html5lib ; extra ==
// 'x'", "requests[socks]>=2") -> normalised name; empty if none.
std::string python_requirement_name(std::string_view requirement);

// The text with every invalid UTF-8 sequence replaced by U+FFFD; `replaced` tells
// whether any was.
std::string sanitize_utf8(std::string_view text, bool* replaced = nullptr);

}  // namespace cairn::sbom
