#pragma once
// The Linux distribution an image is built from, as os-release describes it.
#include <optional>
#include <string>
#include <vector>

namespace cairn::sbom {

class FileResolver;

struct Release {
  std::string id;               // "debian", "alpine", "rhel", ...
  std::string version_id;       // "12", "3.18.0"
  std::string version;          // "12 (bookworm)"
  std::string version_codename; // "bookworm"
  std::vector<std::string> id_like;
  std::string name;
  std::string pretty_name;
  std::string home_url;
  std::string support_url;
  std::string bug_report_url;
  std::string privacy_policy_url;
  std::string cpe_name;
  std::string build_id;
  std::string variant;
  std::string variant_id;
  std::string support_end;  // SUPPORT_END, an ISO 8601 date
  bool operator==(const Release&) const = default;
};

// Parses os-release content (KEY=value lines, shell quoting). nullopt when it carries
// nothing usable.
std::optional<Release> parse_os_release(const std::string& content);

// Identifies the distribution from os-release and its fallbacks, in Syft's order:
// etc/os-release, usr/lib/os-release, etc/system-release-cpe, etc/redhat-release,
// then etc/lsb-release, etc/debian_version, etc/alpine-release, and bin/busybox last
// (other distributions ship busybox too). A Debian release takes its point version
// from etc/debian_version.
std::optional<Release> identify_release(const FileResolver& files);

}  // namespace cairn::sbom
