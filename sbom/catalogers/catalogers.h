#pragma once
// Factories of the catalogers in the table (registry.cpp), one per ecosystem file.
#include <vector>

#include "sbom/cataloger.h"

namespace cairn::sbom {

std::vector<CaptureRule> release_capture_rules();  // sbom/release.cpp

}  // namespace cairn::sbom
