// The Python installed-package cataloger against the acceptance corpus transcribed from
// Syft's tests (shared/acceptance/catalogers/python/installed, schema in ../README.md):
// every case whose fixture is available.
#include <gtest/gtest.h>

#include "corpus.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using StringSet = std::multiset<std::string>;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "python" / "installed";

using corpus::load_json;

std::vector<std::string> available_cases() { return corpus::cases_with_fixture(kCorpus); }

// Syft scans the fixture directory by its own path, so its globs see the directory's
// name: "partial.dist-info/METADATA" is found although the fixture holds only METADATA.
// We mount the fixture at "/<last segment of syft_fixture>" for the same effect, and
// compare locations relative to that mount point, as Syft's are.
std::string mount_point(const json& expected) {
  return "/" + fs::path(expected.at("syft_fixture").get<std::string>()).filename().string();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fixture as a one-layer image, with only the files the cataloger's rules capture.
LayerFs load_fixture(const fs::path& root, const std::string& mount) {
  CapturePolicy policy(python_installed_cataloger().captures);
  LayerContents layer;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    Entry e;
    e.path = normalize_path(mount + "/" + fs::relative(entry.path(), root).generic_string());
    if (entry.is_directory()) {
      e.type = EntryType::Directory;
    } else if (entry.is_regular_file()) {
      e.type = EntryType::File;
      e.size = entry.file_size();
      auto cap = policy.cap_for(e.path);
      if (cap && e.size <= *cap) e.content = std::make_shared<const std::string>(read_file(entry.path()));
    } else {
      continue;
    }
    layer.entries.push_back(std::move(e));
  }
  LayerFs image;
  image.apply(layer, 0);
  return image;
}

// A license entry is a string or an object with "value" (a license classified from a file).
StringSet license_values(const json& array) {
  StringSet out;
  for (const auto& v : array) out.insert(v.is_string() ? v.get<std::string>() : v.at("value").get<std::string>());
  return out;
}

// Purl equality on decoded components: make_purl leaves '/' unencoded in qualifier
// values (the purl spec allows either), Syft's packageurl-go encodes it as %2F.
std::string decoded(const std::string& purl) {
  std::string out;
  for (std::size_t i = 0; i < purl.size(); ++i) {
    if (purl[i] == '%' && i + 2 < purl.size()) {
      out += static_cast<char>(std::stoi(purl.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += purl[i];
    }
  }
  return out;
}

void check_package(const json& want, const Package& got, const std::string& mount) {
  SCOPED_TRACE("package " + got.name + " at " + got.locations.front());
  EXPECT_EQ(got.name, want.at("name").get<std::string>());
  EXPECT_EQ(got.version, want.value("version", ""));
  EXPECT_EQ(got.type, want.value("type", "python"));
  EXPECT_EQ(got.found_by, want.value("found_by", "python-installed-package-cataloger"));
  if (want.contains("purl")) {
    EXPECT_EQ(decoded(got.purl), decoded(want["purl"].get<std::string>()));
  }
  if (want.contains("licenses")) {
    EXPECT_EQ(StringSet(got.licenses.begin(), got.licenses.end()), license_values(want["licenses"]));
  }
  StringSet locations;
  for (const auto& l : got.locations) locations.insert(l.substr(mount.size() + 1));
  EXPECT_EQ(locations, [&] {
    StringSet want_locations;
    for (const auto& l : want.at("locations")) want_locations.insert(l.get<std::string>());
    return want_locations;
  }());
  if (!want.contains("metadata")) return;
  const auto& m = want["metadata"];
  auto property = [&](const char* key) { return got.metadata.count(key) ? got.metadata.at(key) : ""; };
  EXPECT_EQ(property("name"), m.value("Name", ""));
  EXPECT_EQ(property("author"), m.value("Author", ""));
  EXPECT_EQ(property("author_email"), m.value("AuthorEmail", ""));
  EXPECT_EQ(property("platform"), m.value("Platform", ""));
  EXPECT_EQ(property("requires_python"), m.value("RequiresPython", ""));
  std::string root = m.value("SitePackagesRootPath", "");
  // When the scanned directory is the dist-info itself, its site-packages (the parent) is
  // outside Syft's scan root and Syft writes "."; ours is the parent of the mount point.
  std::string want_root = root != "." ? mount + "/" + root : mount.ends_with("dist-info") ? "/" : mount;
  EXPECT_EQ(property("site_packages_root_path"), want_root);
  EXPECT_EQ(got.files.size(), m.value("Files_count", std::size_t{0}));
  std::string top_level;
  for (const auto& t : m.value("TopLevelPackages", json::array())) top_level += (top_level.empty() ? "" : " ") + t.get<std::string>();
  EXPECT_EQ(property("top_level_packages"), top_level);
  std::string extras;
  for (const auto& t : m.value("ProvidesExtra", json::array())) extras += (extras.empty() ? "" : " ") + t.get<std::string>();
  EXPECT_EQ(property("provides_extra"), extras);
  if (m.contains("RequiresDist")) {
    EXPECT_EQ(got.depends, m["RequiresDist"].get<std::vector<std::string>>());
  }
  if (m.contains("DirectURLOrigin")) {
    const auto& origin = m["DirectURLOrigin"];
    EXPECT_EQ(property("direct_url"), origin.value("URL", ""));
    EXPECT_EQ(property("direct_url_vcs"), origin.value("VCS", ""));
    EXPECT_EQ(property("direct_url_commit_id"), origin.value("CommitID", ""));
  }
  std::string author = m.value("Author", ""), email = m.value("AuthorEmail", "");
  EXPECT_EQ(got.supplier, author.empty() || email.empty() ? author + email : author + " <" + email + ">");
}

class PythonInstalledAcceptance : public ::testing::TestWithParam<std::string> {};

TEST_P(PythonInstalledAcceptance, MatchesSyft) {
  const fs::path case_dir = kCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  const std::string mount = mount_point(expected);
  LayerFs image = load_fixture(case_dir / expected.at("fixture").get<std::string>(), mount);
  CatalogResult result = python_installed_cataloger().run(image, CatalogContext{});

  const auto& want_packages = expected.at("packages");
  ASSERT_EQ(result.packages.size(), want_packages.size());
  for (const auto& want : want_packages) {
    // Two packages may share a name (two dist-info of pygments): match by primary location.
    std::string primary = mount + "/" + want.at("locations").front().get<std::string>();
    auto it = std::find_if(result.packages.begin(), result.packages.end(),
                           [&](const Package& p) { return p.locations.front() == primary; });
    ASSERT_NE(it, result.packages.end()) << "no package read from " << primary;
    check_package(want, *it, mount);
  }
  // Only the malformed RECORD is a problem worth reporting; it is named.
  for (const auto& e : result.errors) EXPECT_NE(e.find("/RECORD: line "), std::string::npos) << e;
  if (GetParam() == "malformed-record") {
    EXPECT_FALSE(result.errors.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, PythonInstalledAcceptance, ::testing::ValuesIn(available_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           auto not_alnum = [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); };
                           std::replace_if(name.begin(), name.end(), not_alnum, '_');
                           return name;
                         });

// Lock and requirement files (dir: sources): the cases whose fixture is one file
// (requirements.txt, Pipfile.lock, poetry.lock, uv.lock, pdm.lock), placed at the root
// of a directory scan. (The setup.py cases lost their fixtures in transcription; see the
// corpus README.)
const fs::path kLockCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "python" / "lockfiles";

std::string case_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

// "<dep> @ <version> (<location>) [dependency-of] <dependent> @ <version> (<location>)"
std::set<std::string> relationship_strings(const CatalogResult& result, const std::string& location) {
  std::set<std::string> out;
  auto label = [&](std::size_t i) { return result.packages[i].name + " @ " + result.packages[i].version + " (" + location + ")"; };
  for (const auto& d : result.dependencies) out.insert(label(d.to) + " [dependency-of] " + label(d.from));
  return out;
}

class PythonLockfileAcceptance : public ::testing::TestWithParam<std::string> {};

TEST_P(PythonLockfileAcceptance, MatchesSyft) {
  const fs::path case_dir = kLockCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  const std::string fixture = expected.at("fixture");
  LayerContents layer;
  Entry e;
  e.path = "/" + fixture;
  e.content = std::make_shared<const std::string>(read_file(case_dir / fixture));
  e.size = e.content->size();
  layer.entries.push_back(std::move(e));
  LayerFs image;
  image.apply(layer, 0);
  CatalogContext ctx;
  EXPECT_TRUE(python_lockfile_cataloger().run(image, ctx).packages.empty()) << "images report no lock files";
  ctx.directory_source = true;
  CatalogResult result = python_lockfile_cataloger().run(image, ctx);
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();

  // Some cases assert names only (pdm-lock-extras): there a package matches by name.
  std::multiset<std::pair<std::string, std::string>> got, want;
  for (const auto& p : result.packages) {
    auto w = std::find_if(expected["packages"].begin(), expected["packages"].end(), [&](const json& j) {
      return j["name"] == p.name && (!j.contains("version") || j["version"] == p.version);
    });
    ASSERT_NE(w, expected["packages"].end()) << "unexpected " << p.name << " " << p.version;
    got.insert({p.name, w->contains("version") ? p.version : ""});
    if (w->contains("purl")) {
      EXPECT_EQ(decoded(p.purl), decoded((*w)["purl"].get<std::string>()));
    }
    EXPECT_EQ(p.locations, std::vector<std::string>{"/" + (*w)["locations"][0].get<std::string>()});
    EXPECT_TRUE(p.licenses.empty());
    EXPECT_EQ(p.type, "python");
    EXPECT_EQ(p.found_by, "python-package-cataloger");
    const json metadata = w->value("metadata", json::object());
    if (metadata.contains("Index")) {
      EXPECT_EQ(p.metadata.count("index") ? p.metadata.at("index") : "", metadata["Index"].get<std::string>()) << p.name;
    }
    if (metadata.contains("Marker")) {
      EXPECT_EQ(p.metadata.count("marker") ? p.metadata.at("marker") : "", metadata["Marker"].get<std::string>()) << p.name;
    }
    if (metadata.contains("Summary")) {
      EXPECT_EQ(p.metadata.count("summary") ? p.metadata.at("summary") : "", metadata["Summary"].get<std::string>()) << p.name;
    }
  }
  for (const auto& w : expected["packages"])
    want.insert({w["name"].get<std::string>(), w.value("version", "")});
  EXPECT_EQ(got, want);

  if (expected.contains("relationship_strings")) {
    std::set<std::string> want_relationships;
    for (const auto& r : expected["relationship_strings"]) want_relationships.insert(r.get<std::string>());
    EXPECT_EQ(relationship_strings(result, fixture), want_relationships);
  }
  if (GetParam() == "pdm-lock-extras") {
    // The case's notes: coverage (with its "toml" extras entry merged in) is reported
    // once, uvloop's marker is kept verbatim, and pytest-cov depends on coverage.
    auto uvloop = std::find_if(result.packages.begin(), result.packages.end(), [](const Package& p) { return p.name == "uvloop"; });
    ASSERT_NE(uvloop, result.packages.end());
    EXPECT_EQ(uvloop->metadata.at("marker"),
              "platform_python_implementation != 'PyPy' and sys_platform != 'win32' and python_version >= \"3.8\"");
    EXPECT_TRUE(relationship_strings(result, fixture).contains(
        "coverage @ 7.4.1 (pdm.lock) [dependency-of] pytest-cov @ 4.1.0 (pdm.lock)"));
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, PythonLockfileAcceptance,
                         ::testing::ValuesIn(corpus::cases_in(kLockCorpus, [](const json& e) {
                           return e.value("fixture_available", false) && e.value("group", "") == "lockfile";
                         })),
                         case_test_name);

// Relationship cases: a project directory; only the dependency edges are asserted, with
// the location "." (the fixture root).
class PythonLockRelationships : public ::testing::TestWithParam<std::string> {};

TEST_P(PythonLockRelationships, MatchesSyft) {
  const fs::path case_dir = kLockCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  const fs::path project = case_dir / expected.at("fixture").get<std::string>();
  LayerContents layer;
  for (const auto& entry : fs::directory_iterator(project)) {
    if (!entry.is_regular_file()) continue;
    Entry e;
    e.path = "/" + entry.path().filename().string();
    e.content = std::make_shared<const std::string>(read_file(entry.path()));
    e.size = e.content->size();
    layer.entries.push_back(std::move(e));
  }
  LayerFs image;
  image.apply(layer, 0);
  CatalogContext ctx;
  ctx.directory_source = true;
  CatalogResult result = python_lockfile_cataloger().run(image, ctx);
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  EXPECT_FALSE(result.packages.empty());
  std::set<std::string> want;
  for (const auto& r : expected.value("relationship_strings", json::array())) want.insert(r.get<std::string>());
  EXPECT_EQ(relationship_strings(result, "."), want);
}

INSTANTIATE_TEST_SUITE_P(Corpus, PythonLockRelationships,
                         ::testing::ValuesIn(corpus::cases_in(kLockCorpus, [](const json& e) {
                           return e.value("fixture_available", false) && e.value("group", "") == "relationships";
                         })),
                         case_test_name);

}  // namespace
}  // namespace cairn::sbom
