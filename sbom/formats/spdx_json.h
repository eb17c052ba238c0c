#pragma once
// SPDX 2.3 JSON (spdx-spec schemas/spdx-schema.json), shaped like Syft's spdx-json:
//
// - The document DESCRIBES one root package: the image (purpose CONTAINER, purl
//   pkg:oci/…, the manifest digest as its checksum, config/index digest and platform in an
//   annotation) or the scanned directory (purpose FILE). The root CONTAINS every package;
//   packages DEPENDS_ON packages as Inventory::dependencies say.
// - Per package: licenseDeclared is an SPDX expression of the declared licenses (AND of
//   all of them) where each is one, a LicenseRef- declared in hasExtractedLicensingInfos
//   with the original text where not; licenseConcluded NOASSERTION; supplier "Person: …"
//   ("Organization: …" for rpm vendors) or NOASSERTION; sourceInfo names the cataloger
//   and the locations; purl (PACKAGE-MANAGER) and CPEs (SECURITY) as externalRefs.
// - The layer that introduced the package, and whether a later layer deleted it, are
//   annotations (type OTHER, annotator the cairn tool): the one SPDX 2.3 place for
//   tool facts about an element that validators accept. Comment format:
//     "cairn:layerDigest=sha256:… cairn:layerDiffID=sha256:… cairn:layerIndex=N"
//     "cairn:layerDeleted=true"
// - With WriteOptions::include_files, each owned file is a File element that the package
//   CONTAINS (filesAnalyzed true). cairn does not hash files, and the 2.3 schema requires
//   at least one checksum, so each gets the all-zero SHA1 that Syft also writes for files
//   it has no digest of, and a comment saying so.
// - Every id is derived from content (sbom/formats/ids.h); documentNamespace is
//   kCairnDocumentBase/<image|dir>/<name>-<UUID of the document's own content>.
#include <string>

#include "sbom/inventory.h"

namespace cairn::sbom {

// The document, 2-space indented, ending with a newline. Byte-identical for the same
// inventory and options, whatever the order of Inventory::packages.
std::string write_spdx_json(const Inventory& inventory, const WriteOptions& options);

}  // namespace cairn::sbom
