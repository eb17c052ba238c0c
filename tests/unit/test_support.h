#pragma once
// Builds an in-memory filesystem view for cataloger unit tests.
#include <map>
#include <memory>
#include <string>

#include "sbom/layer_fs.h"

namespace cairn::testing {

// What capture-rule extractors kept of files: path -> extract name -> extract.
using ExtractMap = std::map<std::string, std::map<std::string, std::string>>;

// files: path -> content; a value starting with "->" makes a symlink to the rest.
// extracts: files (added if not in `files`) with what an extractor kept of them.
inline sbom::LayerFs make_fs(const std::map<std::string, std::string>& files, const ExtractMap& extracts = {}) {
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
  for (const auto& [path, named] : extracts) {
    sbom::Entry e;
    e.path = sbom::normalize_path(path);
    e.type = sbom::EntryType::File;
    if (auto it = files.find(path); it != files.end()) {
      e.size = it->second.size();
      e.content = std::make_shared<const std::string>(it->second);
    }
    e.extracts = std::make_shared<const sbom::Extracts>(named.begin(), named.end());
    layer.entries.push_back(std::move(e));
  }
  sbom::LayerFs fs;
  fs.apply(layer, 0);
  return fs;
}

}  // namespace cairn::testing
