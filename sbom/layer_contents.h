#pragma once
// What reading one layer (or a directory tree) yields: every entry's metadata, the
// whiteouts it carries, and the content of just the files a capture rule matched.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cairn::sbom {

// Extract name -> what a capture rule's extractor kept of the file.
using Extracts = std::map<std::string, std::string, std::less<>>;

enum class EntryType : std::uint8_t { File, Directory, Symlink, Hardlink, Other };

struct Entry {
  std::string path;  // normalised absolute path
  EntryType type = EntryType::File;
  std::string link;  // symlink target as written; hardlink target as a normalised path
  std::uint64_t size = 0;
  std::uint32_t mode = 0;
  std::shared_ptr<const std::string> content;  // set only for captured regular files
  std::shared_ptr<const Extracts> extracts;    // set only when an extractor kept something
  // Digests of a regular file's content, hex; only when the reader was asked to hash
  // files (--files), and never for sparse files, whose holes are not in the stream.
  std::string sha1;
  std::string sha256;
};

struct LayerContents {
  std::vector<Entry> entries;
  std::vector<std::string> whiteouts;    // paths a ".wh.NAME" entry deletes from lower layers
  std::vector<std::string> opaque_dirs;  // directories whose lower contents ".wh..wh..opq" hides
};

}  // namespace cairn::sbom
