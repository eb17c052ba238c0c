#pragma once
// A cataloger is an entry in a table: the files it needs (path patterns with size caps)
// and a function from the filesystem view to packages. The layer reader buffers only
// files some rule matches, so a cataloger must declare every file it reads.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sbom/file_resolver.h"
#include "sbom/package.h"
#include "sbom/release.h"

namespace cairn::sbom {

// Turns a large file (an archive, an executable) into the small extract a cataloger
// needs, while the layer is read, so only the extract stays in memory. nullopt: nothing
// of interest. Runs on several layers at once: it must be pure and thread-safe, and
// cope with hostile bytes.
using Extractor = std::function<std::optional<std::string>(std::string_view path, std::string_view bytes)>;

struct CaptureRule {
  std::string pattern;    // glob, as FileResolver::glob; unused when `executables` is set
  std::size_t max_bytes;  // larger files are skipped with a warning naming them
  // With an extractor the bytes are not kept: FileResolver::extract(path, extract_name)
  // returns what it made of them. Without, FileResolver::read returns the bytes.
  std::string extract_name;
  Extractor extract;
  // Match every regular file that starts with an ELF, PE ("MZ") or Mach-O magic,
  // whatever its name (Go and Rust binaries, static runtimes).
  bool executables = false;
};

struct CatalogContext {
  std::optional<Release> release;  // for purls (distro qualifier) and CPEs
  // dir: sources also read lock and manifest files (requirements.txt, package-lock.json,
  // …), as Syft does; images report only what is installed.
  bool directory_source = false;
};

struct Cataloger {
  std::string name;  // Syft's cataloger name, e.g. "dpkg-db-cataloger"
  std::vector<CaptureRule> captures;
  std::function<CatalogResult(const FileResolver&, const CatalogContext&)> run;
};

// Every cataloger cairn runs on images, in a fixed order (output is sorted anyway).
const std::vector<Cataloger>& image_catalogers();

// The capture rules of all catalogers plus distro identification.
std::vector<CaptureRule> all_capture_rules();

// The group a cataloger belongs to for --catalogers: "os" (dpkg, rpm, apk, alpm
// databases), "binary" (version strings in executables) or "language" (the rest).
std::string cataloger_group(const Cataloger& c);

// The catalogers `selection` names, in table order: group names, cataloger names, or
// "all". An unknown name is a usage error listing the valid ones.
Result<std::vector<Cataloger>> select_catalogers(const std::vector<std::string>& selection);

// The capture rules of these catalogers plus distro identification.
std::vector<CaptureRule> capture_rules_of(const std::vector<Cataloger>& catalogers);

}  // namespace cairn::sbom
