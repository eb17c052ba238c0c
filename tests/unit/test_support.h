#pragma once
// Builds an in-memory filesystem view for cataloger unit tests.
#include <map>
#include <memory>
#include <string>

#include "sbom/layer_fs.h"

namespace cairn::testing {

// files: path -> content; a value starting with "->" makes a symlink to the rest.
inline sbom::LayerFs make_fs(const std::map<std::string, std::string>& files) {
  sbom::LayerContents layer;
  for (const auto& [path, content] : files) {
    sbom::Entry e;
    e.path = sbom::normalize_path(path);
    if (content.rfind("->", 0) == 0) {
      e.type = sbom::EntryType::Symlink;
      e.link = content.substr(2);
    } else {
      e.type = sbom::EntryType::File;
      e.size = content.size();
      e.content = std::make_shared<const std::string>(content);
    }
    layer.entries.push_back(std::move(e));
  }
  sbom::LayerFs fs;
  fs.apply(layer, 0);
  return fs;
}

}  // namespace cairn::testing
