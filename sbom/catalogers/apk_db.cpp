#include "sbom/catalogers/apk_db.h"

#include <charconv>

#include "sbom/file_resolver.h"

#include "sbom/catalogers/excerpt.h"

namespace cairn::sbom {

namespace {

// A corrupt database can have an error on every line; past this many, one more line
// says how many were left out.
constexpr std::size_t kMaxErrors = 100;

// Space-separated lists (D:, p:, r:, i:); runs of spaces give no empty items.
std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t j = value.find(' ', i);
    if (j == std::string_view::npos) j = value.size();
    if (j > i) items.emplace_back(value.substr(i, j - i));
    i = j + 1;
  }
  return items;
}

// "uid:gid:mode[:more]" from M: and a:.
bool parse_ownership(std::string_view value, ApkFileRecord& record) {
  std::string_view parts[3];
  for (int n = 0; n < 3; ++n) {
    std::size_t colon = value.find(':');
    if (n < 2 && colon == std::string_view::npos) return false;
    parts[n] = value.substr(0, colon);
    value = colon == std::string_view::npos ? std::string_view{} : value.substr(colon + 1);
  }
  record.owner_uid = std::string(parts[0]);
  record.owner_gid = std::string(parts[1]);
  record.permissions = std::string(parts[2]);
  return true;
}

class Parser {
 public:
  ApkDbParse run(std::string_view content) {
    std::size_t pos = 0;
    std::size_t line_no = 0;
    while (pos < content.size()) {
      std::size_t end = content.find('\n', pos);
      if (end == std::string_view::npos) end = content.size();
      std::string_view line = content.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      handle_line(line, line_no);
    }
    finish_entry();
    if (dropped_errors_ > 0)
      out_.errors.push_back(std::to_string(dropped_errors_) + " more errors not shown");
    return std::move(out_);
  }

 private:
  void handle_line(std::string_view line, std::size_t line_no) {
    if (line.empty()) {
      finish_entry();
      return;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error(line_no, "no ':' separating field and value in " + excerpt(line));
      return;
    }
    if (colon == 0) {
      error(line_no, "empty field name in " + excerpt(line));
      return;
    }
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (value.empty()) return;  // Syft skips empty values too
    if (!in_entry_) current_.first_line = line_no;
    in_entry_ = true;
    apply(name, value, line_no);
  }

  void apply(std::string_view name, std::string_view value, std::size_t line_no) {
    ApkDbEntry& e = current_;
    if (name.size() != 1) return;  // every field apk writes is one letter
    switch (name[0]) {
      case 'P': e.package = value; break;
      case 'V': e.version = value; break;
      case 'A': e.architecture = value; break;
      case 'L': e.license = value; break;
      case 'o': e.origin = value; break;
      case 'm': e.maintainer = value; break;
      case 'U': e.url = value; break;
      case 'T': e.description = value; break;
      case 'C': e.checksum = value; break;
      case 'c': e.git_commit = value; break;
      case 't': e.build_time = value; break;
      case 'k': e.provider_priority = value; break;
      case 'S': parse_number(value, e.size, 'S', line_no); break;
      case 'I': parse_number(value, e.installed_size, 'I', line_no); break;
      case 'D': e.dependencies = split_list(value); break;
      case 'p': e.provides = split_list(value); break;
      case 'r': e.replaces = split_list(value); break;
      case 'i': e.install_if = split_list(value); break;
      case 'F': {
        ApkFileRecord dir;
        dir.path = normalize_path(value);
        dir.directory = true;
        e.files.push_back(std::move(dir));
        latest_dir_ = e.files.size() - 1;
        break;
      }
      case 'R': {
        ApkFileRecord file;
        std::string parent = latest_dir_ == kNone ? std::string("/") : e.files[latest_dir_].path;
        file.path = normalize_path(parent + "/" + std::string(value));
        e.files.push_back(std::move(file));
        latest_file_ = e.files.size() - 1;
        break;
      }
      case 'M':
        if (latest_dir_ == kNone) {
          error(line_no, "field M: with no directory (F:) before it");
        } else if (!parse_ownership(value, e.files[latest_dir_])) {
          error(line_no, "field M: expected uid:gid:mode, got " + excerpt(value));
        }
        break;
      case 'a':
        if (latest_file_ == kNone) {
          error(line_no, "field a: with no file (R:) before it");
        } else if (!parse_ownership(value, e.files[latest_file_])) {
          error(line_no, "field a: expected uid:gid:mode, got " + excerpt(value));
        }
        break;
      case 'Z':
        if (latest_file_ == kNone) {
          error(line_no, "field Z: with no file (R:) before it");
        } else {
          // Q1 marks base64 SHA-1; older databases wrote hex MD5 without a prefix.
          auto& f = e.files[latest_file_];
          f.digest_algorithm = value.starts_with("Q1") ? "'Q1'+base64(sha1)" : "md5";
          f.digest = value;
        }
        break;
      default: break;  // fields cairn does not use (q:, f:, ...)
    }
  }

  void parse_number(std::string_view value, std::int64_t& out, char field, std::size_t line_no) {
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 0) {
      error(line_no, std::string("field ") + field + ": expected a size in bytes, got " + excerpt(value));
      return;
    }
    out = n;
  }

  void finish_entry() {
    if (in_entry_) out_.entries.push_back(std::move(current_));
    current_ = ApkDbEntry{};
    in_entry_ = false;
    latest_dir_ = latest_file_ = kNone;
  }

  void error(std::size_t line_no, const std::string& what) {
    if (out_.errors.size() >= kMaxErrors) {
      ++dropped_errors_;
      return;
    }
    out_.errors.push_back("line " + std::to_string(line_no) + ": " + what);
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  ApkDbParse out_;
  ApkDbEntry current_;
  bool in_entry_ = false;
  std::size_t latest_dir_ = kNone;
  std::size_t latest_file_ = kNone;
  std::size_t dropped_errors_ = 0;
};

}  // namespace

ApkDbParse parse_apk_db(std::string_view content) { return Parser().run(content); }

std::string apk_strip_version(std::string_view spec) {
  std::size_t cut = spec.find_first_of("<>=~");
  std::string_view name = spec.substr(0, cut);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  return std::string(name);
}

}  // namespace cairn::sbom
