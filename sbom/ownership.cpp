#include "sbom/ownership.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

namespace cairn::sbom {

bool is_os_package_type(const std::string& type) {
  return type == "deb" || type == "rpm" || type == "apk" || type == "alpm";
}

namespace {

// Files many packages' evidence may share without one owning the others: license texts.
bool is_shared_evidence(const std::string& path) {
  return path.starts_with("/usr/share/doc/") && path.ends_with("/copyright");
}

// Found only by matching bytes (a classifier), so an OS package's claim wins. The
// classifier also reports some Go programs (consul, vault) as go-module.
bool found_by_classifier(const Package& p) {
  return p.type == "binary" || p.found_by == "binary-classifier-cataloger";
}

// The path with its directory's symlinks resolved (/bin/busybox -> /usr/bin/busybox on
// a usrmerge image), directories cached: OS packages list tens of thousands of files in
// a few thousand directories. "" when the directory does not exist.
std::string resolved_dir_path(const std::string& path, const FileResolver& fs,
                              std::map<std::string, std::string, std::less<>>& real_dirs) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return path;
  std::string_view dir(path.data(), slash);
  auto it = real_dirs.find(dir);
  if (it == real_dirs.end()) it = real_dirs.emplace(std::string(dir), fs.real_path(dir).value_or("")).first;
  if (it->second.empty()) return "";
  return (it->second == "/" ? "" : it->second) + path.substr(slash);
}

}  // namespace

OwnershipResult apply_file_ownership(std::vector<Package> packages, const std::vector<Dependency>& dependencies,
                                     const FileResolver& fs) {
  // Owned paths, as written and as resolved, -> owning OS packages.
  std::map<std::string, std::set<std::size_t>, std::less<>> owners;
  std::map<std::string, std::string, std::less<>> real_dirs;
  bool has_others = false;
  for (std::size_t i = 0; i < packages.size(); ++i)
    if (!is_os_package_type(packages[i].type)) has_others = true;
  if (has_others) {
    for (std::size_t i = 0; i < packages.size(); ++i) {
      if (!is_os_package_type(packages[i].type)) continue;
      for (const auto& f : packages[i].files) {
        if (is_shared_evidence(f)) continue;
        owners[f].insert(i);
        if (auto real = resolved_dir_path(f, fs, real_dirs); !real.empty() && real != f) owners[real].insert(i);
      }
    }
  }
  constexpr std::size_t kDropped = std::numeric_limits<std::size_t>::max();
  OwnershipResult out;
  std::vector<std::size_t> new_index(packages.size(), kDropped);
  std::vector<std::pair<std::size_t, std::size_t>> owned;  // (owner, owned), old indices
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const Package& p = packages[i];
    std::set<std::size_t> by;
    if (!owners.empty() && !is_os_package_type(p.type)) {
      for (const auto& location : p.locations) {
        auto it = owners.find(location);
        if (it == owners.end())
          if (auto real = fs.real_path(location)) it = owners.find(*real);
        if (it != owners.end()) by.insert(it->second.begin(), it->second.end());
      }
    }
    if (!by.empty() && found_by_classifier(p)) continue;  // counted by its OS package
    for (auto o : by) owned.emplace_back(o, i);
    new_index[i] = out.packages.size();
    out.packages.push_back(std::move(packages[i]));
  }
  for (const auto& d : dependencies) {
    if (d.from >= new_index.size() || d.to >= new_index.size()) continue;
    if (new_index[d.from] == kDropped || new_index[d.to] == kDropped) continue;
    out.dependencies.push_back({new_index[d.from], new_index[d.to]});
  }
  for (const auto& [owner, child] : owned) out.ownerships.push_back({new_index[owner], new_index[child]});
  return out;
}

}  // namespace cairn::sbom
