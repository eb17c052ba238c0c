#pragma once
// Identifiers derived from content, never from counters or input order, so the same
// inventory always gives the same SPDXIDs, bom-refs, document namespace and serial number.
#include <string>
#include <string_view>

#include "sbom/package.h"

namespace cairn::sbom {

// Where cairn's SPDX document namespaces live. The namespace only has to be a unique
// absolute URI; it is not fetched. ".invalid" (RFC 2606) guarantees it names nobody's host.
inline constexpr std::string_view kCairnDocumentBase = "https://cairn.invalid/sbom";

// SHA-256 (hex) over every field of the package: two packages share it only when they
// are identical.
std::string package_fingerprint(const Package& package);

// An SPDX idstring: every character outside [A-Za-z0-9.-] becomes '-'; at most
// `max_length` characters are kept.
std::string sanitize_spdx_id(std::string_view text, std::size_t max_length = 64);

// An RFC 4122 version-5 UUID (SHA-1 name-based, URL namespace) of `name`, lower-case
// "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx".
std::string uuid_v5(std::string_view name);

// The UUID that identifies a document whose content (everything but the identifier
// itself) hashes to `content_sha256`.
std::string content_uuid(std::string_view content_sha256);

}  // namespace cairn::sbom
