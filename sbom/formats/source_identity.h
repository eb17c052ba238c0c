#pragma once
// How the scanned image or directory is named in both formats: its purl, its display
// name and the path segment of the SPDX document namespace.
#include <optional>
#include <string>

#include "sbom/inventory.h"

namespace cairn::sbom {

// pkg:oci/<name>@sha256:…?arch=…&repository_url=…&tag=… (purl-spec "oci" type, as Syft
// writes it): the name is the last segment of the repository, lower-cased; the manifest
// digest is the version; repository_url is the whole repository name when it has more
// than one segment ("lab/app", "registry.example/team/app"). Empty for a directory
// source or an image whose manifest digest is unknown.
std::string image_purl(const SourceInfo& source);

// "name:tag" (or just the name) for an image, the path for a directory; the user's input
// when the name is unknown.
std::string source_display_name(const SourceInfo& source);

// The document namespace: kCairnDocumentBase/<image|dir>/<cleaned name>-<uuid>.
std::string spdx_document_namespace(const SourceInfo& source, const std::string& content_uuid);

// The layer that introduced a package: its index, blob digest and diff ID (either digest
// may be empty when the source did not know it).
struct LayerFacts {
  int index = -1;
  std::string digest;
  std::string diff_id;
};
// nullopt when the package has no layer or its index is outside the source's layers.
std::optional<LayerFacts> layer_facts(const SourceInfo& source, const Package& package);

}  // namespace cairn::sbom
