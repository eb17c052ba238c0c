#pragma once
// Runs the classifier table (binary_classifier_table.h) over one executable's bytes:
// the file name decides which classifiers apply (most files: none, at the cost of a
// few glob matches), then each applicable classifier's anchors are searched with
// memmem and its small regexes run only around the hits. Work is bounded by a byte
// budget per pattern, so hostile or huge files cannot make it slow.
#include <string>
#include <string_view>
#include <vector>

#include "sbom/catalogers/binary_classifier_table.h"

namespace cairn::sbom::binclass {

struct Match {
  std::string class_name;
  std::string package;
  std::string version;
  std::string primary;  // CPE version when the classifier splits the version (java 1.8.0_352)
  std::string update;   // CPE update, likewise
  bool operator==(const Match&) const = default;
};

// A DT_NEEDED library a classifier would read the version from (Syft's shared-library
// lookup); the cataloger finds the library in the image.
struct NeededLibrary {
  std::string class_name;
  std::string library;  // "libpython3.11.so.1.0"
  bool operator==(const NeededLibrary&) const = default;
};

struct Classification {
  std::vector<Match> matches;
  std::vector<NeededLibrary> needed;
  bool empty() const { return matches.empty() && needed.empty(); }
};

// Whether any classifier applies to a file at this path (by name only).
bool is_candidate(std::string_view path);

// Every classifier that applies to the path, run over the bytes.
Classification classify(std::string_view path, std::string_view bytes);

// The first match of one pattern in the bytes: {version, primary, update}; empty
// version (and false) when absent. "{v}" must already be substituted. Exposed for tests.
struct PatternHit {
  bool found = false;
  std::string version, primary, update;
};
PatternHit find_pattern(std::string_view bytes, const ContentPattern& pattern);

// DT_NEEDED entries of an ELF file (32/64-bit, either byte order), read through the
// section headers; empty for anything else or anything malformed. Capped at 512 names.
std::vector<std::string> elf_needed_libraries(std::string_view bytes);

}  // namespace cairn::sbom::binclass
