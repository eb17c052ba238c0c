#pragma once
// Reading optional string fields of untrusted JSON manifests: anything absent or not a
// string reads as "".
#include <nlohmann/json.hpp>
#include <string>

namespace cairn::sbom {

inline std::string json_string_field(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace cairn::sbom
