#include <cstdio>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/log.h"

namespace cairn::cmd {

int report_error(const Error& error) {
  std::fprintf(stderr, "cairn: error: %s\n", log::printable(error.message).c_str());
  return exit_code(error.kind);
}

}  // namespace cairn::cmd
