#include "attest/simple_signing.h"

#include <nlohmann/json.hpp>

namespace cairn::attest {

std::string simple_signing_payload(const std::string& docker_reference, const Digest& manifest_digest,
                                   const std::map<std::string, std::string>& annotations) {
  nlohmann::ordered_json doc;
  doc["critical"]["identity"]["docker-reference"] = docker_reference;
  doc["critical"]["image"]["docker-manifest-digest"] = manifest_digest.str();
  doc["critical"]["type"] = kSimpleSigningType;
  if (annotations.empty()) {
    doc["optional"] = nullptr;
  } else {
    doc["optional"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : annotations) doc["optional"][k] = v;  // std::map: sorted, as Go writes maps
  }
  // Go's encoder escapes <, > and & in strings; so must we, for the same bytes.
  std::string out = doc.dump();
  std::string escaped;
  escaped.reserve(out.size());
  for (char c : out) {
    if (c == '<') escaped += "\\u003c";
    else if (c == '>') escaped += "\\u003e";
    else if (c == '&') escaped += "\\u0026";
    else escaped += c;
  }
  return escaped;
}

Result<SimpleSigningClaims> parse_simple_signing(std::string_view payload, const std::string& where) {
  auto doc = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return input_error(where + ": the signed payload is not a JSON object");
  auto critical = doc.find("critical");
  if (critical == doc.end() || !critical->is_object()) return input_error(where + ": payload field \"critical\" must be an object");
  auto string_at = [&](const nlohmann::json& parent, const char* key, const std::string& field) -> Result<std::string> {
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_string()) return input_error(where + ": payload field \"" + field + "\" must be a string");
    return it->get<std::string>();
  };
  auto object_at = [&](const char* key) -> const nlohmann::json* {
    auto it = critical->find(key);
    return it != critical->end() && it->is_object() ? &*it : nullptr;
  };
  const auto* identity = object_at("identity");
  const auto* image = object_at("image");
  if (!identity) return input_error(where + ": payload field \"critical.identity\" must be an object");
  if (!image) return input_error(where + ": payload field \"critical.image\" must be an object");
  SimpleSigningClaims claims;
  auto reference = string_at(*identity, "docker-reference", "critical.identity.docker-reference");
  if (!reference) return std::unexpected(reference.error());
  auto digest = string_at(*image, "docker-manifest-digest", "critical.image.docker-manifest-digest");
  if (!digest) return std::unexpected(digest.error());
  auto type = string_at(*critical, "type", "critical.type");
  if (!type) return std::unexpected(type.error());
  claims.docker_reference = std::move(*reference);
  claims.manifest_digest = std::move(*digest);
  claims.type = std::move(*type);
  if (auto optional = doc.find("optional"); optional != doc.end() && !optional->is_null()) {
    if (!optional->is_object()) return input_error(where + ": payload field \"optional\" must be an object or null");
    for (const auto& [k, v] : optional->items()) claims.annotations[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return claims;
}

}  // namespace cairn::attest
