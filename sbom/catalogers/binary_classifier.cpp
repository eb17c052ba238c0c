#include "sbom/catalogers/binary_classifier.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "sbom/catalogers/excerpt.h"
#include "sbom/purl.h"

namespace cairn::sbom {
namespace {

using binclass::Classification;
using binclass::Classifier;
using binclass::Match;

constexpr std::string_view kCatalogerName = "binary-classifier-cataloger";
// Node is ~100 MB, mongod and chrome ~150 MB; larger files are skipped by the reader.
constexpr std::size_t kMaxExecutableBytes = 200u << 20;
// An extract is ours, so it is small; anything larger is not worth parsing.
constexpr std::size_t kMaxExtractBytes = 64u << 10;
constexpr std::size_t kMaxEntries = 256;

std::string_view basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dirname_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos || slash == 0 ? std::string_view{"/"} : path.substr(0, slash);
}

// "cpe:2.3:a:oracle:openjdk:1.8.0:update352:*:...": the update goes in the field after
// the version, escaped as make_cpe escapes a version.
std::string cpe_with_update(const Classifier::Cpe& c, const std::string& version, const std::string& update) {
  const std::string cpe = make_cpe(c.vendor, c.product, version);
  if (update.empty()) return cpe;
  constexpr std::string_view kTail = ":*:*:*:*:*:*:*";
  constexpr std::string_view kHead = "cpe:2.3:a:a:a:";
  const std::string escaped = make_cpe("a", "a", "update" + update);
  return cpe.substr(0, cpe.size() - kTail.size()) + ":" +
         escaped.substr(kHead.size(), escaped.size() - kHead.size() - kTail.size()) + ":*:*:*:*:*:*";
}

Package make_package(const Classifier& c, const Match& m, const std::string& path) {
  Package p;
  p.name = c.package;
  p.version = m.version;
  // A pkg:golang purl (consul, vault) makes a go-module package, as Syft types packages by purl.
  p.type = c.purl_type == "golang" ? "go-module" : "binary";
  p.found_by = std::string(kCatalogerName);
  p.purl = make_purl(c.purl_type, c.purl_namespace, c.purl_name, m.version);
  const std::string& cpe_version = m.primary.empty() ? m.version : m.primary;
  for (const auto& cpe : c.cpes) p.cpes.push_back(cpe_with_update(cpe, cpe_version, m.update));
  p.locations.push_back(path);
  p.metadata["classifier"] = c.class_name;
  return p;
}

// Syft's consolidation: a package equal in name, version and type to one found before
// adds its locations (and classifier) to it instead of standing alone.
void add_or_merge(std::vector<Package>& out, Package p) {
  for (auto& existing : out) {
    if (existing.name != p.name || existing.version != p.version || existing.type != p.type) continue;
    bool added = false;
    for (auto& loc : p.locations) {
      if (std::find(existing.locations.begin(), existing.locations.end(), loc) != existing.locations.end()) continue;
      existing.locations.push_back(loc);
      added = true;
    }
    if (added) {
      auto& cls = existing.metadata["classifier"];
      const auto& extra = p.metadata["classifier"];
      if (("," + cls + ",").find("," + extra + ",") == std::string::npos) cls += "," + extra;
    }
    return;
  }
  out.push_back(std::move(p));
}

const Match* match_of(const Classification& c, const Classifier& cls) {
  for (const auto& m : c.matches)
    if (m.class_name == cls.class_name && m.package == cls.package) return &m;
  return nullptr;
}

// Where the dynamic loader would find a DT_NEEDED library: any classified file with that
// name, or the name in the usual library directories (following symlinks such as
// libruby.so.3.1 -> libruby.so.3.1.2), or next to the binary's ../lib.
std::vector<std::string> find_library(const FileResolver& fs, const std::map<std::string, Classification>& files,
                                      const std::string& binary, const std::string& library) {
  std::set<std::string> found;
  for (const auto& [path, _] : files)
    if (basename_of(path) == library) found.insert(path);
  const std::string prefix = std::string(dirname_of(dirname_of(binary)));
  for (const std::string& dir : {prefix + "/lib", std::string("/lib"), std::string("/usr/lib"),
                                std::string("/usr/local/lib"), std::string("/lib64"), std::string("/usr/lib64"),
                                std::string("/usr/lib/x86_64-linux-gnu"), std::string("/usr/lib/aarch64-linux-gnu"),
                                std::string("/lib/x86_64-linux-gnu"), std::string("/lib/aarch64-linux-gnu")}) {
    if (auto real = fs.real_path(normalize_path(dir + "/" + library)); real && files.contains(*real))
      found.insert(*real);
  }
  return {found.begin(), found.end()};
}

// The package a shared-library lookup gives for `path`, if any: the version of the
// first library (by path) that its own classifier matched; the binary is the primary
// location, the library supporting evidence.
std::vector<Package> lookup_packages(const FileResolver& fs, const std::map<std::string, Classification>& files,
                                     const Classifier& c, const std::string& path, const Classification& cls) {
  std::vector<Package> out;
  const Classifier* lib_classifier = binclass::find_classifier(c.library_class);
  if (lib_classifier == nullptr) return out;
  for (const auto& need : cls.needed) {
    if (need.class_name != c.class_name) continue;
    for (const auto& lib_path : find_library(fs, files, path, need.library)) {
      const Match* m = match_of(files.at(lib_path), *lib_classifier);
      if (m == nullptr) continue;
      Package p = make_package(c, *m, path);
      if (lib_path != path) p.locations.push_back(lib_path);
      p.metadata["classifier"] = c.class_name;
      out.push_back(std::move(p));
    }
  }
  return out;
}

CatalogResult catalog(const FileResolver& fs, const CatalogContext&) {
  CatalogResult result;
  std::map<std::string, Classification> files;
  for (const auto& path : fs.files_with_extract(kBinaryClassifierExtract)) {
    const std::string* extract = fs.extract(path, kBinaryClassifierExtract);
    if (extract == nullptr) continue;
    auto decoded = decode_classification(*extract);
    if (!decoded) {
      result.errors.push_back(path + ": binary classifier extract: unreadable " + excerpt(*extract));
      continue;
    }
    files.emplace(path, std::move(*decoded));
  }
  // Classifier order first, then path order: the order Syft reports and merges in.
  for (const Classifier& c : binclass::classifiers()) {
    if (c.lookup_only) continue;
    // Syft asks the shared library first for python, the binary first for ruby.
    const bool library_first = c.library_class.find("python") != std::string::npos;
    for (const auto& [path, cls] : files) {
      std::vector<Package> found;
      const Match* direct = match_of(cls, c);
      if (!c.needed_library.empty() && (library_first || direct == nullptr)) found = lookup_packages(fs, files, c, path, cls);
      if (found.empty() && direct != nullptr) found.push_back(make_package(c, *direct, path));
      for (auto& p : found) add_or_merge(result.packages, std::move(p));
    }
  }
  return result;
}

}  // namespace

std::string encode_classification(const Classification& c) {
  nlohmann::json matches = nlohmann::json::array();
  for (const auto& m : c.matches) {
    nlohmann::json j{{"class", m.class_name}, {"package", m.package}, {"version", m.version}};
    if (!m.primary.empty()) j["primary"] = m.primary;
    if (!m.update.empty()) j["update"] = m.update;
    matches.push_back(std::move(j));
  }
  nlohmann::json needed = nlohmann::json::array();
  for (const auto& n : c.needed) needed.push_back({{"class", n.class_name}, {"library", n.library}});
  return nlohmann::json{{"matches", matches}, {"needed", needed}}.dump();
}

std::optional<Classification> decode_classification(std::string_view json) {
  if (json.size() > kMaxExtractBytes) return std::nullopt;
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto text = [](const nlohmann::json& o, const char* key) -> std::optional<std::string> {
    auto it = o.find(key);
    if (it == o.end()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  Classification out;
  auto matches = doc.find("matches");
  auto needed = doc.find("needed");
  if (matches == doc.end() || !matches->is_array() || matches->size() > kMaxEntries) return std::nullopt;
  if (needed == doc.end() || !needed->is_array() || needed->size() > kMaxEntries) return std::nullopt;
  for (const auto& m : *matches) {
    if (!m.is_object()) return std::nullopt;
    auto cls = text(m, "class"), package = text(m, "package"), version = text(m, "version");
    auto primary = text(m, "primary"), update = text(m, "update");
    if (!cls || !package || !version || !primary || !update || cls->empty() || version->empty()) return std::nullopt;
    out.matches.push_back({*cls, *package, *version, *primary, *update});
  }
  for (const auto& n : *needed) {
    if (!n.is_object()) return std::nullopt;
    auto cls = text(n, "class"), library = text(n, "library");
    if (!cls || !library || cls->empty() || library->empty()) return std::nullopt;
    out.needed.push_back({*cls, *library});
  }
  return out;
}

std::optional<std::string> binary_classifier_extract(std::string_view path, std::string_view bytes) {
  if (!binclass::is_candidate(path)) return std::nullopt;
  auto c = binclass::classify(path, bytes);
  if (c.empty()) return std::nullopt;
  return encode_classification(c);
}

Cataloger binary_classifier_cataloger() {
  Cataloger c;
  c.name = std::string(kCatalogerName);
  CaptureRule rule;
  rule.max_bytes = kMaxExecutableBytes;
  rule.extract_name = std::string(kBinaryClassifierExtract);
  rule.extract = binary_classifier_extract;
  rule.executables = true;
  c.captures.push_back(std::move(rule));
  c.run = catalog;
  return c;
}

}  // namespace cairn::sbom
