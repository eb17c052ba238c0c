#pragma once
// A source of bytes read front to back. Blobs from layouts, archives and registries all
// arrive as one of these, so the layer reader never knows where they come from.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"

namespace cairn {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to size bytes; 0 means the end of the stream.
  virtual Result<std::size_t> read(void* buffer, std::size_t size) = 0;
  // A name for error messages ("blobs/sha256/ab12…", "app.tar:manifest.json").
  virtual const std::string& name() const = 0;
};

// A byte range of a file, read with pread so several streams can share one file.
class FileRangeStream final : public ByteStream {
 public:
  // Opens path; length UINT64_MAX means "to the end of the file".
  static Result<std::unique_ptr<FileRangeStream>> open(const std::string& path, std::uint64_t offset,
                                                       std::uint64_t length, std::string name);
  ~FileRangeStream() override;
  Result<std::size_t> read(void* buffer, std::size_t size) override;
  const std::string& name() const override { return name_; }

 private:
  FileRangeStream(int fd, std::uint64_t offset, std::uint64_t length, std::string name)
      : fd_(fd), offset_(offset), remaining_(length), name_(std::move(name)) {}
  int fd_;
  std::uint64_t offset_;
  std::uint64_t remaining_;
  std::string name_;
};

// Bytes already in memory (tests, fuzzing, small documents).
class MemoryStream final : public ByteStream {
 public:
  MemoryStream(std::string data, std::string name) : data_(std::move(data)), name_(std::move(name)) {}
  Result<std::size_t> read(void* buffer, std::size_t size) override;
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::size_t pos_ = 0;
  std::string name_;
};

// Reads a whole stream into memory, refusing more than max_bytes (manifests, configs).
Result<std::string> read_all(ByteStream& stream, std::size_t max_bytes);

}  // namespace cairn
