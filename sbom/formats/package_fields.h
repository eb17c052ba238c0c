#pragma once
// Package fields both JSON formats read the same way: the supplier's name and e-mail,
// whether a purl or reference is fit to write, the declared license strings.
#include <string>
#include <vector>

#include "sbom/inventory.h"

namespace cairn::sbom {

// "Name <mail@example.org>" -> {"Name", "mail@example.org"}; a bare address becomes the
// e-mail; anything else is the name. Both trimmed.
struct Party {
  std::string name;
  std::string email;
};
Party parse_party(const std::string& text);

// True for a purl both validators accept: "pkg:<type>/<rest>" without whitespace.
bool writable_purl(const std::string& purl);

// True when `text` is non-empty and has no whitespace or control characters (SPDX
// referenceLocator, CycloneDX cpe).
bool writable_locator(const std::string& text);

// The package's declared licenses, trimmed, without empty, "NOASSERTION" and "NONE"
// entries and without repeats (first occurrence kept).
std::vector<std::string> declared_license_texts(const Package& package);

// "cairn-<version>", or "cairn" when the version is unknown.
std::string tool_identity(const WriteOptions& options);

}  // namespace cairn::sbom
