#pragma once
// Pure parsers of the dpkg database files: the status file (deb822 stanzas, also used by
// distroless status.d/* files and opkg), and the per-package info files (md5sums,
// conffiles, list). Bytes in, records and error strings out; no filesystem access.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::sbom::dpkg {

struct Field {
  std::string name;   // as written, e.g. "Pre-Depends"
  std::string value;  // trimmed; continuation lines appended as "\n " + trimmed line
};

// One paragraph of a deb822 file.
struct Stanza {
  std::size_t number = 0;  // 1-based position among the file's stanzas
  std::size_t line = 0;    // 1-based line where it starts
  std::vector<Field> fields;

  // The value of a field; names compare case-insensitively and ignoring '-', as dpkg
  // (case) and Syft (which drops '-') both do. nullptr when absent.
  const std::string* find(std::string_view name) const;
};

// Walks the stanzas of a deb822 text, handing each well-formed one to visit. A malformed
// stanza (a continuation line with no field before it, a repeated field, too many
// fields) is skipped up to the next blank line and reported as
// "stanza N (line L): what was wrong". Linear in the input; holds one stanza at a time.
std::vector<std::string> for_each_stanza(std::string_view text, const std::function<void(Stanza&&)>& visit);

// A file a package owns, from md5sums, conffiles or the Conffiles field.
struct FileRecord {
  std::string path;  // absolute inside the package's root ("/usr/bin/x")
  std::string md5;   // lowercase hex as written; empty when the source has none
  bool config = false;
  bool operator==(const FileRecord&) const = default;
};

// One installed package: the fields of Syft's DpkgDBEntry plus the inline License of
// opkg databases.
struct Entry {
  std::size_t stanza = 0;
  std::string package;
  std::string source;          // the name part of "Source: pam (1.2-3)"
  std::string source_version;  // the parenthesised part, when given
  std::string version;
  std::string architecture;
  std::string maintainer;
  std::string description;
  std::string status;
  std::string license;  // opkg only; dpkg keeps licenses in copyright files
  std::optional<std::uint64_t> installed_size;
  std::vector<std::string> provides;     // raw clauses, "apt-transport-https (= 1.8.2)"
  std::vector<std::string> depends;      // raw clauses, "debconf (>= 0.5) | debconf-2.0"
  std::vector<std::string> pre_depends;  // raw clauses
  std::vector<FileRecord> conffiles;     // from the Conffiles field
};

struct StatusResult {
  std::vector<Entry> entries;
  std::vector<std::string> errors;  // "stanza N (line L): ..."
};

// Parses a dpkg/opkg status database. Stanzas without a Package value are dropped, and
// so are packages that are not installed: a Status that says "deinstall" (removed,
// config files left, as Syft skips) or whose state is "not-installed".
StatusResult parse_status(std::string_view text);

// Installed-Size as Syft reads it (go-humanize ParseBytes): a number with an optional
// unit, "4064", "4KB" (4000), "10kib" (10240), "1 mb". nullopt when unreadable.
std::optional<std::uint64_t> parse_installed_size(std::string_view text);

// "pam (1.2-3)" -> {"pam", "1.2-3"}; "pam" -> {"pam", ""}.
std::pair<std::string, std::string> split_source(std::string_view text);

// A relationship field split on ',' into trimmed clauses, whitespace runs (from
// continuation lines) collapsed to one space; empty clauses dropped.
std::vector<std::string> split_clauses(std::string_view text);

// "<md5>  <path>" lines; relative paths made absolute.
std::vector<FileRecord> parse_md5sums(std::string_view text);

// A conffiles list: the info file (one path per line, possibly after a flag such as
// "remove-on-upgrade") or the status Conffiles field (" <path> <md5> [obsolete]").
std::vector<FileRecord> parse_conffiles(std::string_view text);

// A .list file: every path dpkg installed for the package, directories included.
// Returns the paths that are not a parent directory of another listed path.
std::vector<std::string> parse_list_leaves(std::string_view text);

}  // namespace cairn::sbom::dpkg
