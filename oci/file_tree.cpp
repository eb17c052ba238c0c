#include "oci/file_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "oci/tar_index.h"

namespace cairn::oci {

Result<std::string> FileTree::read_small(const std::string& relative, std::size_t max_bytes) const {
  auto stream = open(relative);
  if (!stream) return std::unexpected(stream.error());
  return read_all(**stream, max_bytes);
}

namespace {

// Relative names from documents are checked: no absolute paths and no "..", so a
// hostile index.json cannot make us read outside the layout.
bool safe_relative(const std::string& rel) {
  if (rel.empty() || rel[0] == '/') return false;
  std::size_t i = 0;
  while (i <= rel.size()) {
    auto j = rel.find('/', i);
    if (j == std::string::npos) j = rel.size();
    if (rel.compare(i, j - i, "..") == 0) return false;
    i = j + 1;
  }
  return true;
}

class DirectoryTree final : public FileTree {
 public:
  explicit DirectoryTree(std::string root) : root_(std::move(root)) {}
  Result<std::unique_ptr<ByteStream>> open(const std::string& rel) const override {
    if (!safe_relative(rel)) return input_error(describe(rel) + ": refusing a path outside the layout");
    auto s = FileRangeStream::open(root_ + "/" + rel, 0, UINT64_MAX, describe(rel));
    if (!s) return std::unexpected(s.error());
    return std::unique_ptr<ByteStream>(std::move(*s));
  }
  bool contains(const std::string& rel) const override {
    std::error_code ec;
    return safe_relative(rel) && std::filesystem::is_regular_file(root_ + "/" + rel, ec);
  }
  std::string describe(const std::string& rel) const override { return root_ + "/" + rel; }

 private:
  std::string root_;
};

class TarTree final : public FileTree {
 public:
  TarTree(std::string archive, std::map<std::string, TarMember> members)
      : archive_(std::move(archive)), members_(std::move(members)) {}
  Result<std::unique_ptr<ByteStream>> open(const std::string& rel) const override {
    auto it = members_.find(normalise(rel));
    if (it == members_.end()) return input_error(describe(rel) + ": no such member in the archive");
    auto s = FileRangeStream::open(archive_, it->second.offset, it->second.size, describe(rel));
    if (!s) return std::unexpected(s.error());
    return std::unique_ptr<ByteStream>(std::move(*s));
  }
  bool contains(const std::string& rel) const override { return members_.count(normalise(rel)) > 0; }
  std::string describe(const std::string& rel) const override { return archive_ + ":" + rel; }

 private:
  static std::string normalise(std::string rel) {
    while (rel.rfind("./", 0) == 0) rel.erase(0, 2);
    return rel;
  }
  std::string archive_;
  std::map<std::string, TarMember> members_;
};

}  // namespace

Result<std::shared_ptr<FileTree>> open_directory_tree(const std::string& root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return input_error(root + " is not a directory");
  return std::shared_ptr<FileTree>(std::make_shared<DirectoryTree>(root));
}

Result<std::shared_ptr<FileTree>> open_tar_tree(const std::string& archive) {
  int fd = ::open(archive.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return input_error("cannot open " + archive + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return input_error(archive + " is not a regular file");
  }
  unsigned char magic[4] = {};
  if (::pread(fd, magic, 4, 0) == 4) {
    bool gzip = magic[0] == 0x1f && magic[1] == 0x8b;
    bool zstd = magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd;
    if (gzip || zstd) {
      ::close(fd);
      return input_error(archive + " is " + (gzip ? "gzip" : "zstd") +
                         "-compressed; cairn reads image archives uncompressed so that layers can be "
                         "streamed from their offsets: decompress it first (e.g. " +
                         (gzip ? "gunzip" : "unzstd") + " -k " + archive + ")");
    }
  }
  ReadAt read_at = [fd](std::uint64_t off, void* buf, std::size_t n) -> Result<std::size_t> {
    std::size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd, static_cast<char*>(buf) + done, n - done, static_cast<off_t>(off + done));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return input_error(std::string("read error: ") + std::strerror(errno));
      if (r == 0) break;
      done += static_cast<std::size_t>(r);
    }
    return done;
  };
  auto members = index_tar(read_at, static_cast<std::uint64_t>(st.st_size), archive);
  ::close(fd);
  if (!members) return std::unexpected(members.error());
  return std::shared_ptr<FileTree>(std::make_shared<TarTree>(archive, std::move(*members)));
}

}  // namespace cairn::oci
