#include "sbom/zlib_inflate.h"

#include <zlib.h>

#include <algorithm>

namespace cairn::sbom {

Result<std::string> zlib_inflate(std::string_view compressed, std::size_t max_output) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return input_error("zlib: inflateInit failed");
  std::string out;
  char buffer[16384];
  std::size_t consumed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < compressed.size()) {
      auto chunk = std::min<std::size_t>(compressed.size() - consumed, 1u << 30);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + consumed));
      stream.avail_in = static_cast<uInt>(chunk);
      consumed += chunk;
    }
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    std::size_t produced = sizeof buffer - stream.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced > 0)) {
      std::string message = stream.msg ? stream.msg : "stream error " + std::to_string(rc);
      inflateEnd(&stream);
      if (rc == Z_BUF_ERROR) message = "truncated stream";
      return input_error("zlib: " + message);
    }
    if (out.size() + produced > max_output) {
      inflateEnd(&stream);
      return input_error("zlib: output exceeds " + std::to_string(max_output) + " bytes");
    }
    out.append(buffer, produced);
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return input_error("zlib: truncated stream");
  return out;
}

}  // namespace cairn::sbom
