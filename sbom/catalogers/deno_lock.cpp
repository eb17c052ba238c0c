#include "sbom/catalogers/deno_lock.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

constexpr const char* kJsrRegistry = "https://jsr.io";
constexpr std::size_t kMaxWarnings = 100;

// "@scope/name@1.2.3_peer" -> {"@scope/name", "1.2.3"}.
std::optional<std::pair<std::string, std::string>> split_key(const std::string& key) {
  const auto at = key.find('@', 1);
  if (at == std::string::npos) return std::nullopt;
  std::string name = key.substr(0, at), version = strip_peer_suffix(key.substr(at + 1));
  if (name.empty() || version.empty()) return std::nullopt;
  return std::make_pair(name, version);
}

const json* section(const json& doc, const char* name) {
  for (const json* where : {&doc, doc.contains("packages") ? &doc["packages"] : nullptr}) {
    if (!where || !where->is_object()) continue;
    auto it = where->find(name);
    if (it != where->end() && it->is_object()) return &*it;
  }
  return nullptr;
}

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

class DenoLockReader {
 public:
  explicit DenoLockReader(const json& doc) : doc_(doc) {}

  JsLockGraph read() {
    read_packages("npm", "");
    read_packages("jsr", kJsrRegistry);
    read_remote();
    for (std::size_t from = 0; from < wanted_.size(); ++from) {
      for (const auto& dep : wanted_[from]) {
        if (auto to = resolve(dep, graph_.packages[from].repository_url)) add_edge(graph_, from, *to);
      }
    }
    dedupe_edges(graph_);
    return std::move(graph_);
  }

 private:
  std::size_t add(JsLockedPackage p) {
    auto [it, added] = index_.emplace(std::make_tuple(p.repository_url, p.name, p.version), graph_.packages.size());
    if (added) {
      by_name_[{p.repository_url, p.name}].push_back(it->second);
      graph_.packages.push_back(std::move(p));
      wanted_.emplace_back();
    }
    return it->second;
  }

  void read_packages(const char* kind, const std::string& registry) {
    const json* packages = section(doc_, kind);
    if (!packages) return;
    for (const auto& [key, entry] : packages->items()) {
      auto id = split_key(key);
      if (!id) {
        if (graph_.warnings.size() < kMaxWarnings) graph_.warnings.push_back(std::string(kind) + " key \"" + key.substr(0, 80) + "\": no name@version; skipped");
        continue;
      }
      JsLockedPackage p;
      std::tie(p.name, p.version) = *id;
      p.repository_url = registry;
      p.integrity = string_field(entry, "integrity");
      std::vector<std::string> deps;
      if (auto it = entry.is_object() ? entry.find("dependencies") : entry.end(); entry.is_object() && it != entry.end()) {
        if (it->is_array()) {
          for (const auto& d : *it)
            if (d.is_string()) deps.push_back(d.get<std::string>());
        } else if (it->is_object()) {  // version 3 npm: name -> "name@version"
          for (const auto& [name, spec] : it->items())
            if (spec.is_string()) deps.push_back(spec.get<std::string>());
        }
      }
      if (!deps.empty() && !registry.empty()) {
        std::string listed;
        for (const auto& d : deps) listed += (listed.empty() ? "" : ", ") + d;
        p.metadata["dependencies"] = listed;
      }
      const std::size_t index = add(std::move(p));
      if (wanted_[index].empty()) wanted_[index] = std::move(deps);
    }
  }

  void read_remote() {
    auto remote = doc_.find("remote");
    if (remote == doc_.end() || !remote->is_object()) return;
    for (const auto& [url, hash] : remote->items()) {
      const auto scheme = url.find("://");
      if (scheme == std::string::npos) continue;
      const auto host_end = url.find('/', scheme + 3);
      if (host_end == std::string::npos) continue;
      const auto at = url.find('@', host_end);
      if (at == std::string::npos) continue;  // an unversioned URL names no release
      auto version_end = url.find('/', at);
      JsLockedPackage p;
      p.name = url.substr(scheme + 3, at - scheme - 3);
      p.version = url.substr(at + 1, version_end == std::string::npos ? std::string::npos : version_end - at - 1);
      if (p.version.empty() || p.name.empty()) continue;
      p.repository_url = url.substr(0, host_end);
      p.integrity = hash.is_string() ? hash.get<std::string>() : "";
      p.metadata["url"] = url;
      add(std::move(p));
    }
  }

  // "jsr:@std/bytes@^1.0.0" (through "specifiers"), "npm:chalk@5", or an npm package's
  // "name@1.2.3_peer" / "name".
  std::optional<std::size_t> resolve(const std::string& dep, const std::string& registry) {
    std::string spec = dep;
    std::string kind_registry = registry;
    if (spec.starts_with("jsr:") || spec.starts_with("npm:")) {
      kind_registry = spec.starts_with("jsr:") ? kJsrRegistry : "";
      const json* specifiers = section(doc_, "specifiers");
      const std::string locked = specifiers ? string_field(*specifiers, spec.c_str()) : "";
      auto id = split_key(spec.substr(4));
      if (!id || locked.empty()) return std::nullopt;
      // Version 4 writes the version; version 3 the whole "jsr:name@version".
      auto full = split_key(locked.starts_with("jsr:") || locked.starts_with("npm:") ? locked.substr(4) : "");
      spec = id->first + "@" + (full ? full->second : locked);
    }
    if (auto id = split_key(spec)) {
      auto it = index_.find(std::make_tuple(kind_registry, id->first, id->second));
      if (it != index_.end()) return it->second;
      return std::nullopt;
    }
    // A bare name: the only package of that name.
    auto same_name = by_name_.find({kind_registry, spec});
    if (same_name != by_name_.end() && same_name->second.size() == 1) return same_name->second.front();
    return std::nullopt;
  }

  const json& doc_;
  JsLockGraph graph_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index_;  // registry, name, version
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_name_;  // registry, name
  std::vector<std::vector<std::string>> wanted_;                                    // per package
};

}  // namespace

Result<JsLockGraph> parse_deno_lock(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return input_error("malformed JSON: expected a deno.lock object");
  if (!doc.is_object()) return input_error(std::string("expected a JSON object, found ") + doc.type_name());
  return DenoLockReader(doc).read();
}

}  // namespace cairn::sbom
