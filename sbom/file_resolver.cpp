#include "sbom/file_resolver.h"

#include <vector>

namespace cairn::sbom {

namespace {

std::vector<std::string_view> split_segments(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    auto j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// "*" and "?" within one segment; iterative with backtracking on the last star, so a
// hostile pattern or name cannot make it exponential.
bool segment_match(std::string_view pat, std::string_view name) {
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pat.size() && (pat[p] == '?' || pat[p] == name[n])) {
      ++p, ++n;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

// The last non-empty segment of a path or pattern.
static std::string_view last_segment(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  auto slash = s.rfind('/');
  return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

bool glob_match(std::string_view pattern, std::string_view path) {
  // Most paths fail on their file name: test it before splitting anything (catalogers
  // glob tens of thousands of paths per pattern).
  if (auto last = last_segment(pattern); last != "**" && !last.empty() && !segment_match(last, last_segment(path)))
    return false;
  auto pat = split_segments(pattern);
  auto segs = split_segments(path);
  // Dynamic programming over (pattern segment, path segment): linear in their product.
  std::vector<char> reach(segs.size() + 1, 0), next(segs.size() + 1, 0);
  reach[0] = 1;
  for (auto p : pat) {
    std::fill(next.begin(), next.end(), 0);
    if (p == "**") {
      char any = 0;
      for (std::size_t i = 0; i <= segs.size(); ++i) {
        any = any || reach[i];
        next[i] = any;
      }
    } else {
      for (std::size_t i = 0; i < segs.size(); ++i)
        if (reach[i] && segment_match(p, segs[i])) next[i + 1] = 1;
    }
    reach.swap(next);
  }
  return reach[segs.size()];
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> out;
  for (auto seg : split_segments(path)) {
    if (seg == ".") continue;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(seg);
  }
  std::string result;
  for (auto seg : out) {
    result += '/';
    result += seg;
  }
  return result.empty() ? "/" : result;
}

}  // namespace cairn::sbom
