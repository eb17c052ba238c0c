// The outer-archive indexer (docker save / OCI archives) over arbitrary bytes.
#include <cstdint>
#include <cstring>
#include <string>

#include "oci/tar_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn;
  oci::ReadAt read_at = [&](std::uint64_t off, void* buf, std::size_t n) -> Result<std::size_t> {
    if (off >= size) return std::size_t{0};
    std::size_t k = std::min<std::uint64_t>(n, size - off);
    std::memcpy(buf, data + off, k);
    return k;
  };
  (void)oci::index_tar(read_at, size, "fuzz.tar");
  return 0;
}
