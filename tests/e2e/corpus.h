#pragma once
// Reading the cataloger acceptance corpus (../shared/acceptance/catalogers): its JSON
// files and its case directories. Parameterised suites call these while tests are being
// registered, so a broken corpus throws instead of reporting through a running test.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/cataloger.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"

namespace cairn::corpus {

namespace fs = std::filesystem;

inline nlohmann::json load_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Names of the case directories below `dir` that have an expected.json for which
// accept(expected) holds, sorted.
template <class Accept>
std::vector<std::string> cases_in(const fs::path& dir, Accept accept) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto expected = entry.path() / "expected.json";
    if (fs::exists(expected) && accept(load_json(expected))) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The cases whose fixture is in the corpus (some are built by Syft at test time).
inline std::vector<std::string> cases_with_fixture(const fs::path& dir) {
  return cases_in(dir, [](const nlohmann::json& e) { return e.value("fixture_available", false); });
}

// A fixture directory as a one-layer image mounted at `mount` ("/" for a rootfs),
// read by the real directory reader with these capture rules, so extractors and size
// caps apply exactly as in a scan. Throws when the directory cannot be read.
inline sbom::LayerFs load_tree(const fs::path& dir, const std::string& mount, const std::vector<sbom::CaptureRule>& rules) {
  auto layer = sbom::read_directory(dir, sbom::CapturePolicy(rules));
  if (!layer) throw std::runtime_error(layer.error().message);
  if (mount != "/" && !mount.empty()) {
    for (auto& e : layer->entries) e.path = sbom::normalize_path(mount + e.path);
  }
  sbom::LayerFs fs;
  fs.apply(*layer, 0);
  return fs;
}

}  // namespace cairn::corpus
