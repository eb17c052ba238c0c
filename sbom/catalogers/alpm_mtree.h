#pragma once
// pacman's per-package mtree (var/lib/pacman/local/<pkg>/mtree): a gzip-compressed
// mtree(5) spec listing every installed path with its type, size and digests.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct MtreeEntry {
  std::string path;  // absolute, normalised
  std::string type;  // "file", "dir", "link", ... (the /set default applies)
  std::string link;  // symlink target
  std::string size;
  std::string uid;
  std::string gid;
  std::string mode;
  std::string time;    // "1653121258.0"
  std::string md5;     // md5digest
  std::string sha256;  // sha256digest
};

struct MtreeParse {
  std::vector<MtreeEntry> entries;
  std::vector<std::string> errors;  // "line 7: ..."
};

// Decompresses gzip data (plain data passes through), refusing more than max_output
// bytes: the file comes from the image and may be a decompression bomb.
Result<std::string> gunzip_capped(std::string_view data, std::size_t max_output);

// Parses the spec text. Package metadata pacman lists in it (.PKGINFO, .BUILDINFO,
// .INSTALL, .CHANGELOG, .MTREE) and the root itself are not installed files and are
// left out.
MtreeParse parse_mtree(std::string_view text);

}  // namespace cairn::sbom
