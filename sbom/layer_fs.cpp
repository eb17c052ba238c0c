#include "sbom/layer_fs.h"

#include <deque>

namespace cairn::sbom {

namespace {
// Linux gives up after 40 symlinks in one lookup (ELOOP); so do we.
constexpr int kMaxSymlinkHops = 40;
}  // namespace

void LayerFs::remove_tree(const std::string& path, bool keep_root) {
  if (!keep_root) nodes_.erase(path);
  std::string prefix = path == "/" ? "/" : path + "/";
  auto it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0) it = nodes_.erase(it);
}

void LayerFs::apply(const LayerContents& layer, int layer_index) {
  for (const auto& dir : layer.opaque_dirs) remove_tree(dir, /*keep_root=*/true);
  for (const auto& path : layer.whiteouts) remove_tree(path, /*keep_root=*/false);
  for (const auto& e : layer.entries) {
    // A non-directory replacing a directory hides everything below it.
    if (e.type != EntryType::Directory) {
      auto it = nodes_.find(e.path);
      if (it != nodes_.end() && it->second.type == EntryType::Directory) remove_tree(e.path, true);
    }
    nodes_[e.path] = Node{e.type, layer_index, e.link, e.content, e.extracts, e.sha1, e.sha256};
  }
}

const LayerFs::Node* LayerFs::find(std::string_view path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

bool LayerFs::has_children(std::string_view path) const {
  std::string prefix = path == "/" ? "/" : std::string(path) + "/";
  auto it = nodes_.lower_bound(prefix);
  return it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::optional<std::string> LayerFs::real_path(std::string_view path) const {
  std::deque<std::string> pending;
  {
    std::string norm = normalize_path(path);
    std::size_t i = 1;
    while (i < norm.size()) {
      auto j = norm.find('/', i);
      if (j == std::string::npos) j = norm.size();
      pending.emplace_back(norm.substr(i, j - i));
      i = j + 1;
    }
  }
  std::string resolved;  // "" is the root
  int hops = 0;
  while (!pending.empty()) {
    std::string seg = std::move(pending.front());
    pending.pop_front();
    if (seg == "." || seg.empty()) continue;
    if (seg == "..") {
      auto slash = resolved.rfind('/');
      resolved = slash == std::string::npos ? "" : resolved.substr(0, slash);
      continue;
    }
    std::string candidate = resolved + "/" + seg;
    const Node* node = find(candidate);
    if (node && node->type == EntryType::Symlink) {
      if (++hops > kMaxSymlinkHops) return std::nullopt;
      const std::string& target = node->link;
      // Push the target's segments in front of what remains.
      std::deque<std::string> segs;
      std::size_t i = 0;
      while (i <= target.size()) {
        auto j = target.find('/', i);
        if (j == std::string::npos) j = target.size();
        if (j > i) segs.emplace_back(target.substr(i, j - i));
        i = j + 1;
      }
      pending.insert(pending.begin(), segs.begin(), segs.end());
      if (!target.empty() && target[0] == '/') resolved.clear();
      continue;
    }
    if (!node && !has_children(candidate)) return std::nullopt;
    if (node && node->type != EntryType::Directory && !pending.empty()) return std::nullopt;
    resolved = std::move(candidate);
  }
  return resolved.empty() ? "/" : resolved;
}

bool LayerFs::exists(std::string_view path) const { return real_path(path).has_value(); }

// The node holding a regular file's captured data: symlinks resolved inside the root,
// then hard links followed (a chain bounded like symlinks) until a node has the data.
const LayerFs::Node* LayerFs::file_node(std::string_view path, bool (*has_data)(const Node&)) const {
  auto real = real_path(path);
  if (!real) return nullptr;
  const Node* node = find(*real);
  for (int hops = 0; node && node->type == EntryType::Hardlink && hops < kMaxSymlinkHops; ++hops) {
    if (has_data(*node)) return node;
    auto target = real_path(node->link);
    node = target ? find(*target) : nullptr;
  }
  if (!node || node->type != EntryType::File || !has_data(*node)) return nullptr;
  return node;
}

const std::string* LayerFs::read(std::string_view path) const {
  const Node* node = file_node(path, [](const Node& n) { return n.content != nullptr; });
  return node ? node->content.get() : nullptr;
}

const std::string* LayerFs::extract(std::string_view path, std::string_view name) const {
  const Node* node = file_node(path, [](const Node& n) { return n.extracts != nullptr; });
  if (!node) return nullptr;
  auto it = node->extracts->find(name);
  return it == node->extracts->end() ? nullptr : &it->second;
}

std::vector<std::string> LayerFs::files_with_extract(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [path, node] : nodes_)
    if (node.extracts && node.extracts->contains(name)) out.push_back(path);
  return out;
}

std::optional<LayerFs::FileDigests> LayerFs::file_digests(std::string_view path) const {
  auto real = real_path(path);
  const Node* node = real ? find(*real) : nullptr;
  for (int hops = 0; node && node->type == EntryType::Hardlink && hops < kMaxSymlinkHops; ++hops) {
    if (!node->sha1.empty()) break;
    auto target = real_path(node->link);
    node = target ? find(*target) : nullptr;
  }
  if (!node || node->sha1.empty()) return std::nullopt;
  return FileDigests{node->sha1, node->sha256};
}

std::optional<int> LayerFs::layer_of(std::string_view path) const {
  auto real = real_path(path);
  if (!real) return std::nullopt;
  const Node* node = find(*real);
  if (!node) return std::nullopt;
  return node->layer;
}

std::vector<std::string> LayerFs::glob(std::string_view pattern) const {
  // Narrow the scan to the literal directory prefix of the pattern, if it has one.
  std::string prefix;
  auto wild = pattern.find_first_of("*?");
  if (wild != std::string_view::npos) {
    auto slash = pattern.rfind('/', wild);
    if (slash != std::string_view::npos) prefix = std::string(pattern.substr(0, slash + 1));
  } else {
    prefix = std::string(pattern);
  }
  if (!prefix.empty() && prefix[0] != '/') prefix.insert(prefix.begin(), '/');
  std::vector<std::string> out;
  for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (it->second.type != EntryType::File && it->second.type != EntryType::Hardlink) continue;
    if (glob_match(pattern, it->first)) out.push_back(it->first);
  }
  return out;
}

}  // namespace cairn::sbom
