#include "sbom/catalogers/npm_package_json.h"

#include <nlohmann/json.hpp>

#include "sbom/purl.h"

#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

// A hostile manifest may list any number of people or dependencies; these caps keep
// the output bounded while covering every real package.
constexpr std::size_t kMaxPeople = 1000;
constexpr std::size_t kMaxDependencies = 10000;
constexpr std::size_t kMaxLicenses = 100;


// "Name <email> (url)" from a person object; a string is taken as written.
std::string person(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_object()) return "";
  std::string out = json_string_field(value, "name");
  std::string email = json_string_field(value, "email");
  std::string url = json_string_field(value, "url");
  if (!email.empty()) out += (out.empty() ? "<" : " <") + email + ">";
  if (!url.empty()) out += (out.empty() ? "(" : " (") + url + ")";
  return out;
}

// A field holding one person or an array of people.
void add_people(const json& doc, const char* key, std::vector<std::string>& people) {
  auto it = doc.find(key);
  if (it == doc.end()) return;
  auto add = [&](const json& v) {
    std::string p = person(v);
    if (!p.empty() && people.size() < kMaxPeople) people.push_back(std::move(p));
  };
  if (it->is_array()) {
    for (const auto& v : *it) add(v);
  } else {
    add(*it);
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// One license entry of "license": a string or a {"type": …} object.
std::string license_value(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object()) return json_string_field(value, "type");
  return "";
}

std::vector<std::string> licenses_of(const json& doc) {
  std::vector<std::string> out;
  auto add = [&](std::string v) {
    if (!v.empty() && out.size() < kMaxLicenses) out.push_back(std::move(v));
  };
  auto license = doc.find("license");
  if (license != doc.end()) {
    if (license->is_array()) {
      for (const auto& v : *license) add(license_value(v));
    } else {
      add(license_value(*license));
    }
    if (!out.empty()) return out;
  }
  // The deprecated "licenses" array is read only when "license" says nothing. Syft
  // accepts it only as objects with a "type"; plain strings there are not read.
  auto legacy = doc.find("licenses");
  if (legacy == doc.end() || !legacy->is_array()) return out;
  for (const auto& v : *legacy) {
    if (v.is_object()) add(json_string_field(v, "type"));
  }
  return out;
}

std::string repository_url(const json& doc) {
  auto it = doc.find("repository");
  if (it == doc.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return json_string_field(*it, "url");
  return "";
}

std::string describe_type(const json& value) {
  return std::string(value.type_name());
}

}  // namespace

Result<NpmPackageJson> parse_npm_package_json(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSON: expected a package.json object");
  if (!doc.is_object()) return input_error("expected a JSON object, found " + describe_type(doc));

  NpmPackageJson p;
  p.name = json_string_field(doc, "name");
  p.version = json_string_field(doc, "version");
  p.description = json_string_field(doc, "description");
  p.homepage = json_string_field(doc, "homepage");
  p.repository_url = repository_url(doc);
  if (auto it = doc.find("private"); it != doc.end() && it->is_boolean()) p.is_private = it->get<bool>();

  std::vector<std::string> people;
  for (const char* key : {"author", "authors", "contributors", "maintainers"}) add_people(doc, key, people);
  p.author = join(people);
  p.licenses = licenses_of(doc);

  if (auto deps = doc.find("dependencies"); deps != doc.end() && deps->is_object()) {
    for (const auto& [name, range] : deps->items()) {
      if (p.dependencies.size() >= kMaxDependencies) break;
      if (name.empty()) continue;
      p.dependencies.emplace_back(name, range.is_string() ? range.get<std::string>() : "");
    }
  }
  return p;
}

std::string npm_purl(const std::string& name, const std::string& version) {
  if (name.empty()) return "";
  auto slash = name.find('/');
  if (slash == std::string::npos) return make_purl("npm", "", name, version);
  return make_purl("npm", name.substr(0, slash), name.substr(slash + 1), version);
}

}  // namespace cairn::sbom
