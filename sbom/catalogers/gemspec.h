#pragma once
// Installed gem specifications (<gem home>/specifications/<name>-<version>.gemspec) read
// as text, never executed, the way Syft's gemspec parser reads them: assignments of
// string literals and arrays of string literals to name, version, homepage, files,
// authors, licenses (and the singular license) on the spec object. RubyGems writes these
// stubs itself, so the subset covers real installs: `.freeze` suffixes, "\u00E9" escapes,
// and "#{s.name}" / "#{s.version}" interpolation, which is resolved from the captured
// name and version (a homepage with an interpolation left over is dropped, as in Syft:
// it would not be a valid URL).
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom {

struct Gemspec {
  std::string name;
  std::string version;
  std::string homepage;
  std::vector<std::string> files;     // relative to the gem's directory
  std::vector<std::string> authors;
  std::vector<std::string> licenses;  // `licenses = [...]`, or `license = "..."`
};

// Parses a gemspec. A spec without a literal name or version is an input error naming
// the field (there is no package to report).
Result<Gemspec> parse_gemspec(std::string_view text);

}  // namespace cairn::sbom
