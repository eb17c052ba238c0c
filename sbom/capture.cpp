#include "sbom/capture.h"

#include <memory>
#include <utility>

namespace cairn::sbom {

namespace {

std::string_view basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

CapturePolicy::CapturePolicy(std::vector<CaptureRule> rules) : rules_(std::move(rules)) {
  for (const auto& r : rules_) {
    auto base = basename_of(r.pattern);
    basenames_.push_back(base.find_first_of("*?") == std::string_view::npos ? base : std::string_view{});
    if (r.executables) executable_cap_ = std::max(executable_cap_, r.max_bytes);
  }
}

bool CapturePolicy::matches(std::size_t i, std::string_view path, std::string_view base) const {
  if (rules_[i].executables) return false;
  // Most paths fail the cheap basename test; only then run the full glob.
  if (!basenames_[i].empty() && basenames_[i] != base) return false;
  return glob_match(rules_[i].pattern, path);
}

std::optional<std::size_t> CapturePolicy::cap_for(std::string_view path) const {
  auto base = basename_of(path);
  std::optional<std::size_t> cap;
  for (std::size_t i = 0; i < rules_.size(); ++i)
    if (matches(i, path, base) && (!cap || rules_[i].max_bytes > *cap)) cap = rules_[i].max_bytes;
  return cap;
}

bool CapturePolicy::looks_executable(std::string_view head) {
  if (head.size() < 2) return false;
  if (head.starts_with("MZ")) return true;  // PE (and DOS) executables
  if (head.size() < kMagicBytes) return false;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.starts_with("\x7f" "ELF")) return true;
  std::uint32_t be = (std::uint32_t{b(0)} << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
  switch (be) {
    case 0xfeedface: case 0xfeedfacf:  // Mach-O, big-endian 32/64
    case 0xcefaedfe: case 0xcffaedfe:  // Mach-O, little-endian 32/64
    case 0xcafebabe:                   // Mach-O universal (and Java class files)
      return true;
    default:
      return false;
  }
}

void CapturePolicy::keep(std::string_view path, std::string bytes, Entry& e) const {
  auto base = basename_of(path);
  bool executable = executable_cap_ > 0 && looks_executable(bytes);
  bool keep_bytes = false;
  Extracts extracts;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const auto& rule = rules_[i];
    bool wanted = rule.executables ? executable : matches(i, path, base);
    if (!wanted || bytes.size() > rule.max_bytes) continue;
    if (!rule.extract) {
      keep_bytes = true;
    } else if (!extracts.contains(rule.extract_name)) {
      if (auto out = rule.extract(path, bytes)) extracts.emplace(rule.extract_name, std::move(*out));
    }
  }
  if (!extracts.empty()) e.extracts = std::make_shared<const Extracts>(std::move(extracts));
  if (keep_bytes) e.content = std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace cairn::sbom
