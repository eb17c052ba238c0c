#pragma once
// pacman's local database entries (var/lib/pacman/local/<name>-<version>/desc and
// .../files): sections of a "%KEY%" line followed by value lines, ended by a blank line.
// A pure parser: bytes in, fields and problems out.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

struct AlpmBackupRecord {
  std::string path;  // absolute
  std::string md5;   // of the file as packaged
};

struct AlpmDesc {
  std::string name;          // %NAME%
  std::string version;       // %VERSION%: [epoch:]pkgver-pkgrel
  std::string base;          // %BASE%: the pkgbase it was built from
  std::string description;   // %DESC%
  std::string url;           // %URL%
  std::string arch;          // %ARCH%
  std::string build_date;    // %BUILDDATE%, unix seconds
  std::string install_date;  // %INSTALLDATE%
  std::string packager;      // %PACKAGER%
  std::string validation;    // %VALIDATION%
  std::int64_t size = 0;     // %SIZE%: installed size in bytes
  std::int64_t reason = 0;   // %REASON%: 0 explicitly installed, 1 as a dependency
  std::vector<std::string> licenses;    // %LICENSE%, one per line
  std::vector<std::string> groups;      // %GROUPS%
  std::vector<std::string> depends;     // %DEPENDS%: "glibc", "libfoo.so=1-64", "bar>=2"
  std::vector<std::string> optdepends;  // %OPTDEPENDS%: "name: why"
  std::vector<std::string> provides;    // %PROVIDES%
  std::vector<std::string> conflicts;   // %CONFLICTS%
  std::vector<std::string> replaces;    // %REPLACES%
  std::vector<std::string> files;       // %FILES% (in files), absolute; directories end in '/'
  std::vector<AlpmBackupRecord> backup; // %BACKUP% (in files)
};

struct AlpmDescParse {
  AlpmDesc desc;
  // "line 4: expected a %SECTION% header, got \"%VER.6-1\"".
  std::vector<std::string> errors;
};

AlpmDescParse parse_alpm_desc(std::string_view content);

// "libtree-sitter.so=0-64" -> "libtree-sitter.so", "glibc>=2.38" -> "glibc".
std::string alpm_strip_version(std::string_view spec);

}  // namespace cairn::sbom
