#pragma once
// Python packages declared by lock and requirement files, for dir: sources only (images
// report what is installed), as Syft's python-package-cataloger: requirements*.txt lines
// pinned with == or === (unpinned ones are not guessed), Pipfile.lock "default" entries
// (the "develop" section's development dependencies are left out), the [[package]]
// entries of poetry.lock, uv.lock and pdm.lock (all groups, as Syft reports them; pdm's
// per-extras entries merged into one package) and the pinned "name==version" strings
// of setup.py. Lock files give dependency edges between their own entries.
#include <map>
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

struct PythonLockDependency {
  std::string name;     // normalised
  std::string version;  // set when the lock names one version (uv forks); empty: any
  bool operator==(const PythonLockDependency&) const = default;
};

struct PythonLockEntry {
  std::string name;
  std::string version;
  std::string index;
  // What this entry needs, as Syft links lock entries: every dependency and every
  // requirement of every extra (poetry [package.dependencies] keys and [package.extras]
  // lists; uv dependencies not limited to an extra by their marker, and
  // [package.optional-dependencies]; pdm dependencies of the base and extras entries).
  std::vector<PythonLockDependency> dependencies;
  std::map<std::string, std::string> metadata;  // pdm summary, marker, requires_python
};

struct PythonLockParse {
  std::vector<PythonLockEntry> entries;
  std::vector<std::string> problems;
};

PythonLockParse parse_pipfile_lock(std::string_view text);

// The TOML lock files (read with sbom/toml.h). A file that is not valid TOML gives one
// problem naming line and column; a [[package]] without a name is a problem and left out.
PythonLockParse parse_poetry_lock(std::string_view text);
// uv.lock: lock versions 0 and 1 (later ones are refused, as Syft refuses them); index is
// the package's source (registry URL, or the path of a virtual/editable project).
PythonLockParse parse_uv_lock(std::string_view text);
// pdm.lock: entries of the same name and version (one per extras combination) become one.
PythonLockParse parse_pdm_lock(std::string_view text);

// setup.py: quoted pins ("name==version", 'name == version') anywhere, and unquoted
// "name==version" lines inside triple-quoted strings (install_requires = """...""".split()).
// Templated strings ("%s", "{}") are skipped; duplicates are reported once.
std::vector<PythonRequirement> parse_python_setup(std::string_view text);

}  // namespace cairn::sbom
