#pragma once
// Passwords come from an environment variable or the terminal, never from a flag value
// (flags end up in shell history and process listings).
#include <string>

#include "core/error.h"
#include "core/secret.h"

namespace cairn {

struct PasswordRequest {
  std::string env_var;   // read first; set but empty counts as an empty password
  std::string purpose;   // for the prompt and errors: "the private key cosign.key"
  bool confirm = false;  // ask twice on the terminal (a new password)
};

// From request.env_var when it is set, else from the controlling terminal with echo off.
// Without either, a usage error that names the variable: never a hang waiting on a pipe.
Result<SecretString> read_password(const PasswordRequest& request);

// One line from the controlling terminal (/dev/tty) with echo off; an error when the
// process has no terminal.
Result<SecretString> read_terminal_secret(const std::string& prompt);

}  // namespace cairn
