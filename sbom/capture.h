#pragma once
// Decides which files' content is buffered while a layer or directory is read.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"

namespace cairn::sbom {

class CapturePolicy {
 public:
  explicit CapturePolicy(std::vector<CaptureRule> rules);
  // The size cap for a path some rule matches (the largest cap among matching rules),
  // or nullopt when no rule wants it.
  std::optional<std::size_t> cap_for(std::string_view path) const;

 private:
  std::vector<CaptureRule> rules_;
  std::vector<std::string_view> basenames_;  // literal last segment of each rule, or "" if wild
};

}  // namespace cairn::sbom
