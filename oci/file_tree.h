#pragma once
// The files of an OCI layout or a docker archive, whether they sit in a directory or
// inside an uncompressed tar file: opened by relative path as streams.
#include <memory>
#include <string>

#include "core/error.h"
#include "core/stream.h"

namespace cairn::oci {

class FileTree {
 public:
  virtual ~FileTree() = default;
  virtual Result<std::unique_ptr<ByteStream>> open(const std::string& relative) const = 0;
  virtual bool contains(const std::string& relative) const = 0;
  // "PATH/relative" or "ARCHIVE:relative", for messages.
  virtual std::string describe(const std::string& relative) const = 0;
  // Reads a small member whole (index.json, manifest.json), capped.
  Result<std::string> read_small(const std::string& relative, std::size_t max_bytes) const;
};

Result<std::shared_ptr<FileTree>> open_directory_tree(const std::string& root);
// Indexes an uncompressed tar archive; a compressed one is refused with advice.
Result<std::shared_ptr<FileTree>> open_tar_tree(const std::string& archive);

}  // namespace cairn::oci
