#include "sbom/capture.h"

namespace cairn::sbom {

CapturePolicy::CapturePolicy(std::vector<CaptureRule> rules) : rules_(std::move(rules)) {
  for (const auto& r : rules_) {
    std::string_view p = r.pattern;
    auto slash = p.rfind('/');
    auto base = slash == std::string_view::npos ? p : p.substr(slash + 1);
    basenames_.push_back(base.find_first_of("*?") == std::string_view::npos ? base : std::string_view{});
  }
}

std::optional<std::size_t> CapturePolicy::cap_for(std::string_view path) const {
  auto slash = path.rfind('/');
  auto base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  std::optional<std::size_t> cap;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    // Most paths fail the cheap basename test; only then run the full glob.
    if (!basenames_[i].empty() && basenames_[i] != base) continue;
    if (glob_match(rules_[i].pattern, path) && (!cap || rules_[i].max_bytes > *cap)) cap = rules_[i].max_bytes;
  }
  return cap;
}

}  // namespace cairn::sbom
