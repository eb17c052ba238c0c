#pragma once
// The files older or minimal images carry instead of os-release, one parser each, as
// Syft reads them. identify_release (release.h) tries them in order.
#include <optional>
#include <string>
#include <string_view>

#include "sbom/release.h"

namespace cairn::sbom {

// etc/system-release-cpe: "cpe:/o:centos:linux:6:GA" -> centos 6.
std::optional<Release> parse_system_release_cpe(std::string_view content);

// etc/redhat-release: "CentOS release 5.7 (Final)", "Rocky Linux release 8.10 (Green
// Obsidian)". The version needs a minor number ("release 5" is refused, as in Syft).
std::optional<Release> parse_redhat_release(std::string_view content);

// etc/lsb-release: DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_CODENAME, DISTRIB_DESCRIPTION.
std::optional<Release> parse_lsb_release(std::string_view content);

// etc/debian_version alone: "10.8" (a numeric point release) or "bookworm/sid".
std::optional<Release> parse_debian_version(std::string_view content);

// The numeric point release in etc/debian_version ("13.5"), or "" when it is a codename.
std::string debian_point_release(std::string_view content);

// etc/alpine-release: "3.18.4".
std::optional<Release> parse_alpine_release(std::string_view content);

// The "BusyBox v1.31.1" banner inside the busybox binary.
std::optional<Release> parse_busybox(std::string_view content);

}  // namespace cairn::sbom
