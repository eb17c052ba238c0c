#include "sbom/catalogers/alpm_mtree.h"

#include <archive.h>

#include <map>
#include <memory>

#include "sbom/file_resolver.h"

namespace cairn::sbom {

namespace {

constexpr std::size_t kMaxErrors = 100;

// mtree escapes characters in names the vis(3) way: "\040" for a space, "\\" for '\'.
std::string unvis(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '\\' && i + 3 < name.size() && name[i + 1] >= '0' && name[i + 1] <= '3' &&
        name[i + 2] >= '0' && name[i + 2] <= '7' && name[i + 3] >= '0' && name[i + 3] <= '7') {
      out += static_cast<char>((name[i + 1] - '0') * 64 + (name[i + 2] - '0') * 8 + (name[i + 3] - '0'));
      i += 3;
    } else if (name[i] == '\\' && i + 1 < name.size() && name[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      out += name[i];
    }
  }
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_package_metadata(std::string_view relative) {
  return relative == ".PKGINFO" || relative == ".BUILDINFO" || relative == ".INSTALL" ||
         relative == ".CHANGELOG" || relative == ".MTREE";
}

void apply_keyword(MtreeEntry& e, std::string_view key, std::string value) {
  if (key == "type") e.type = std::move(value);
  else if (key == "link") e.link = unvis(value);
  else if (key == "size") e.size = std::move(value);
  else if (key == "uid") e.uid = std::move(value);
  else if (key == "gid") e.gid = std::move(value);
  else if (key == "mode") e.mode = std::move(value);
  else if (key == "time") e.time = std::move(value);
  else if (key == "md5digest" || key == "md5") e.md5 = std::move(value);
  else if (key == "sha256digest" || key == "sha256") e.sha256 = std::move(value);
}

// libarchive leaves the message null for some failures.
std::string archive_failure(archive* a, const char* fallback) {
  const char* why = archive_error_string(a);
  return std::string("gzip: ") + (why ? why : fallback);
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

}  // namespace

Result<std::string> gunzip_capped(std::string_view data, std::size_t max_output) {
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  if (!a) return input_error("gzip: out of memory");
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_raw(a.get());
  if (archive_read_open_memory(a.get(), data.data(), data.size()) != ARCHIVE_OK)
    return input_error(archive_failure(a.get(), "not readable"));
  archive_entry* entry = nullptr;
  int rc = archive_read_next_header(a.get(), &entry);
  if (rc == ARCHIVE_EOF) return std::string();
  if (rc != ARCHIVE_OK) return input_error(archive_failure(a.get(), "unreadable header"));
  std::string out;
  char buffer[64 * 1024];
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buffer, sizeof buffer);
    if (n < 0) return input_error(archive_failure(a.get(), "corrupt data"));
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_output)
      return input_error("gzip: decompresses to more than " + std::to_string(max_output) + " bytes");
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

MtreeParse parse_mtree(std::string_view text) {
  MtreeParse out;
  std::size_t dropped = 0;
  auto error = [&](std::size_t line_no, const std::string& what) {
    if (out.errors.size() >= kMaxErrors) ++dropped;
    else out.errors.push_back("line " + std::to_string(line_no) + ": " + what);
  };
  std::map<std::string, std::string, std::less<>> defaults;  // from /set
  std::string logical;  // a line with its "\"-continuations joined
  std::size_t pos = 0, line_no = 0, logical_start = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (logical.empty()) logical_start = line_no;
    if (!piece.empty() && piece.back() == '\\') {
      logical.append(piece.substr(0, piece.size() - 1));
      logical += ' ';
      continue;
    }
    logical.append(piece);
    std::string line = std::move(logical);
    logical.clear();

    auto w = words(line);
    if (w.empty() || w[0].front() == '#') continue;
    if (w[0] == "/set" || w[0] == "/unset") {
      for (std::size_t i = 1; i < w.size(); ++i) {
        auto eq = w[i].find('=');
        std::string key(w[i].substr(0, eq));
        if (w[0] == "/unset") defaults.erase(key);
        else if (eq != std::string_view::npos) defaults[key] = std::string(w[i].substr(eq + 1));
      }
      continue;
    }
    if (w[0] == "..") continue;  // relative-format "go up": pacman writes full paths
    if (w[0].front() == '/') {
      error(logical_start, "unknown special command " + std::string(w[0].substr(0, 40)));
      continue;
    }
    std::string name = unvis(w[0]);
    std::string_view relative = name;
    if (relative.starts_with("./")) relative.remove_prefix(2);
    if (relative.empty() || relative == "." || is_package_metadata(relative)) continue;

    MtreeEntry entry;
    for (const auto& [key, value] : defaults) apply_keyword(entry, key, value);
    for (std::size_t i = 1; i < w.size(); ++i) {
      auto eq = w[i].find('=');
      if (eq == std::string_view::npos) continue;  // "nochange"-style flags carry no value
      apply_keyword(entry, w[i].substr(0, eq), std::string(w[i].substr(eq + 1)));
    }
    entry.path = normalize_path(relative);
    out.entries.push_back(std::move(entry));
  }
  if (dropped > 0) out.errors.push_back(std::to_string(dropped) + " more errors not shown");
  return out;
}

}  // namespace cairn::sbom
