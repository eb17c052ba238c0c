#pragma once
// The table of binary classifiers: which executables (by file name) carry which
// runtime or server, and how its version is written inside the bytes. It follows
// Syft's binary-classifier-cataloger definitions (class names, globs, version shapes,
// package names, purls, CPEs); entries marked "cairn:" in the .cpp go further.
#include <cstddef>
#include <string>
#include <vector>

namespace cairn::sbom::binclass {

// One version string inside the bytes. A regex over a 90 MB binary is too slow, so
// each pattern names a literal `anchor` that every match contains; the (ECMAScript)
// regex only runs on the bytes around each occurrence of the anchor.
// "{v}" in anchor and regex stands for the version read from the file name.
struct ContentPattern {
  std::string anchor;
  std::string regex;
  std::size_t before = 0;  // bytes before the anchor that the regex may need
  std::size_t after = 64;  // bytes after the anchor's end
  int version_group = 1;   // 0: the pattern only has to be present
  int primary_group = 0;   // java "1.8.0_352-b08": the CPE version (1.8.0) ...
  int update_group = 0;    // ... and the CPE update (352)
  bool digit_after_anchor = false;  // cheap filter for one-byte anchors such as "\0"
};

// One way to identify the package; every pattern must match (the last one that
// captures a version wins), and `path_regex` (on the full path, if set) must match.
// Its group 1, if any, is the "{v}" of the patterns.
struct Evidence {
  std::string path_regex;
  std::vector<ContentPattern> all;
};

struct Classifier {
  std::string class_name;          // Syft's class, e.g. "python-binary"
  std::vector<std::string> globs;  // on the file's real path, e.g. "**/python*"
  std::vector<Evidence> any;       // the first that matches gives the version
  // Classifiers sharing a group are alternatives (Syft's branching matchers): for one
  // file, only the first of the group that matches counts.
  std::string exclusive_group;
  // Shared-library lookup (Syft's SharedLibraryLookup): a DT_NEEDED name matching this
  // regex points at a library in the image whose own match (by `library_class`) gives
  // the version. Tried before `any`, as Syft does.
  std::string needed_library;
  std::string library_class;
  bool lookup_only = false;  // found only to serve a lookup, never reported alone
  std::string package;       // package name
  std::string purl_type;     // "generic", or "golang" (the package type becomes go-module)
  std::string purl_namespace;
  std::string purl_name;
  struct Cpe {
    std::string vendor;
    std::string product;
  };
  std::vector<Cpe> cpes;
};

// The classifiers in Syft's order (the order decides which evidence is primary when
// two classifiers find the same package).
const std::vector<Classifier>& classifiers();

// The classifier with this class name, or nullptr.
const Classifier* find_classifier(const std::string& class_name);

}  // namespace cairn::sbom::binclass
