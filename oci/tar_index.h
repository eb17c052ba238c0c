#pragma once
// Indexes the members of an uncompressed tar file (docker save and OCI archives) by
// reading only the headers, so blobs can later be streamed from their offsets, in any
// order and in parallel, without extracting anything.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/error.h"

namespace cairn::oci {

struct TarMember {
  std::uint64_t offset = 0;  // of the member's data
  std::uint64_t size = 0;
};

// Reads exactly `size` bytes at `offset`, or fewer at the end of the input.
using ReadAt = std::function<Result<std::size_t>(std::uint64_t offset, void* buffer, std::size_t size)>;

// Regular-file members by normalised name ("blobs/sha256/ab…", "manifest.json"). The
// last member of a name wins, as tar extraction would have it. `where` names the
// archive in errors.
Result<std::map<std::string, TarMember>> index_tar(const ReadAt& read_at, std::uint64_t total_size,
                                                   const std::string& where);

}  // namespace cairn::oci
