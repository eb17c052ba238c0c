#include "sbom/dir_reader.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include "core/digest.h"
#include "core/log.h"

namespace cairn::sbom {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxDirPath = 4096;  // PATH_MAX on Linux
// Reads at most cap + 1 bytes, sized from what the file says it holds (it may grow
// while we read, hence the cap), so a small file never costs a cap-sized buffer.
Result<std::string> read_capped(const fs::path& file, std::uintmax_t expected, std::size_t cap) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return input_error("cannot open " + file.string());
  std::string data;
  std::size_t want = static_cast<std::size_t>(std::min<std::uintmax_t>(expected, cap)) + 1;
  data.resize(want);
  in.read(data.data(), static_cast<std::streamsize>(want));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}
void hash_file(const fs::path& file, Entry& e) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  Hasher sha1(Hasher::Algorithm::Sha1), sha256(Hasher::Algorithm::Sha256);
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<std::size_t>(in.gcount());
    sha1.update(buf.data(), n);
    sha256.update(buf.data(), n);
  }
  e.sha1 = sha1.hex_digest();
  e.sha256 = sha256.hex_digest();
}

void warn_too_large(const fs::path& file, std::uintmax_t size, std::size_t cap) {
  log::warn(file.string() + ": " + std::to_string(size) + " bytes exceeds the " + std::to_string(cap) +
            "-byte limit for this file; not read");
}

// Reads what the capture rules want of a file: everything, when a rule names it or its
// first bytes show an executable a rule wants by content.
void keep_content(const fs::path& file, const CapturePolicy& policy, Entry& e) {
  auto name_cap = policy.cap_for(e.path);
  bool by_name = name_cap && e.size <= *name_cap;
  bool peek = policy.executable_cap() > 0 && e.size <= policy.executable_cap();
  if (!by_name && !peek) {
    if (name_cap) warn_too_large(file, e.size, *name_cap);
    return;
  }
  if (!by_name) {
    auto head = read_capped(file, CapturePolicy::kMagicBytes, CapturePolicy::kMagicBytes);
    if (!head || !CapturePolicy::looks_executable(*head)) {
      if (name_cap) warn_too_large(file, e.size, *name_cap);
      return;
    }
  }
  std::size_t cap = std::max<std::size_t>(by_name ? *name_cap : 0, peek ? policy.executable_cap() : 0);
  auto data = read_capped(file, e.size, cap);
  if (data && data->size() <= cap) policy.keep(e.path, std::move(*data), e);
}

}  // namespace

Result<LayerContents> read_directory(const fs::path& root, const CapturePolicy& policy, bool hash_files) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return input_error(root.string() + " is not a directory");
  LayerContents out;
  // Depth-first with a stack of paths, each directory read whole and closed before its
  // children: a deep tree costs one path per level, never one open directory per level.
  // Paths longer than PATH_MAX cannot be opened by name: such subtrees are skipped and
  // counted.
  std::vector<fs::path> pending{root};
  std::size_t skipped_long = 0;
  std::string first_long;
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      log::warn("skipping " + dir.string() + ": " + ec.message());
      ec.clear();
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        log::warn("skipping part of " + dir.string() + ": " + ec.message());
        ec.clear();
        break;
      }
      const fs::path& p = it->path();
      if (p.native().size() >= kMaxDirPath) {  // PATH_MAX counts the terminating NUL
        if (skipped_long++ == 0) first_long = p.native().substr(0, 120) + "…";
        continue;
      }
      Entry e;
      e.path = normalize_path(p.lexically_relative(root).generic_string());
      auto status = it->symlink_status(ec);
      if (ec) {
        log::warn("skipping " + p.string() + ": " + ec.message());
        ec.clear();
        continue;
      }
      if (fs::is_symlink(status)) {
        e.type = EntryType::Symlink;
        e.link = fs::read_symlink(p, ec).string();
      } else if (fs::is_directory(status)) {
        e.type = EntryType::Directory;
        pending.push_back(p);
      } else if (fs::is_regular_file(status)) {
        e.type = EntryType::File;
        e.size = it->file_size(ec);
        if (hash_files) hash_file(p, e);
        keep_content(p, policy, e);
      } else {
        e.type = EntryType::Other;
      }
      e.mode = static_cast<std::uint32_t>(status.permissions());
      out.entries.push_back(std::move(e));
    }
  }
  if (skipped_long)
    log::warn(root.string() + ": skipped " + std::to_string(skipped_long) + " entries whose paths are longer than " +
              std::to_string(kMaxDirPath - 1) + " bytes, and everything below them (first: " + first_long + ")");
  return out;
}

}  // namespace cairn::sbom
