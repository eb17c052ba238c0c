#pragma once
// Runs a helper program (a docker-credential-* helper, say) directly, without a shell:
// argv as given, the program found on PATH when its name has no '/', stdin fed from
// bytes, stdout and stderr captured up to caps, killed when it outlives a timeout.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/error.h"

namespace cairn::subprocess {

struct Options {
  std::string stdin_bytes;  // written to the program's stdin, which is then closed
  std::chrono::milliseconds timeout{30'000};
  // Output past a cap is read and dropped (so the program never blocks on a full pipe)
  // and the matching *_truncated flag is set.
  std::size_t max_stdout_bytes = 1 << 20;
  std::size_t max_stderr_bytes = 64 << 10;
};

struct Outcome {
  int exit_code = -1;       // the exit status when the program exited, else -1
  int signal = 0;           // the signal that ended it, else 0
  bool timed_out = false;   // killed (SIGKILL) at the timeout
  std::string stdout_bytes;
  std::string stderr_bytes;
  bool stdout_truncated = false;
  bool stderr_truncated = false;

  bool succeeded() const { return exit_code == 0; }
};

// Runs `program` with `args` (argv[0] is `program`) and the caller's environment.
// An error only when the program could not be started at all (not found, not
// executable, out of resources); how it ended is in the Outcome.
Result<Outcome> run(const std::string& program, const std::vector<std::string>& args, const Options& options = {});

}  // namespace cairn::subprocess
