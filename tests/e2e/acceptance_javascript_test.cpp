// The npm package.json parser, javascript-package-cataloger and javascript-lock-cataloger
// (package-lock, yarn, pnpm, bun and deno lock files) against the acceptance
// corpus transcribed from Syft's tests (shared/acceptance/catalogers/javascript/installed,
// schema in ../README.md). Syft feeds these fixtures straight to its parser, so each is
// checked twice: parsed as Syft does, and installed in an image at
// /usr/lib/node_modules/<case>/package.json for the cataloger to find.
#include <gtest/gtest.h>

#include "corpus.h"
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/npm_package_json.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpusRoot = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "javascript";
const fs::path kCorpus = kCorpusRoot / "installed";
const fs::path kLockCorpus = kCorpusRoot / "lockfiles";

using corpus::load_json;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Case directories with an available fixture; `accept` filters by expected.json.
template <class Accept>
std::vector<std::string> cases_in(const fs::path& dir, Accept accept) {
  return corpus::cases_in(dir, [&](const json& e) { return e.value("fixture_available", false) && accept(e); });
}

std::vector<std::string> available_cases() {
  return cases_in(kCorpus, [](const json&) { return true; });
}

// Every lock-file case with a fixture: package-lock.json, yarn.lock (classic, berry),
// pnpm-lock.yaml, bun.lock and deno.lock, single files or project directories.
std::vector<std::string> lockfile_cases() {
  return cases_in(kLockCorpus, [](const json&) { return true; });
}

// Syft's CatalogerConfig{IncludeDevDependencies: true}, given as "config" or in the notes.
bool includes_dev(const json& expected) {
  if (expected.contains("config")) return expected["config"].value("IncludeDevDependencies", false);
  for (const auto& note : expected.value("notes", json::array())) {
    if (note.get<std::string>().find("CatalogerConfig{IncludeDevDependencies: true}") != std::string::npos) return true;
  }
  return false;
}

// An image holding the fixture at `manifest_path`, read under the cataloger's own
// capture rules (so the size cap applies as in a real scan).
LayerFs image_with(const std::string& manifest_path, const std::string& content, const Cataloger& cataloger) {
  CapturePolicy policy(cataloger.captures);
  LayerContents layer;
  Entry e;
  e.path = manifest_path;
  e.type = EntryType::File;
  e.size = content.size();
  auto cap = policy.cap_for(manifest_path);
  if (cap && content.size() <= *cap) e.content = std::make_shared<const std::string>(content);
  layer.entries.push_back(std::move(e));
  LayerFs image;
  image.apply(layer, 0);
  return image;
}

void check_package(const json& want, const Package& got, const std::string& location) {
  SCOPED_TRACE("package " + got.name);
  EXPECT_EQ(got.name, want.value("name", ""));
  EXPECT_EQ(got.version, want.value("version", ""));
  EXPECT_EQ(got.purl, want.value("purl", ""));
  EXPECT_EQ(got.type, want.value("type", ""));
  std::vector<std::string> licenses;
  for (const auto& l : want.at("licenses")) licenses.push_back(l.get<std::string>());
  EXPECT_EQ(got.licenses, licenses);
  EXPECT_EQ(got.locations, std::vector<std::string>{location});
  const auto& m = want.at("metadata");
  EXPECT_EQ(m.value("_type", ""), "NpmPackage");
  EXPECT_EQ(got.supplier, m.value("Author", ""));
  EXPECT_EQ(got.description, m.value("Description", ""));
  auto meta = [&](const char* key) {
    auto it = got.metadata.find(key);
    return it == got.metadata.end() ? std::string() : it->second;
  };
  EXPECT_EQ(meta("homepage"), m.value("Homepage", ""));
  EXPECT_EQ(meta("url"), m.value("URL", ""));
  EXPECT_EQ(meta("private"), m.value("Private", false) ? "true" : "");
}

TEST(AcceptanceJavascript, CorpusIsPresent) {
  ASSERT_TRUE(fs::is_directory(kCorpus)) << kCorpus;
  EXPECT_GE(available_cases().size(), 20u);
}

class InstalledCase : public ::testing::TestWithParam<std::string> {};

TEST_P(InstalledCase, MatchesSyft) {
  const fs::path case_dir = kCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  const std::string fixture = expected.at("fixture");
  const std::string content = read_file(case_dir / fixture);
  const bool expect_error = expected.value("expect_error", false);
  const auto& want = expected.at("packages");

  // 1. The parser, as Syft's parser test calls it (location = the fixture's name).
  auto parsed = parse_npm_package_json(content);
  if (expect_error) {
    EXPECT_FALSE(parsed.has_value());
  } else {
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    ASSERT_EQ(want.size(), 1u);
    Package got = npm_package(*parsed, fixture, "javascript-package-cataloger");
    if (want[0].value("name", "").empty()) {
      // Syft's parser raises a nameless package that its compliance rules drop later.
      EXPECT_TRUE(got.name.empty());
      EXPECT_TRUE(got.version.empty());
      EXPECT_TRUE(got.licenses.empty());
    } else {
      check_package(want[0], got, fixture);
    }
  }

  // 2. The cataloger over an image with the fixture installed.
  const std::string installed = "/usr/lib/node_modules/" + GetParam() + "/package.json";
  auto result = javascript_package_cataloger().run(image_with(installed, content, javascript_package_cataloger()), {});
  std::size_t named = 0;
  for (const auto& p : want) named += p.value("name", "").empty() ? 0 : 1;
  ASSERT_EQ(result.packages.size(), named);
  if (named == 1) {
    check_package(want[0], result.packages[0], installed);
    EXPECT_EQ(result.packages[0].found_by, "javascript-package-cataloger");
    EXPECT_TRUE(result.errors.empty());
  } else {
    ASSERT_FALSE(result.errors.empty());
    EXPECT_NE(result.errors[0].find(installed), std::string::npos) << result.errors[0];
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, InstalledCase, ::testing::ValuesIn(available_cases()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

class LockFileCase : public ::testing::TestWithParam<std::string> {};

TEST_P(LockFileCase, MatchesSyft) {
  const fs::path case_dir = kLockCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  const std::string fixture = expected.at("fixture");
  const auto lock = javascript_lock_cataloger({.include_dev_dependencies = includes_dev(expected)});
  const bool single_file = fs::is_regular_file(case_dir / fixture);
  const std::string lock_path = "/" + (single_file ? fixture : std::string());
  LayerFs image;
  if (single_file) {
    image = image_with(lock_path, read_file(case_dir / fixture), lock);
  } else {
    auto layer = read_directory(case_dir / fixture, CapturePolicy(lock.captures));
    ASSERT_TRUE(layer.has_value()) << layer.error().message;
    image.apply(*layer, 0);
  }
  // Images never report lock files.
  EXPECT_TRUE(lock.run(image, {}).packages.empty());
  CatalogContext dir_source;
  dir_source.directory_source = true;
  auto result = lock.run(image, dir_source);
  if (expected.value("expect_error", false)) {
    EXPECT_TRUE(result.packages.empty());
    ASSERT_FALSE(result.errors.empty());
    EXPECT_NE(result.errors[0].find(lock_path), std::string::npos);
    return;
  }
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  std::set<std::string> want_ids, got_ids;
  for (const auto& w : expected.at("packages")) want_ids.insert(w.value("name", "") + "@" + w.value("version", ""));
  for (const auto& g : result.packages) got_ids.insert(g.name + "@" + g.version);
  EXPECT_EQ(got_ids, want_ids);
  EXPECT_EQ(result.packages.size(), got_ids.size()) << "duplicates";
  for (const auto& w : expected.at("packages")) {
    auto it = std::find_if(result.packages.begin(), result.packages.end(), [&](const Package& p) {
      return p.name == w.value("name", "") && p.version == w.value("version", "");
    });
    if (it == result.packages.end()) continue;
    SCOPED_TRACE(it->name + "@" + it->version);
    // Deliberate difference: Syft escapes '/' in a qualifier value
    // ("repository_url=https%3A%2F%2Fjsr.io"); cairn's make_purl keeps it, as the purl
    // spec's canonical form does. Both decode to the same purl, so those compare decoded.
    const std::string want_purl = w.value("purl", "");
    if (want_purl.find('?') == std::string::npos) {
      EXPECT_EQ(it->purl, want_purl);
    } else {
      EXPECT_EQ(percent_decode(it->purl), percent_decode(want_purl));
    }
    EXPECT_EQ(it->type, "npm");
    EXPECT_EQ(it->found_by, "javascript-lock-cataloger");
    std::vector<std::string> licenses;
    for (const auto& l : w.at("licenses")) licenses.push_back(l.get<std::string>());
    EXPECT_EQ(it->licenses, licenses);
    // Syft writes the location relative to the scanned root; cairn's paths are absolute.
    std::vector<std::string> locations;
    for (const auto& l : w.at("locations")) locations.push_back("/" + l.get<std::string>());
    EXPECT_EQ(it->locations, locations);
    const auto& m = w.at("metadata");
    auto meta = [&](const char* key) {
      auto found = it->metadata.find(key);
      return found == it->metadata.end() ? std::string() : found->second;
    };
    // pnpm keeps the integrity under Resolution; deno's remote modules keep their URL.
    const json& integrity_holder = m.contains("Resolution") ? m["Resolution"] : m;
    EXPECT_EQ(meta("resolved"), m.value("Resolved", ""));
    EXPECT_EQ(meta("integrity"), integrity_holder.value("Integrity", ""));
    EXPECT_EQ(meta("url"), m.value("URL", ""));
    EXPECT_EQ(meta("os"), m.value("OS", ""));
    EXPECT_EQ(meta("cpu"), m.value("CPU", ""));
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, LockFileCase, ::testing::ValuesIn(lockfile_cases()),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// INTEGRATION.md, Syft's TestNpmPackageLockDirectory: a dir: scan of a project with a
// lock file and node_modules/ reports 2 distinct npm names, none under node_modules.
TEST(AcceptanceJavascript, NpmLockDirectoryIntegration) {
  const fs::path case_dir = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "integration" / "npm-lock-directory";
  const json expected = load_json(case_dir / "expected.json");
  std::vector<CaptureRule> rules = javascript_package_cataloger().captures;
  for (const auto& r : javascript_lock_cataloger().captures) rules.push_back(r);
  auto layer = read_directory(case_dir / expected.value("fixture", "dir"), CapturePolicy(rules));
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  LayerFs image;
  image.apply(*layer, 0);
  CatalogContext dir_source;
  dir_source.directory_source = true;
  std::set<std::string> names;
  for (const auto& cataloger : {javascript_package_cataloger(), javascript_lock_cataloger()}) {
    auto result = cataloger.run(image, dir_source);
    EXPECT_TRUE(result.errors.empty());
    for (const auto& p : result.packages) {
      names.insert(p.name);
      for (const auto& location : p.locations) EXPECT_EQ(location.find("node_modules"), std::string::npos) << location;
    }
  }
  EXPECT_EQ(names.size(), expected.at("expected_distinct_npm_names").get<std::size_t>());
}

// INTEGRATION.md, Syft's TestYarnPackageLockDirectory: exactly async@0.9.2, async@3.2.3 and
// @4lolo/resize-observer-polyfill@1.5.2 (the devDependencies merge-objects and should-type
// are left out), none located under node_modules.
TEST(AcceptanceJavascript, YarnLockDirectoryIntegration) {
  const fs::path case_dir = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "integration" / "yarn-lock-directory";
  const json expected = load_json(case_dir / "expected.json");
  std::vector<CaptureRule> rules = javascript_package_cataloger().captures;
  for (const auto& r : javascript_lock_cataloger().captures) rules.push_back(r);
  auto layer = read_directory(case_dir / expected.value("fixture", "dir"), CapturePolicy(rules));
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  LayerFs image;
  image.apply(*layer, 0);
  CatalogContext dir_source;
  dir_source.directory_source = true;
  std::set<std::string> got, want;
  for (const auto& cataloger : {javascript_package_cataloger(), javascript_lock_cataloger()}) {
    auto result = cataloger.run(image, dir_source);
    EXPECT_TRUE(result.errors.empty());
    for (const auto& p : result.packages) {
      EXPECT_TRUE(got.insert(p.name + "@" + p.version).second) << "duplicate " << p.name;
      EXPECT_EQ(p.type, "npm");
      for (const auto& location : p.locations) EXPECT_EQ(location.find("node_modules"), std::string::npos) << location;
    }
  }
  for (const auto& p : expected.at("packages")) want.insert(p.value("name", "") + "@" + p.value("version", ""));
  EXPECT_EQ(got, want);
}

// INTEGRATION.md, Syft's pkg-coverage directory scan, "find javascript npm packages
// (yarn.lock & package-lock.json)": exactly @babel/code-frame 7.10.4 (yarn.lock) and
// get-stdin 8.0.0 (package-lock.json); the bare package.json reports nothing in a dir: scan.
TEST(AcceptanceJavascript, PkgCoverageDirectoryIntegration) {
  const fs::path case_dir = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "integration" / "pkg-coverage-directory";
  std::vector<CaptureRule> rules = javascript_package_cataloger().captures;
  for (const auto& r : javascript_lock_cataloger().captures) rules.push_back(r);
  auto layer = read_directory(case_dir / "dir", CapturePolicy(rules));
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  LayerFs image;
  image.apply(*layer, 0);
  CatalogContext dir_source;
  dir_source.directory_source = true;
  std::multiset<std::string> got;
  for (const auto& cataloger : {javascript_package_cataloger(), javascript_lock_cataloger()}) {
    auto result = cataloger.run(image, dir_source);
    EXPECT_TRUE(result.errors.empty()) << result.errors.front();
    for (const auto& p : result.packages) got.insert(p.name + "@" + p.version);
  }
  EXPECT_EQ(got, (std::multiset<std::string>{"@babel/code-frame@7.10.4", "get-stdin@8.0.0"}));
}

TEST(AcceptanceJavascript, LockFileCasesArePresent) { EXPECT_GE(lockfile_cases().size(), 28u); }

// A package.json of 100 MB in a dir: source (a sparse file, so the test costs no disk):
// the reader refuses it by the capture cap without reading it, and the cataloger reports
// it by name.
TEST(AcceptanceJavascript, HugeManifestIsRefused) {
  const fs::path root = fs::temp_directory_path() / ("cairn-js-huge-" + std::to_string(::getpid()));
  fs::create_directories(root / "app" / "node_modules" / "huge");
  fs::create_directories(root / "app" / "node_modules" / "small");
  {
    std::ofstream small(root / "app" / "node_modules" / "small" / "package.json");
    small << R"({"name": "small", "version": "1.0.0"})";
  }
  const fs::path huge = root / "app" / "node_modules" / "huge" / "package.json";
  { std::ofstream(huge) << "{"; }
  fs::resize_file(huge, 100u * 1024 * 1024);

  auto layer = read_directory(root, CapturePolicy(javascript_package_cataloger().captures));
  fs::remove_all(root);
  ASSERT_TRUE(layer.has_value()) << layer.error().message;
  LayerFs image;
  image.apply(*layer, 0);
  auto result = javascript_package_cataloger().run(image, {});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "small");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("/app/node_modules/huge/package.json"), std::string::npos) << result.errors[0];
}

}  // namespace
}  // namespace cairn::sbom
