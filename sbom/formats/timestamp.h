#pragma once
// Creation times in the one form both SPDX (YYYY-MM-DDThh:mm:ssZ) and CycloneDX
// (RFC 3339 date-time) accept.
#include <cstdint>
#include <string>

namespace cairn::sbom {

// RFC 3339 UTC without fractional seconds, e.g. "2024-01-02T03:04:05Z". Epochs before
// 1970 or after 9999-12-31T23:59:59Z are clamped to those ends, so a bad
// SOURCE_DATE_EPOCH still gives a well-formed document.
std::string rfc3339_utc(std::int64_t epoch_seconds);

}  // namespace cairn::sbom
