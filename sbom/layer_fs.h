#pragma once
// The squashed filesystem of an image, built by applying layers in order with OCI
// whiteout semantics. Catalogers see it through FileResolver; it also records which
// layer each path came from.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "sbom/file_resolver.h"
#include "sbom/layer_contents.h"

namespace cairn::sbom {

class LayerFs final : public FileResolver {
 public:
  // Applies a layer on top of what is there: its whiteouts and opaque directories
  // remove lower entries first, then its entries are added (a later entry for the
  // same path replaces the earlier one).
  void apply(const LayerContents& layer, int layer_index);

  std::vector<std::string> glob(std::string_view pattern) const override;
  const std::string* read(std::string_view path) const override;
  const std::string* extract(std::string_view path, std::string_view name) const override;
  std::vector<std::string> files_with_extract(std::string_view name) const override;
  bool exists(std::string_view path) const override;
  std::optional<std::string> real_path(std::string_view path) const override;

  // The layer that last wrote the path (after resolving symlinks).
  std::optional<int> layer_of(std::string_view path) const;

  struct FileDigests {
    std::string sha1;
    std::string sha256;
  };
  // The digests recorded for a regular file (following symlinks and hard links), if the
  // layer reader hashed it.
  std::optional<FileDigests> file_digests(std::string_view path) const;
  std::size_t entry_count() const { return nodes_.size(); }

  // Every regular file, for listing owned files; sorted by path.
  template <class F>
  void for_each_file(F&& f) const {
    for (const auto& [path, node] : nodes_)
      if (node.type == EntryType::File || node.type == EntryType::Hardlink) f(path, node.layer);
  }

 private:
  struct Node {
    EntryType type;
    int layer;
    std::string link;
    std::shared_ptr<const std::string> content;
    std::shared_ptr<const Extracts> extracts;
    std::string sha1;
    std::string sha256;
  };
  void remove_tree(const std::string& path, bool keep_root);
  const Node* find(std::string_view path) const;
  const Node* file_node(std::string_view path, bool (*has_data)(const Node&)) const;
  bool has_children(std::string_view path) const;

  std::map<std::string, Node, std::less<>> nodes_;
};

}  // namespace cairn::sbom
