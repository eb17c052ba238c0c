#pragma once
// What a cataloger sees of an image: the squashed filesystem (or one layer's view of
// it), with the content of the files catalogers asked for. Paths are absolute and
// normalised ("/var/lib/dpkg/status"); symlinks are resolved inside the image root.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

class FileResolver {
 public:
  virtual ~FileResolver() = default;

  // Regular files (not symlinks) whose path matches a glob pattern: "*" within one path
  // segment, "**" across segments, e.g. "**/var/lib/dpkg/status.d/*". Sorted.
  virtual std::vector<std::string> glob(std::string_view pattern) const = 0;

  // The content of a captured file, following symlinks inside the root; nullptr when the
  // path does not exist, is not a regular file, or was not captured (no rule matched,
  // or it exceeded its size cap). The pointer lives as long as the resolver.
  virtual const std::string* read(std::string_view path) const = 0;

  // What a capture rule's extractor kept of a file (see CaptureRule::extract), following
  // symlinks inside the root; nullptr when there is none under that name.
  virtual const std::string* extract(std::string_view path, std::string_view name) const = 0;

  // The regular files holding an extract of this name, sorted.
  virtual std::vector<std::string> files_with_extract(std::string_view name) const = 0;

  // Whether the path exists (any type), following symlinks inside the root.
  virtual bool exists(std::string_view path) const = 0;

  // The path with every symlink resolved inside the root; nullopt if it does not exist
  // or a symlink loop was found.
  virtual std::optional<std::string> real_path(std::string_view path) const = 0;
};

// Glob matching used by resolvers and capture rules; exposed for tests.
bool glob_match(std::string_view pattern, std::string_view path);

// Normalises a path: absolute, no "." or empty segments, ".." resolved lexically and
// never above the root.
std::string normalize_path(std::string_view path);

}  // namespace cairn::sbom
