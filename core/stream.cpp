#include "core/stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cairn {

Result<std::unique_ptr<FileRangeStream>> FileRangeStream::open(const std::string& path, std::uint64_t offset,
                                                               std::uint64_t length, std::string name) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return input_error("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return input_error(path + " is not a regular file");
  }
  auto file_size = static_cast<std::uint64_t>(st.st_size);
  if (offset > file_size || (length != UINT64_MAX && length > file_size - offset)) {
    ::close(fd);
    return input_error(name + ": range [" + std::to_string(offset) + ", +" + std::to_string(length) +
                       ") lies beyond the end of " + path + " (" + std::to_string(file_size) + " bytes)");
  }
  if (length == UINT64_MAX) length = file_size - offset;
  return std::unique_ptr<FileRangeStream>(new FileRangeStream(fd, offset, length, std::move(name)));
}

FileRangeStream::~FileRangeStream() { ::close(fd_); }

Result<std::size_t> FileRangeStream::read(void* buffer, std::size_t size) {
  if (remaining_ == 0) return 0;
  if (size > remaining_) size = static_cast<std::size_t>(remaining_);
  for (;;) {
    ssize_t n = ::pread(fd_, buffer, size, static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return input_error("reading " + name_ + ": " + std::strerror(errno));
    if (n == 0) return input_error(name_ + ": file ended " + std::to_string(remaining_) + " bytes early");
    offset_ += static_cast<std::uint64_t>(n);
    remaining_ -= static_cast<std::uint64_t>(n);
    return static_cast<std::size_t>(n);
  }
}

Result<std::size_t> MemoryStream::read(void* buffer, std::size_t size) {
  std::size_t n = std::min(size, data_.size() - pos_);
  std::memcpy(buffer, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<std::string> read_all(ByteStream& stream, std::size_t max_bytes) {
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = stream.read(buf, sizeof buf);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return out;
    if (out.size() + *n > max_bytes)
      return input_error(stream.name() + " is larger than the " + std::to_string(max_bytes) +
                         "-byte limit for this kind of document");
    out.append(buf, *n);
  }
}

}  // namespace cairn
