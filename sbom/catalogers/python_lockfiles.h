#pragma once
// Python packages declared by lock and requirement files, for dir: sources only (images
// report what is installed), as Syft's python-package-cataloger: requirements*.txt lines
// pinned with == or === (unpinned ones are not guessed) and Pipfile.lock "default"
// entries (the "develop" section's development dependencies are left out) and poetry.lock
// [[package]] entries (all categories, as Syft reports them).
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"

namespace cairn::sbom {

Cataloger python_lockfile_cataloger();

struct PythonRequirement {
  std::string name;        // as written
  std::string version;     // the pinned version; empty when not pinned exactly
  std::string constraint;  // "== 4.0.0"
  std::string markers;     // after ';'
  std::string url;         // after " @ "
  std::vector<std::string> extras;
};

// Every requirement line of a requirements file (continuations joined, comments, options,
// -r / -e lines and lines without a name left out).
std::vector<PythonRequirement> parse_python_requirements(std::string_view text);

struct PythonLockEntry {
  std::string name;
  std::string version;
  std::string index;
  // Names (normalised) this entry needs: poetry.lock [package.dependencies] keys and the
  // requirements of every [package.extras] list, as Syft links them.
  std::vector<std::string> dependencies;
};

struct PythonLockParse {
  std::vector<PythonLockEntry> entries;
  std::vector<std::string> problems;
};

PythonLockParse parse_pipfile_lock(std::string_view text);

// A line-oriented reader of the TOML subset poetry.lock uses for what we need: the
// name and version keys of each [[package]] table, the url of its [package.source], the
// keys of [package.dependencies] and the requirement strings of [package.extras].
PythonLockParse parse_poetry_lock(std::string_view text);

}  // namespace cairn::sbom
