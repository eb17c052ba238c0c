#include "sbom/catalogers/binary_classifier_match.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <regex>
#include <set>

#include "sbom/file_resolver.h"

namespace cairn::sbom::binclass {
namespace {

// Bytes of windows one pattern may hand to the regex engine in one file: the real
// anchors occur a few hundred times at most, a hostile file full of them stops here.
constexpr std::size_t kWindowBudget = 8u << 20;
constexpr std::size_t kMaxHits = 50000;  // likewise for anchors with tiny windows
constexpr std::size_t kMaxNeeded = 512;
constexpr std::string_view kVersionHole = "{v}";

bool has_hole(const std::string& s) { return s.find(kVersionHole) != std::string::npos; }

std::string fill_hole(std::string s, std::string_view value) {
  for (auto at = s.find(kVersionHole); at != std::string::npos; at = s.find(kVersionHole, at + value.size()))
    s.replace(at, kVersionHole.size(), value);
  return s;
}

// "3.11" -> "3\.11": a version read from a file name is matched literally.
std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::strchr(R"(\^$.|?*+()[]{}-)", c) != nullptr && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

// The table's regexes, compiled once (the table is immutable; std::regex is safe to
// share between threads for matching).
struct CompiledEvidence {
  std::optional<std::regex> path;
  std::vector<std::optional<std::regex>> patterns;  // nullopt: has a "{v}" hole
};

const std::vector<std::vector<CompiledEvidence>>& compiled() {
  static const auto table = [] {
    std::vector<std::vector<CompiledEvidence>> out;
    for (const auto& c : classifiers()) {
      auto& evidences = out.emplace_back();
      for (const auto& e : c.any) {
        auto& ce = evidences.emplace_back();
        if (!e.path_regex.empty()) ce.path.emplace(e.path_regex, std::regex::ECMAScript | std::regex::optimize);
        for (const auto& p : e.all) {
          if (has_hole(p.regex) || has_hole(p.anchor)) {
            ce.patterns.emplace_back();
          } else {
            ce.patterns.emplace_back(std::regex(p.regex, std::regex::ECMAScript | std::regex::optimize));
          }
        }
      }
    }
    return out;
  }();
  return table;
}

std::string group(const std::match_results<const char*>& m, int index) {
  if (index <= 0 || static_cast<std::size_t>(index) >= m.size() || !m[index].matched) return {};
  return m[index].str();
}

PatternHit search(std::string_view bytes, const ContentPattern& p, const std::regex& re) {
  PatternHit hit;
  if (p.anchor.empty() || bytes.size() < p.anchor.size()) return hit;
  std::size_t budget = kWindowBudget;
  std::size_t hits = 0;
  std::size_t pos = 0;
  while (pos + p.anchor.size() <= bytes.size() && hits < kMaxHits) {
    const void* found = memmem(bytes.data() + pos, bytes.size() - pos, p.anchor.data(), p.anchor.size());
    if (found == nullptr) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
    pos = at + 1;
    const std::size_t anchor_end = at + p.anchor.size();
    if (p.digit_after_anchor &&
        (anchor_end >= bytes.size() || bytes[anchor_end] < '0' || bytes[anchor_end] > '9'))
      continue;
    if (p.version_group == 0) {
      hit.found = true;
      return hit;
    }
    const std::size_t begin = at >= p.before ? at - p.before : 0;
    const std::size_t end = std::min(bytes.size(), anchor_end + p.after);
    if (end - begin > budget) break;
    budget -= end - begin;
    ++hits;
    std::match_results<const char*> m;
    if (!std::regex_search(bytes.data() + begin, bytes.data() + end, m, re)) continue;
    std::string version = group(m, p.version_group);
    if (version.empty()) continue;
    hit.found = true;
    hit.version = std::move(version);
    hit.primary = group(m, p.primary_group);
    hit.update = group(m, p.update_group);
    return hit;
  }
  return hit;
}

// One evidence of a classifier: every pattern must be found; the version comes from
// the last pattern that captures one.
std::optional<PatternHit> match_evidence(std::string_view path, std::string_view bytes, const Evidence& e,
                                         const CompiledEvidence& ce) {
  std::string hole;
  if (ce.path) {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(path.begin(), path.end(), m, *ce.path)) return std::nullopt;
    if (m.size() > 1 && m[1].matched) hole = m[1].str();
  }
  PatternHit result;
  for (std::size_t i = 0; i < e.all.size(); ++i) {
    const ContentPattern& p = e.all[i];
    PatternHit hit;
    if (ce.patterns[i]) {
      hit = search(bytes, p, *ce.patterns[i]);
    } else {
      if (hole.empty()) return std::nullopt;
      ContentPattern filled = p;
      filled.anchor = fill_hole(p.anchor, hole);
      filled.regex = fill_hole(p.regex, regex_escape(hole));
      hit = search(bytes, filled, std::regex(filled.regex, std::regex::ECMAScript));
    }
    if (!hit.found) return std::nullopt;
    if (!hit.version.empty()) result = std::move(hit);
  }
  if (result.version.empty()) return std::nullopt;
  return result;
}

bool applies(const Classifier& c, std::string_view path) {
  return std::any_of(c.globs.begin(), c.globs.end(), [&](const std::string& g) { return glob_match(g, path); });
}

// Fixed-width integer reads in the file's byte order; the caller checks the bounds.
struct ElfReader {
  std::string_view bytes;
  bool big_endian = false;
  std::uint64_t read(std::size_t offset, std::size_t width) const {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const auto b = static_cast<unsigned char>(bytes[offset + (big_endian ? i : width - 1 - i)]);
      v = (v << 8) | b;
    }
    return v;
  }
  bool fits(std::uint64_t offset, std::uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
};

}  // namespace

PatternHit find_pattern(std::string_view bytes, const ContentPattern& pattern) {
  return search(bytes, pattern, std::regex(pattern.regex, std::regex::ECMAScript));
}

std::vector<std::string> elf_needed_libraries(std::string_view bytes) {
  std::vector<std::string> out;
  if (bytes.size() < 52 || bytes.substr(0, 4) != "\x7f" "ELF") return out;
  const bool is64 = bytes[4] == 2;
  if (!is64 && bytes[4] != 1) return out;
  if (bytes[5] != 1 && bytes[5] != 2) return out;
  ElfReader r{bytes, bytes[5] == 2};
  if (is64 && bytes.size() < 64) return out;
  const std::uint64_t shoff = is64 ? r.read(0x28, 8) : r.read(0x20, 4);
  const std::uint64_t shentsize = r.read(is64 ? 0x3A : 0x2E, 2);
  const std::uint64_t shnum = r.read(is64 ? 0x3C : 0x30, 2);
  const std::uint64_t min_entsize = is64 ? 64 : 40;
  if (shentsize < min_entsize || shnum == 0 || !r.fits(shoff, shentsize * shnum)) return out;
  struct Section {
    std::uint64_t type, offset, size, link, entsize;
  };
  auto section = [&](std::uint64_t index) {
    const std::size_t base = shoff + index * shentsize;
    if (is64)
      return Section{r.read(base + 4, 4), r.read(base + 0x18, 8), r.read(base + 0x20, 8), r.read(base + 0x28, 4),
                     r.read(base + 0x38, 8)};
    return Section{r.read(base + 4, 4), r.read(base + 0x10, 4), r.read(base + 0x14, 4), r.read(base + 0x18, 4),
                   r.read(base + 0x24, 4)};
  };
  constexpr std::uint64_t kShtDynamic = 6, kDtNull = 0, kDtNeeded = 1;
  for (std::uint64_t i = 0; i < shnum; ++i) {
    const Section dyn = section(i);
    if (dyn.type != kShtDynamic || dyn.link >= shnum || !r.fits(dyn.offset, dyn.size)) continue;
    const Section strtab = section(dyn.link);
    if (!r.fits(strtab.offset, strtab.size)) continue;
    const std::size_t entry = is64 ? 16 : 8, word = is64 ? 8 : 4;
    for (std::uint64_t off = 0; off + entry <= dyn.size && out.size() < kMaxNeeded; off += entry) {
      const std::uint64_t tag = r.read(dyn.offset + off, word);
      if (tag == kDtNull) break;
      if (tag != kDtNeeded) continue;
      const std::uint64_t name = r.read(dyn.offset + off + word, word);
      if (name >= strtab.size) continue;
      std::string_view table = bytes.substr(strtab.offset, strtab.size);
      const auto nul = table.find('\0', name);
      if (nul == std::string_view::npos) continue;
      out.emplace_back(table.substr(name, nul - name));
    }
    break;  // one dynamic section per file
  }
  return out;
}

bool is_candidate(std::string_view path) {
  const auto& table = classifiers();
  return std::any_of(table.begin(), table.end(), [&](const Classifier& c) { return applies(c, path); });
}

Classification classify(std::string_view path, std::string_view bytes) {
  Classification out;
  const auto& table = classifiers();
  const auto& regexes = compiled();
  std::set<std::string> groups_done;
  std::optional<std::vector<std::string>> needed;  // parsed on first use
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Classifier& c = table[i];
    if (!applies(c, path)) continue;
    if (!c.exclusive_group.empty() && groups_done.count(c.exclusive_group) > 0) continue;
    if (!c.needed_library.empty()) {
      if (!needed) needed = elf_needed_libraries(bytes);
      const std::regex lib_re(c.needed_library, std::regex::ECMAScript);
      for (const auto& lib : *needed)
        if (std::regex_search(lib, lib_re)) out.needed.push_back({c.class_name, lib});
    }
    for (std::size_t e = 0; e < c.any.size(); ++e) {
      auto hit = match_evidence(path, bytes, c.any[e], regexes[i][e]);
      if (!hit) continue;
      out.matches.push_back({c.class_name, c.package, hit->version, hit->primary, hit->update});
      if (!c.exclusive_group.empty()) groups_done.insert(c.exclusive_group);
      break;
    }
  }
  return out;
}

}  // namespace cairn::sbom::binclass
