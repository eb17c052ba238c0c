#pragma once
// License names from Debian packages: usr/share/doc/PKG/copyright files and the inline
// License field of opkg databases.
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom::dpkg {

// The licenses a copyright file names, deduplicated and sorted.
//
// A machine-readable (DEP-5) file, one whose first non-blank line is
// "Format: http(s)://www.debian.org/doc/packaging-manuals/copyright-format/...", is read as
// Syft's parseLicensesFromCopyright reads it: the first word of each "License: " line,
// each /usr/share/common-licenses/NAME reference, "LICENSE AGREEMENT [FOR ...]" headings,
// and the first sentence under a dashed heading at the top; values containing " or " /
// " and " (summaries) or equal to "none" are dropped, a trailing '.' is removed.
//
// Syft hands any other file to a full-text license classifier, which cairn does not have;
// from those files only /usr/share/common-licenses/NAME references are taken, since they
// name a license file unambiguously.
std::vector<std::string> licenses_from_copyright(std::string_view text);

// The License field of an opkg stanza, as Syft reads it: kept whole, as written, when it
// is a valid SPDX expression of known ids ("MIT", "GPL-2.0-only OR MIT"), otherwise split
// on whitespace ("GPL-2.0 BSD-3-Clause" -> "GPL-2.0", "BSD-3-Clause").
std::vector<std::string> split_declared_license(std::string_view text);

}  // namespace cairn::sbom::dpkg
