#pragma once
// Names the license of a license file shipped in a dist-info directory when METADATA
// declares none (no License-Expression, no License): the few permissive licenses whose
// canonical wording identifies them unambiguously. Anything else stays unnamed and the
// cataloger falls back to the trove classifiers.
#include <optional>
#include <string>
#include <string_view>

namespace cairn::sbom {

// "BSD-3-Clause", "BSD-2-Clause", "MIT", "ISC" or "Apache-2.0"; nullopt otherwise.
std::optional<std::string> identify_python_license_text(std::string_view text);

}  // namespace cairn::sbom
