#pragma once
// The apk installed database (lib/apk/db/installed): stanzas of "X:value" lines separated
// by blank lines, as https://wiki.alpinelinux.org/wiki/Apk_spec describes. A pure
// parser: bytes in, entries and problems out.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom {

struct ApkFileRecord {
  std::string path;  // absolute, normalised; directories (F:) and files (R:) alike
  bool directory = false;
  std::string owner_uid;    // from M: (directories) or a: (files)
  std::string owner_gid;
  std::string permissions;  // octal as written, "755"
  std::string digest_algorithm;  // "'Q1'+base64(sha1)" or "md5", as Syft names them
  std::string digest;            // Z: as written
};

struct ApkDbEntry {
  std::size_t first_line = 0;  // where the stanza starts, for messages
  std::string package;        // P:
  std::string version;        // V:
  std::string architecture;   // A:
  std::string license;        // L: as written (an SPDX expression or a list)
  std::string origin;         // o: the source package
  std::string maintainer;     // m:
  std::string url;            // U:
  std::string description;    // T:
  std::int64_t size = 0;            // S: package size
  std::int64_t installed_size = 0;  // I:
  std::string checksum;       // C: "Q1" + base64(sha1) of the control stream
  std::string git_commit;     // c: aports commit
  std::string build_time;     // t: unix seconds
  std::string provider_priority;  // k:
  std::vector<std::string> dependencies;  // D: "so:libc.musl-x86_64.so.1", "busybox=1.36", "!conflict"
  std::vector<std::string> provides;      // p: "cmd:bash=5.2.21-r0"
  std::vector<std::string> replaces;      // r:
  std::vector<std::string> install_if;    // i:
  std::vector<ApkFileRecord> files;       // F:/R: in order, with M:/a:/Z: attached
};

struct ApkDbParse {
  std::vector<ApkDbEntry> entries;
  // Lines the parser could not use: "line 3: no ':' separating field and value".
  std::vector<std::string> errors;
};

// Lines may be of any length; every field is optional. Entries without a package name
// are kept (the cataloger decides) so that no stanza disappears silently.
ApkDbParse parse_apk_db(std::string_view content);

// "musl>=1.2" -> "musl", "cmd:scanelf=1.3.4-r0" -> "cmd:scanelf", "!foo" stays.
std::string apk_strip_version(std::string_view spec);

}  // namespace cairn::sbom
