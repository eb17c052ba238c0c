// Linux distribution identification: os-release first, then the older files Syft falls
// back to, in its order.
#include "sbom/release.h"

#include <algorithm>
#include <cctype>

#include "sbom/catalogers/catalogers.h"
#include "sbom/file_resolver.h"
#include "sbom/key_value_file.h"
#include "sbom/release_fallbacks.h"

namespace cairn::sbom {

namespace {

// Text files here are a few hundred bytes; the caps only keep a hostile image from
// making us buffer a huge file. busybox is a binary of one to two megabytes.
constexpr std::size_t kReleaseFileCap = 64 * 1024;
constexpr std::size_t kBusyboxCap = 8 * 1024 * 1024;

using Parser = std::optional<Release> (*)(std::string_view);

std::optional<Release> parse_os_release_view(std::string_view content) {
  return parse_os_release(std::string(content));
}

struct IdentityFile {
  const char* path;
  Parser parse;
};

// The order matters: os-release wins; busybox comes last because other distributions
// carry the busybox binary too.
constexpr IdentityFile kIdentityFiles[] = {
    {"/etc/os-release", parse_os_release_view},
    {"/usr/lib/os-release", parse_os_release_view},
    {"/etc/system-release-cpe", parse_system_release_cpe},
    {"/etc/redhat-release", parse_redhat_release},
    {"/etc/lsb-release", parse_lsb_release},
    {"/etc/debian_version", parse_debian_version},
    {"/etc/alpine-release", parse_alpine_release},
    {"/bin/busybox", parse_busybox},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// os-release of Debian names only the major version; etc/debian_version has the point
// release ("12" -> "12.5").
void supplement_debian_version(const FileResolver& files, Release& release) {
  if (!iequals(release.id, "debian")) return;
  const std::string* content = files.read("/etc/debian_version");
  if (!content) return;
  std::string point = debian_point_release(*content);
  if (point.empty()) return;
  release.version_id = point;
  if (release.version.empty()) release.version = point;
}

}  // namespace

std::vector<CaptureRule> release_capture_rules() {
  std::vector<CaptureRule> rules;
  for (const auto& f : kIdentityFiles) {
    std::string_view path = f.path;
    if (path == "/bin/busybox") continue;
    rules.push_back({std::string(path), kReleaseFileCap});
  }
  // Files the ones above are often symlinks to (redhat-release -> system-release ->
  // <distro>-release); only captured files can be read through a link.
  for (const char* target : {"/etc/system-release", "/etc/centos-release", "/etc/almalinux-release",
                             "/etc/rocky-release", "/etc/fedora-release", "/usr/lib/fedora-release",
                             "/usr/lib/system-release-cpe", "/usr/lib/lsb-release"})
    rules.push_back({target, kReleaseFileCap});
  // /bin is a symlink to usr/bin on merged-/usr systems.
  rules.push_back({"/bin/busybox", kBusyboxCap});
  rules.push_back({"/usr/bin/busybox", kBusyboxCap});
  return rules;
}

std::optional<Release> parse_os_release(const std::string& content) {
  auto values = parse_key_value_file(content);
  auto get = [&](const char* key) {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  };
  Release r;
  r.pretty_name = get("PRETTY_NAME");
  r.name = get("NAME");
  r.id = get("ID");
  std::string id_like = get("ID_LIKE");
  for (std::size_t i = 0; i < id_like.size();) {
    std::size_t j = id_like.find_first_of(" \t", i);
    if (j == std::string::npos) j = id_like.size();
    if (j > i) r.id_like.push_back(id_like.substr(i, j - i));
    i = j + 1;
  }
  r.version = get("VERSION");
  r.version_id = get("VERSION_ID");
  r.version_codename = get("VERSION_CODENAME");
  r.build_id = get("BUILD_ID");
  r.variant = get("VARIANT");
  r.variant_id = get("VARIANT_ID");
  r.home_url = get("HOME_URL");
  r.support_url = get("SUPPORT_URL");
  r.bug_report_url = get("BUG_REPORT_URL");
  r.privacy_policy_url = get("PRIVACY_POLICY_URL");
  r.cpe_name = get("CPE_NAME");
  r.support_end = get("SUPPORT_END");
  // An empty file (or one of comments) identifies nothing.
  if (r == Release{}) return std::nullopt;
  return r;
}

std::optional<Release> identify_release(const FileResolver& files) {
  for (const auto& f : kIdentityFiles) {
    const std::string* content = files.read(f.path);
    if (!content) continue;
    if (auto release = f.parse(*content)) {
      supplement_debian_version(files, *release);
      return release;
    }
  }
  return std::nullopt;
}

}  // namespace cairn::sbom
