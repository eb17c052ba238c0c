#pragma once
// Reads a root filesystem from a directory (the dir: source) into the same form as a
// layer: entries, plus the content of captured files. Symlinks are recorded, never
// followed, so nothing outside the root is read.
#include <filesystem>

#include "core/error.h"
#include "sbom/capture.h"
#include "sbom/layer_contents.h"

namespace cairn::sbom {

// With hash_files, every regular file's SHA-1 and SHA-256 are computed.
Result<LayerContents> read_directory(const std::filesystem::path& root, const CapturePolicy& policy,
                                     bool hash_files = false);

}  // namespace cairn::sbom
