#pragma once
// CycloneDX 1.6 JSON (1.5 with WriteOptions::cyclonedx_minor = 5), shaped like Syft's
// cyclonedx-json:
//
// - metadata.component is the image (type "container", version = manifest digest,
//   SHA-256 hash, purl pkg:oci/…, image facts as "cairn:image:*" properties) or the
//   directory (type "file"); the distro is on it as "cairn:distro:*" properties.
// - components: one "library" per package ("application" for type "binary"), then an
//   "operating-system" component for the distro (bom-ref "os:<id>@<version>"), as Syft
//   writes them.
// - bom-ref of a package: its purl when no other component has the same one, else the
//   purl with a "package-id" qualifier (Syft's form), else "cairn:package:<id>"; the id
//   is a prefix of the package's content fingerprint.
// - licenses: license.id for a single SPDX id, one "expression" when every declared
//   license is an SPDX expression and at least one is compound, license.name for text
//   that is not SPDX (then any compound expressions are names too, since the schema
//   does not allow a list to mix licenses and an expression). 1.6 marks them
//   acknowledgement "declared".
// - properties, sorted by name: cairn:package:{foundBy,type,arch,sourceName,
//   sourceVersion}, cairn:cpe23 (CPEs after the first, which is "cpe"),
//   cairn:location:N:path, cairn:metadata:<key>, cairn:layer:{digest,diffID,index} and
//   cairn:layer:deleted = "true" for packages a later layer removed, and with
//   WriteOptions::include_files one cairn:file:path per owned file (CycloneDX has no
//   file list on a component, and file components would need hashes cairn lacks).
// - dependencies: an entry for every component (the schema asks that components with
//   no dependencies be listed with none); the container/directory depends on the
//   packages that no package depends on, so the graph has one root.
// - serialNumber: urn:uuid: of a version-5 UUID of the BOM's own content.
#include <string>

#include "sbom/inventory.h"

namespace cairn::sbom {

// The BOM, 2-space indented, ending with a newline. Byte-identical for the same
// inventory and options, whatever the order of Inventory::packages. A cyclonedx_minor
// other than 5 writes 1.6.
std::string write_cyclonedx_json(const Inventory& inventory, const WriteOptions& options);

}  // namespace cairn::sbom
