#include "sbom/catalogers/pnpm_lock.h"

#include <charconv>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sbom/catalogers/excerpt.h"
#include "sbom/yaml_subset.h"

namespace cairn::sbom {

namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxWarnings = 100;

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return "";
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// "/@scope/name/1.2.3_peer" (separator '/') or "/@scope/name@1.2.3(peer)" ('@') ->
// name and version; false when the key has no version part.
bool parse_package_key(std::string key, char separator, std::string& name, std::string& version) {
  key = key.substr(0, key.find('('));
  if (key.starts_with('/')) key.erase(0, 1);
  const auto split = key.rfind(separator);
  if (split == std::string::npos || split == 0) return false;
  name = key.substr(0, split);
  version = strip_peer_suffix(key.substr(split + 1));
  return !name.empty() && !version.empty();
}

class PnpmLockReader {
 public:
  Result<void> document(const json& doc, std::size_t number) {
    if (doc.is_null()) return {};
    const std::string where = "document " + std::to_string(number) + ": ";
    if (!doc.is_object()) return input_error(where + "expected a mapping, found " + doc.type_name());
    const json* version_field = member(doc, "lockfileVersion");
    const std::string version_text = version_field ? text_of(*version_field) : "";
    double version = 0;
    auto [end, ec] = std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
    if (version_text.empty() || ec != std::errc() || end != version_text.data() + version_text.size()) {
      return input_error(where + "field \"lockfileVersion\": " +
                         (version_text.empty() ? std::string("missing or not a scalar") : excerpt(version_text) + " is not a number"));
    }
    for (const char* field : {"packages", "snapshots", "importers", "dependencies"}) {
      const json* value = member(doc, field);
      if (value && !value->is_null() && !value->is_object()) {
        return input_error(where + "field \"" + field + "\": expected a mapping, found " + value->type_name());
      }
    }
    if (version >= 9) {
      read_v9(doc);
    } else {
      read_before_v9(doc, version >= 6 ? '@' : '/');
    }
    return {};
  }

  JsLockGraph take() {
    for (std::size_t from = 0; from < dependencies_.size(); ++from) {
      for (const auto& [name, version] : dependencies_[from]) {
        if (auto it = index_.find({name, version}); it != index_.end()) add_edge(graph_, from, it->second);
      }
    }
    dedupe_edges(graph_);
    if (!dev_roots_.empty() && !explicit_dev_) mark_dev_only(graph_, prod_roots_, dev_roots_);
    return std::move(graph_);
  }

 private:
  std::size_t add(const std::string& name, const std::string& version) {
    auto [it, added] = index_.emplace(std::make_pair(name, version), graph_.packages.size());
    if (added) {
      JsLockedPackage p;
      p.name = name;
      p.version = version;
      graph_.packages.push_back(std::move(p));
      dependencies_.emplace_back();
    }
    return it->second;
  }

  void warn(std::string message) {
    if (graph_.warnings.size() < kMaxWarnings) graph_.warnings.push_back(std::move(message));
  }

  void read_entry(std::size_t index, const json& entry) {
    JsLockedPackage& p = graph_.packages[index];
    if (const json* resolution = member(entry, "resolution")) {
      if (const json* integrity = member(*resolution, "integrity"); integrity && p.integrity.empty()) {
        p.integrity = text_of(*integrity);
      }
      if (const json* tarball = member(*resolution, "tarball"); tarball && p.resolved.empty()) {
        p.resolved = text_of(*tarball);
      }
    }
    if (const json* dev = member(entry, "dev"); dev && dev->is_boolean()) {
      explicit_dev_ = true;
      p.dev = dev->get<bool>();
    }
  }

  void read_dependencies(std::size_t index, const json& entry) {
    for (const char* field : {"dependencies", "optionalDependencies"}) {
      const json* deps = member(entry, field);
      if (!deps || !deps->is_object()) continue;
      for (const auto& [name, version] : deps->items()) {
        const std::string v = strip_peer_suffix(text_of(version));
        if (!v.empty()) dependencies_[index].emplace(name, v);
      }
    }
  }

  void read_before_v9(const json& doc, char separator) {
    if (const json* deps = member(doc, "dependencies"); deps && deps->is_object()) {
      for (const auto& [name, info] : deps->items()) {
        const json* version = info.is_object() ? member(info, "version") : &info;
        const std::string v = version ? strip_peer_suffix(text_of(*version)) : "";
        // "link:../lib" is a workspace folder, not a package.
        if (v.empty() || v.starts_with("link:")) continue;
        add(name, v);
      }
    }
    const json* packages = member(doc, "packages");
    if (!packages || !packages->is_object()) return;
    for (const auto& [key, entry] : packages->items()) {
      std::string name, version;
      if (!parse_package_key(key, separator, name, version)) {
        warn("packages key " + excerpt(key) + ": no name and version; skipped");
        continue;
      }
      const std::size_t index = add(name, version);
      read_entry(index, entry);
      read_dependencies(index, entry);
    }
  }

  void read_v9(const json& doc) {
    if (const json* packages = member(doc, "packages"); packages && packages->is_object()) {
      for (const auto& [key, entry] : packages->items()) {
        std::string name, version;
        if (!parse_package_key(key, '@', name, version)) {
          warn("packages key " + excerpt(key) + ": no name and version; skipped");
          continue;
        }
        read_entry(add(name, version), entry);
      }
    }
    if (const json* snapshots = member(doc, "snapshots"); snapshots && snapshots->is_object()) {
      for (const auto& [key, entry] : snapshots->items()) {
        std::string name, version;
        if (!parse_package_key(key, '@', name, version)) continue;
        auto it = index_.find({name, version});
        if (it != index_.end()) read_dependencies(it->second, entry);
      }
    }
    if (const json* importers = member(doc, "importers"); importers && importers->is_object()) {
      for (const auto& [path, importer] : importers->items()) {
        for (const char* field : {"dependencies", "optionalDependencies", "devDependencies"}) {
          const json* deps = member(importer, field);
          if (!deps || !deps->is_object()) continue;
          auto& roots = std::string_view(field) == "devDependencies" ? dev_roots_ : prod_roots_;
          for (const auto& [name, info] : deps->items()) roots.insert(name);
        }
      }
    }
  }

  JsLockGraph graph_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::vector<std::map<std::string, std::string>> dependencies_;  // per package: name -> version
  std::set<std::string> prod_roots_, dev_roots_;
  bool explicit_dev_ = false;
};

}  // namespace

Result<JsLockGraph> parse_pnpm_lock(std::string_view text) {
  yaml::Limits limits;
  limits.numbers_as_strings = true;  // lockfileVersion 5.4, versions like 1.10
  auto documents = yaml::parse_documents(text, limits);
  if (!documents) return std::unexpected(documents.error());
  PnpmLockReader reader;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    if (auto ok = reader.document((*documents)[i], i + 1); !ok) return std::unexpected(ok.error());
  }
  return reader.take();
}

}  // namespace cairn::sbom
