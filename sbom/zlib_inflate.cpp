#include "sbom/zlib_inflate.h"

#include <dlfcn.h>
#include <zlib.h>

namespace cairn::sbom {

namespace {

// cairn_sbom does not link zlib itself (libarchive does, privately), so the system's
// libz.so.1 (always present: libarchive needs it) is bound once at first use. Linking
// ZLIB::ZLIB into cairn_sbom would let this call inflate directly.
struct Zlib {
  decltype(&inflateInit_) init = nullptr;
  decltype(&inflate) run = nullptr;
  decltype(&inflateEnd) end = nullptr;
  bool ok() const { return init && run && end; }
};

const Zlib& zlib() {
  static const Zlib lib = [] {
    Zlib z;
    void* handle = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return z;
    z.init = reinterpret_cast<decltype(&inflateInit_)>(dlsym(handle, "inflateInit_"));
    z.run = reinterpret_cast<decltype(&inflate)>(dlsym(handle, "inflate"));
    z.end = reinterpret_cast<decltype(&inflateEnd)>(dlsym(handle, "inflateEnd"));
    return z;
  }();
  return lib;
}

}  // namespace

Result<std::string> zlib_inflate(std::string_view compressed, std::size_t max_output) {
  const auto& z = zlib();
  if (!z.ok()) return input_error("zlib: libz.so.1 could not be loaded; install zlib1g");
  z_stream stream{};
  if (z.init(&stream, ZLIB_VERSION, static_cast<int>(sizeof(z_stream))) != Z_OK) return input_error("zlib: inflateInit failed");
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
    rc = z.run(&stream, Z_NO_FLUSH);
    std::size_t produced = sizeof buffer - stream.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && produced > 0)) {
      std::string message = stream.msg ? stream.msg : "stream error " + std::to_string(rc);
      z.end(&stream);
      if (rc == Z_BUF_ERROR) message = "truncated stream";
      return input_error("zlib: " + message);
    }
    if (out.size() + produced > max_output) {
      z.end(&stream);
      return input_error("zlib: output exceeds " + std::to_string(max_output) + " bytes");
    }
    out.append(buffer, produced);
  }
  z.end(&stream);
  if (rc != Z_STREAM_END) return input_error("zlib: truncated stream");
  return out;
}

}  // namespace cairn::sbom
