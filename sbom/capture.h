#pragma once
// Decides which files' content is buffered while a layer or directory is read, and what
// of it is kept: the bytes, or what an extractor made of them.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.h"
#include "sbom/layer_contents.h"

namespace cairn::sbom {

class CapturePolicy {
 public:
  explicit CapturePolicy(std::vector<CaptureRule> rules);

  // The size cap for a path some rule matches by name (the largest cap among matching
  // rules), or nullopt when no rule wants it by name.
  std::optional<std::size_t> cap_for(std::string_view path) const;

  // The largest cap of the rules that match executables by content; 0 when none does.
  // Readers look at the first bytes of files up to this size (kMagicBytes of them).
  std::size_t executable_cap() const { return executable_cap_; }
  static constexpr std::size_t kMagicBytes = 4;
  static bool looks_executable(std::string_view head);

  // Fills e.content and e.extracts from a whole file's bytes, by every rule that wants
  // the path (or, for executable rules, the content) and whose cap the size fits.
  void keep(std::string_view path, std::string bytes, Entry& e) const;

 private:
  bool matches(std::size_t rule, std::string_view path, std::string_view base) const;

  std::vector<CaptureRule> rules_;
  std::vector<std::string_view> basenames_;  // literal last segment of each rule, or "" if wild
  std::size_t executable_cap_ = 0;
};

}  // namespace cairn::sbom
