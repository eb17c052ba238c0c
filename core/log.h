#pragma once
// Diagnostics on stderr. Warnings are for input cairn accepted but the user should know
// about (a truncated tar, a skipped file); they never go to stdout, which carries output.
#include <string>

namespace cairn::log {

void warn(const std::string& message);
void info(const std::string& message);   // shown only with --verbose
void set_verbose(bool verbose);
void set_quiet(bool quiet);              // suppresses warnings too (tests, fuzzing)
int warning_count();

}  // namespace cairn::log
