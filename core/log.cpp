#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace cairn::log {
namespace {
std::atomic<bool> g_verbose{false};
std::atomic<bool> g_quiet{false};
std::atomic<int> g_warnings{0};
std::mutex g_mutex;

void emit(const char* prefix, const std::string& message) {
  std::string safe = printable(message);
  std::lock_guard lock(g_mutex);
  std::fprintf(stderr, "cairn: %s%s\n", prefix, safe.c_str());
}
}  // namespace

std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return out;
}

void warn(const std::string& message) {
  ++g_warnings;
  if (!g_quiet) emit("warning: ", message);
}
void info(const std::string& message) {
  if (g_verbose && !g_quiet) emit("", message);
}
void set_verbose(bool verbose) { g_verbose = verbose; }
void set_quiet(bool quiet) { g_quiet = quiet; }
int warning_count() { return g_warnings; }

}  // namespace cairn::log
