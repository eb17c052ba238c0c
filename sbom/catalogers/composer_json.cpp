#include "sbom/catalogers/composer_json.h"

#include <nlohmann/json.hpp>

#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

// Bounds for hostile files: real projects lock a few hundred packages.
constexpr std::size_t kMaxPackages = 100000;
constexpr std::size_t kMaxListItems = 1000;

std::vector<std::string> string_or_strings(const json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end()) return out;
  auto add = [&](const json& v) {
    if (v.is_string() && !v.get_ref<const std::string&>().empty() && out.size() < kMaxListItems)
      out.push_back(v.get<std::string>());
  };
  if (it->is_array()) {
    for (const auto& v : *it) add(v);
  } else {
    add(*it);
  }
  return out;
}

ComposerReference reference(const json& doc, const char* key) {
  ComposerReference r;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_object()) return r;
  r.type = json_string_field(*it, "type");
  r.url = json_string_field(*it, "url");
  r.reference = json_string_field(*it, "reference");
  r.shasum = json_string_field(*it, "shasum");
  return r;
}

std::vector<std::string> authors(const json& doc) {
  std::vector<std::string> out;
  auto it = doc.find("authors");
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& a : *it) {
    if (!a.is_object() || out.size() >= kMaxListItems) continue;
    std::string name = json_string_field(a, "name");
    std::string email = json_string_field(a, "email");
    if (name.empty() && email.empty()) continue;
    out.push_back(email.empty() ? name : name.empty() ? "<" + email + ">" : name + " <" + email + ">");
  }
  return out;
}

std::vector<std::string> link_names(const json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_object()) return out;
  for (const auto& [name, constraint] : it->items()) {
    if (out.size() >= kMaxListItems) break;
    out.push_back(name);
  }
  return out;
}

ComposerPackage package_from(const json& entry) {
  ComposerPackage p;
  p.name = json_string_field(entry, "name");
  p.version = json_string_field(entry, "version");
  p.licenses = string_or_strings(entry, "license");
  p.authors = authors(entry);
  p.description = json_string_field(entry, "description");
  p.homepage = json_string_field(entry, "homepage");
  p.package_type = json_string_field(entry, "type");
  p.time = json_string_field(entry, "time");
  p.source = reference(entry, "source");
  p.dist = reference(entry, "dist");
  if (auto it = entry.find("require"); it != entry.end() && it->is_object()) {
    for (const auto& [name, constraint] : it->items()) {
      if (p.require.size() >= kMaxListItems) break;
      p.require[name] = constraint.is_string() ? constraint.get<std::string>() : "";
    }
  }
  p.provides = link_names(entry, "provide");
  for (auto& name : link_names(entry, "replace")) p.provides.push_back(std::move(name));
  return p;
}

Result<std::vector<ComposerPackage>> packages_from(const json& list, const char* field) {
  if (!list.is_array()) return input_error(std::string("field \"") + field + "\": expected an array of packages");
  std::vector<ComposerPackage> out;
  for (const auto& entry : list) {
    if (out.size() >= kMaxPackages) break;
    if (!entry.is_object()) continue;
    ComposerPackage p = package_from(entry);
    if (!p.name.empty()) out.push_back(std::move(p));
  }
  return out;
}

Result<json> parse_document(std::string_view text, const char* what) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error(std::string("malformed JSON: expected a ") + what + " document");
  return doc;
}

}  // namespace

Result<std::vector<ComposerPackage>> parse_composer_installed(std::string_view text) {
  auto doc = parse_document(text, "installed.json");
  if (!doc) return std::unexpected(doc.error());
  if (doc->is_array()) return packages_from(*doc, "(Composer 1 top-level array)");
  if (!doc->is_object()) return input_error(std::string("expected a JSON object or array, found ") + doc->type_name());
  auto packages = doc->find("packages");
  if (packages == doc->end()) return input_error("field \"packages\": missing");
  return packages_from(*packages, "packages");
}

Result<std::vector<ComposerPackage>> parse_composer_lock(std::string_view text) {
  auto doc = parse_document(text, "composer.lock");
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_object()) return input_error(std::string("expected a JSON object, found ") + doc->type_name());
  auto packages = doc->find("packages");
  if (packages == doc->end()) return std::vector<ComposerPackage>{};  // a project without dependencies
  return packages_from(*packages, "packages");
}

}  // namespace cairn::sbom
