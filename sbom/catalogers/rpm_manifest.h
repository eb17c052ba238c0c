#pragma once
// CBL-Mariner / Azure Linux distroless images have no rpm database; instead
// /var/lib/rpmmanifest/container-manifest-2 lists the packages, one per line, as
//   rpm -qa --qf "%{NAME}\t%{VERSION}-%{RELEASE}\t%{INSTALLTIME}\t%{BUILDTIME}\t%{VENDOR}
//                 \t%{EPOCH}\t%{SIZE}\t%{ARCH}\t%{EPOCHNUM}\t%{SOURCERPM}\n"
// prints them.
#include <string>
#include <string_view>
#include <vector>

#include "sbom/catalogers/rpm_header.h"

namespace cairn::sbom::rpm {

struct ManifestResult {
  std::vector<HeaderInfo> packages;  // name, version, release, epoch, arch, vendor, size, source rpm
  std::vector<std::string> problems; // "line 3: ...", for lines that were skipped
};

// Reads every line as Syft does: at least 10 tab-separated fields, "VERSION-RELEASE"
// with exactly one '-', the epoch taken from EPOCHNUM unless EPOCH is "(none)", and a
// size that does not parse read as 0.
ManifestResult parse_rpm_manifest(std::string_view content);

}  // namespace cairn::sbom::rpm
