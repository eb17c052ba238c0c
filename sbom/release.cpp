// Linux distribution identification (first cut; being completed).
#include "sbom/release.h"

#include "sbom/catalogers/catalogers.h"
#include "sbom/file_resolver.h"

namespace cairn::sbom {

std::vector<CaptureRule> release_capture_rules() {
  return {{"/etc/os-release", 64 * 1024}, {"/usr/lib/os-release", 64 * 1024}};
}

std::optional<Release> parse_os_release(const std::string& content) {
  Release r;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string line = content.substr(pos, end - pos);
    pos = end + 1;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (key == "ID") r.id = value;
    else if (key == "VERSION_ID") r.version_id = value;
    else if (key == "VERSION") r.version = value;
    else if (key == "NAME") r.name = value;
    else if (key == "PRETTY_NAME") r.pretty_name = value;
  }
  if (r.id.empty() && r.name.empty()) return std::nullopt;
  return r;
}

std::optional<Release> identify_release(const FileResolver& files) {
  for (const char* path : {"/etc/os-release", "/usr/lib/os-release"}) {
    if (const std::string* content = files.read(path)) {
      if (auto r = parse_os_release(*content)) return r;
    }
  }
  return std::nullopt;
}

}  // namespace cairn::sbom
