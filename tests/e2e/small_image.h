#pragma once
// A small real image written as an OCI layout by the test itself (a Debian-looking
// layer with two dpkg packages, optionally a large incompressible file), for registry
// tests that need many pushes and must not spend their time on the 100 MB lab images.
#include <filesystem>
#include <string>

namespace cairn::e2e {

struct SmallImage {
  std::filesystem::path layout;
  std::string manifest_digest;
  std::string layer_digest;
  std::uint64_t layer_size = 0;
};

// Writes the layout at `dir` with index.json tagging the manifest `tag`. With
// `big_file_bytes`, the layer also holds that many pseudo-random bytes (seeded), stored
// uncompressed so the blob is at least that large.
SmallImage make_small_image(const std::filesystem::path& dir, const std::string& tag, std::size_t big_file_bytes = 0, unsigned seed = 1);

}  // namespace cairn::e2e
