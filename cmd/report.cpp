#include <cstdio>

#include "cmd/commands.h"
#include "core/error.h"

namespace cairn::cmd {

int report_error(const Error& error) {
  std::fprintf(stderr, "cairn: error: %s\n", error.message.c_str());
  return exit_code(error.kind);
}

}  // namespace cairn::cmd
