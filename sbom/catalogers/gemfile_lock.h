#pragma once
// Bundler's Gemfile.lock as Syft's ruby-gemfile-cataloger reads it: every spec line
// (exactly four spaces of indent, "name (version)") of the GEM, GIT, PATH and PLUGIN
// SOURCE sections, with the names listed under it (six spaces) as its dependencies.
// A platform suffix Bundler appends to a native gem's version ("1.13.8-x86_64-linux")
// is not part of the version and is dropped.
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

struct GemfileLockEntry {
  std::string name;
  std::string version;
  std::vector<std::string> dependencies;  // gem names, without their requirements
};

// The entries in file order. Lines that do not fit the format are skipped, as Bundler's
// own reader and Syft do; nothing here is an error.
std::vector<GemfileLockEntry> parse_gemfile_lock(std::string_view text);

// "1.13.8-x86_64-linux" -> "1.13.8"; versions without a platform are returned unchanged.
std::string strip_gem_platform(std::string_view version);

}  // namespace cairn::sbom
