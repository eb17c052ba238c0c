#pragma once
// Diagnostics on stderr. Warnings are for input cairn accepted but the user should know
// about (a truncated tar, a skipped file); they never go to stdout, which carries output.
#include <string>
#include <string_view>

namespace cairn::log {

// Messages quote hostile input (entry names, package fields): control characters are
// replaced with '?' so that nothing an image holds can drive the user's terminal.
std::string printable(std::string_view text);

void warn(const std::string& message);
void info(const std::string& message);   // shown only with --verbose
void set_verbose(bool verbose);
void set_quiet(bool quiet);              // suppresses warnings too (tests, fuzzing)
int warning_count();

}  // namespace cairn::log
