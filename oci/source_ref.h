#pragma once
// What the user names on the command line: "oci-dir:PATH[:TAG|@DIGEST]",
// "oci-archive:FILE[:TAG]", "docker-archive:FILE[:TAG]", "dir:PATH", "registry:REF", or
// a bare path recognised by its content.
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::oci {

struct SourceRef {
  enum class Kind { OciDir, OciArchive, DockerArchive, Dir, Registry };
  Kind kind = Kind::Dir;
  std::string path;    // file or directory (or the registry reference)
  std::string tag;
  std::string digest;  // "sha256:…"
};

Result<SourceRef> parse_source_ref(std::string_view input);

}  // namespace cairn::oci
