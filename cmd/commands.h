#pragma once
// Each subcommand registers its flags on the app and returns the action to run if it
// is the one chosen. Actions return the process exit code.
#include <CLI/CLI.hpp>
#include <functional>

#include "core/error.h"

namespace cairn::cmd {

using Action = std::function<int()>;

Action register_sbom(CLI::App& app);
Action register_discover(CLI::App& app);
Action register_attach(CLI::App& app);
Action register_copy(CLI::App& app);
Action register_login(CLI::App& app);
Action register_logout(CLI::App& app);
Action register_generate_key_pair(CLI::App& app);
Action register_public_key(CLI::App& app);
Action register_sign_blob(CLI::App& app);
Action register_verify_blob(CLI::App& app);
Action register_sign(CLI::App& app);
Action register_verify(CLI::App& app);

// Prints "cairn: error: …" and returns the exit code for the error kind.
int report_error(const Error& error);

}  // namespace cairn::cmd
