#pragma once
// Streams one layer blob: decompresses it (gzip, zstd or none, detected from the bytes),
// walks the tar, records every entry and whiteout, buffers only the files the capture
// policy wants, and checks the blob digest and the diff_id while doing so. Nothing is
// written to disk and no layer is held whole in memory.
#include <cstdint>
#include <optional>
#include <string>

#include "core/digest.h"
#include "core/error.h"
#include "core/stream.h"
#include "sbom/capture.h"
#include "sbom/layer_contents.h"

namespace cairn::sbom {

struct LayerExpectations {
  std::optional<Digest> digest;        // of the blob as stored
  std::optional<std::uint64_t> size;   // of the blob as stored
  std::optional<Digest> diff_id;       // of the uncompressed tar
};

struct LayerReadResult {
  LayerContents contents;
  Digest digest;     // computed
  Digest diff_id;    // computed
  std::uint64_t size = 0;
  std::uint64_t uncompressed_size = 0;
  bool missing_end_blocks = false;  // the tar ends without its two zero blocks
};

// Paths longer than Linux's PATH_MAX cannot exist on a real system; such entries are
// skipped (with one warning per layer) so a hostile layer cannot make path storage
// quadratic.
inline constexpr std::size_t kMaxEntryPath = 4096;
inline constexpr std::size_t kMaxEntriesPerLayer = 5'000'000;

// With hash_files, every regular file's SHA-1 and SHA-256 are computed on the way.
Result<LayerReadResult> read_layer(ByteStream& blob, const LayerExpectations& expect, const CapturePolicy& policy,
                                   const std::string& name, bool hash_files = false);

}  // namespace cairn::sbom
