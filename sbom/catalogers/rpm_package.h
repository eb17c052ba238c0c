#pragma once
// From decoded rpm headers to cairn packages, as Syft's redhat package does it: the
// version string, the purl, CPEs, the files that exist in the image, and the
// dependency edges between packages of one scan.
#include <optional>
#include <string>
#include <vector>

#include "sbom/catalogers/rpm_header.h"
#include "sbom/file_resolver.h"
#include "sbom/package.h"
#include "sbom/release.h"

namespace cairn::sbom::rpm {

inline constexpr const char* kDbCatalogerName = "rpm-db-cataloger";

// "[epoch:]version-release": the epoch only when the header has one (0 included).
std::string el_version(const HeaderInfo& h);

// pkg:rpm/[namespace/]name@version-release?arch=&epoch=&upstream=&distro=. The
// namespace is the distro ID, with rhel and hummingbird mapped to "redhat" and every
// opensuse* to "opensuse"; distro as distro_qualifier() forms it.
std::string package_url(const HeaderInfo& h, const std::optional<Release>& distro);

// A package found in `location` (the database or manifest). Only owned files that exist
// in `files` are kept, as Syft keeps them.
Package to_package(const HeaderInfo& h, const std::string& location, const std::optional<Release>& distro,
                   const FileResolver& files);

// "A depends on B" when A requires a name B provides: B's own name, its PROVIDENAMEs
// and the paths of its kept files. Rich (boolean) dependencies, written "(a or b)",
// are skipped as Syft skips them, and so are self-dependencies. Sorted, no duplicates.
std::vector<Dependency> resolve_dependencies(const std::vector<Package>& packages);

}  // namespace cairn::sbom::rpm
