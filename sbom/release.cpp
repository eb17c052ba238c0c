#include "sbom/release.h"
#include "sbom/catalogers/catalogers.h"
namespace cairn::sbom {
std::vector<CaptureRule> release_capture_rules() { return {}; }
}
