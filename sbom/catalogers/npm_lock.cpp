#include "sbom/catalogers/npm_lock.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "sbom/catalogers/json_field.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

// Bounds for hostile lock files: real ones nest a few levels and hold a few thousand
// entries.
constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxEntries = 100000;
constexpr std::size_t kMaxLicenses = 100;


bool is_dev(const json& entry) {
  auto it = entry.find("dev");
  return it != entry.end() && it->is_boolean() && it->get<bool>();
}

// "npm:@scope/name@1.2.3" -> {"@scope/name", "1.2.3"}; other versions are kept as they are.
std::pair<std::string, std::string> unalias(const std::string& name, const std::string& version) {
  if (!version.starts_with("npm:")) return {name, version};
  std::string spec = version.substr(4);
  auto at = spec.rfind('@');
  if (at == std::string::npos || at == 0) return {spec, ""};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

// "node_modules/a/node_modules/@s/b" -> "@s/b"
std::string name_from_path(const std::string& path) {
  static const std::string kMarker = "node_modules/";
  auto pos = path.rfind(kMarker);
  return pos == std::string::npos ? path : path.substr(pos + kMarker.size());
}

class Collector {
 public:
  bool full() const { return entries_.size() >= kMaxEntries; }

  void add(NpmLockEntry entry) {
    if (entry.name.empty() || full()) return;
    if (!seen_.insert({entry.name, entry.version}).second) return;
    entries_.push_back(std::move(entry));
  }

  std::vector<NpmLockEntry> take() {
    std::stable_sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.name, a.version) < std::tie(b.name, b.version);
    });
    return std::move(entries_);
  }

 private:
  std::vector<NpmLockEntry> entries_;
  std::set<std::pair<std::string, std::string>> seen_;
};

NpmLockEntry entry_from(const std::string& name, const json& meta) {
  NpmLockEntry e;
  std::tie(e.name, e.version) = unalias(name, json_string_field(meta, "version"));
  e.resolved = json_string_field(meta, "resolved");
  e.integrity = json_string_field(meta, "integrity");
  return e;
}

// v1: "dependencies" maps names to entries that may nest their own "dependencies".
void collect_v1(const json& dependencies, std::size_t depth, Collector& out) {
  if (!dependencies.is_object() || depth > kMaxDepth) return;
  for (const auto& [name, meta] : dependencies.items()) {
    if (out.full()) return;
    if (!meta.is_object() || is_dev(meta)) continue;
    out.add(entry_from(name, meta));
    if (auto nested = meta.find("dependencies"); nested != meta.end()) collect_v1(*nested, depth + 1, out);
  }
}

std::vector<std::string> lock_licenses(const json& meta) {
  std::vector<std::string> out;
  auto it = meta.find("license");
  if (it == meta.end()) return out;
  auto add = [&](const json& v) {
    if (v.is_string() && !v.get<std::string>().empty() && out.size() < kMaxLicenses) out.push_back(v.get<std::string>());
  };
  if (it->is_array()) {
    for (const auto& v : *it) add(v);
  } else {
    add(*it);
  }
  return out;
}

// v2/v3: "packages" maps install paths ("" = the project itself) to entries.
void collect_v2(const json& packages, Collector& out) {
  if (!packages.is_object()) return;
  for (const auto& [path, meta] : packages.items()) {
    if (out.full()) return;
    if (!meta.is_object() || is_dev(meta)) continue;
    // A "name" is written for the root and for aliased installs; it is the real name.
    std::string name = json_string_field(meta, "name");
    if (name.empty() && !path.empty()) name = name_from_path(path);
    if (name.empty()) continue;
    NpmLockEntry e = entry_from(name, meta);
    e.licenses = lock_licenses(meta);
    out.add(std::move(e));
  }
}

}  // namespace

Result<std::vector<NpmLockEntry>> parse_npm_lock(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSON: expected a package-lock.json object");
  if (!doc.is_object()) return input_error(std::string("expected a JSON object, found ") + doc.type_name());
  auto version_field = doc.find("lockfileVersion");
  if (version_field == doc.end() || !version_field->is_number_integer()) {
    return input_error("field \"lockfileVersion\": missing or not an integer");
  }
  const auto version = version_field->get<long long>();
  Collector out;
  if (version == 1) {
    if (auto deps = doc.find("dependencies"); deps != doc.end()) collect_v1(*deps, 0, out);
  } else if (version == 2 || version == 3) {
    if (auto packages = doc.find("packages"); packages != doc.end()) collect_v2(*packages, out);
  } else {
    return input_error("field \"lockfileVersion\": " + std::to_string(version) + " is not 1, 2 or 3");
  }
  return out.take();
}

}  // namespace cairn::sbom
