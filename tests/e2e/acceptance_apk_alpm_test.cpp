// The apk and alpm catalogers against the acceptance corpus transcribed from Syft's
// tests (shared/acceptance/catalogers/{apk,alpm}, schema in ../README.md): every case
// with a fixture, read through the directory reader and layer filesystem a real scan
// uses; Syft's purl cases; the paths Syft's glob tests expect the catalogers to read.
#include <gtest/gtest.h>

#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/alpm.h"
#include "sbom/catalogers/apk.h"
#include "sbom/catalogers/apk_db.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/release.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using StringSet = std::multiset<std::string>;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers";

using corpus::load_json;

Cataloger cataloger_for(const std::string& ecosystem) {
  return ecosystem == "apk" ? apk_cataloger() : alpm_cataloger();
}

// "apk/base", "alpm/installed": every case directory whose fixture is available.
std::vector<std::string> available_cases() {
  std::vector<std::string> names;
  for (const char* ecosystem : {"apk", "alpm"})
    for (const auto& name : corpus::cases_with_fixture(kCorpus / ecosystem)) names.push_back(std::string(ecosystem) + "/" + name);
  std::sort(names.begin(), names.end());
  return names;
}

// A FileResolver that records what the cataloger reads (Syft's content queries).
class RecordingResolver final : public FileResolver {
 public:
  explicit RecordingResolver(const FileResolver& inner) : inner_(inner) {}
  std::vector<std::string> glob(std::string_view pattern) const override { return inner_.glob(pattern); }
  const std::string* read(std::string_view path) const override {
    reads.insert(std::string(path));
    return inner_.read(path);
  }
  const std::string* extract(std::string_view path, std::string_view name) const override {
    return inner_.extract(path, name);
  }
  std::vector<std::string> files_with_extract(std::string_view name) const override {
    return inner_.files_with_extract(name);
  }
  bool exists(std::string_view path) const override { return inner_.exists(path); }
  std::optional<std::string> real_path(std::string_view path) const override { return inner_.real_path(path); }
  mutable std::set<std::string> reads;

 private:
  const FileResolver& inner_;
};

struct Scan {
  LayerFs image;
  std::optional<Release> release;
  CatalogResult result;
};

// Reads the case's rootfs/ with the cataloger's and distro identification's capture
// rules, identifies the distro and runs the cataloger, as an image scan would.
Scan scan_case(const std::string& ecosystem, const fs::path& root) {
  Scan s;
  Cataloger cataloger = cataloger_for(ecosystem);
  auto rules = cataloger.captures;
  auto release_rules = release_capture_rules();
  rules.insert(rules.end(), release_rules.begin(), release_rules.end());
  auto layer = read_directory(root, CapturePolicy(rules));
  EXPECT_TRUE(layer) << (layer ? "" : layer.error().message);
  if (!layer) return s;
  s.image.apply(*layer, 0);
  s.release = identify_release(s.image);
  s.result = cataloger.run(s.image, CatalogContext{s.release});
  return s;
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  if (array.is_array())
    for (const auto& v : array) out.push_back(v.get<std::string>());
  return out;
}

std::string metadata_or_empty(const Package& p, const std::string& key) {
  auto it = p.metadata.find(key);
  return it == p.metadata.end() ? "" : it->second;
}

std::size_t word_count(const std::string& text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    if (j > i) ++n;
    i = j + 1;
  }
  return n;
}

// The Syft metadata fields the corpus asserts, each checked against where cairn keeps
// it. A field without a check here fails, so nothing the corpus states goes unchecked.
void check_metadata(const std::string& ecosystem, const json& metadata, const Package& got) {
  auto stripped = [&](const json& specs) {
    std::vector<std::string> out;
    for (const auto& s : strings(specs)) {
      std::string name = s.substr(0, s.find_first_of(ecosystem == "apk" ? "<>=~" : "<>="));
      if (!name.empty()) out.push_back(name);
    }
    return out;
  };
  for (const auto& [key, value] : metadata.items()) {
    SCOPED_TRACE("metadata " + key);
    if (key == "_type") {
      EXPECT_EQ(value, ecosystem == "apk" ? "ApkDBEntry" : "AlpmDBEntry");
    } else if (key == "Package") {
      EXPECT_EQ(got.name, value.get<std::string>());
    } else if (key == "Version") {
      EXPECT_EQ(got.version, value.get<std::string>());
    } else if (key == "OriginPackage" || key == "BasePackage") {
      EXPECT_EQ(got.source_name, value.get<std::string>());
    } else if (key == "Maintainer" || key == "Packager") {
      EXPECT_EQ(got.supplier, value.get<std::string>());
    } else if (key == "Architecture") {
      EXPECT_EQ(got.arch, value.get<std::string>());
    } else if (key == "Description") {
      EXPECT_EQ(got.description, value.get<std::string>());
    } else if (key == "URL") {
      EXPECT_EQ(metadata_or_empty(got, "url"), value.get<std::string>());
    } else if (key == "Size") {
      EXPECT_EQ(metadata_or_empty(got, "size"), std::to_string(value.get<long long>()));
    } else if (key == "InstalledSize") {
      EXPECT_EQ(metadata_or_empty(got, "installed_size"), std::to_string(value.get<long long>()));
    } else if (key == "Checksum") {
      EXPECT_EQ(metadata_or_empty(got, "checksum"), value.get<std::string>());
    } else if (key == "GitCommit") {
      EXPECT_EQ(metadata_or_empty(got, "git_commit"), value.get<std::string>());
    } else if (key == "Validation") {
      EXPECT_EQ(metadata_or_empty(got, "validation"), value.get<std::string>());
    } else if (key == "Reason") {
      EXPECT_EQ(metadata_or_empty(got, "reason"), std::to_string(value.get<long long>()));
    } else if (key == "Dependencies" || key == "Depends") {
      EXPECT_EQ(got.depends, strings(value));
    } else if (key == "Provides") {
      EXPECT_EQ(got.provides, stripped(value));
    } else if (key == "Files_count") {
      EXPECT_EQ(got.files.size(), value.get<std::size_t>());
    } else if (key == "Backup_count") {
      EXPECT_EQ(word_count(metadata_or_empty(got, "backup")), value.get<std::size_t>());
    } else {
      ADD_FAILURE() << "no check for metadata field " << key;
    }
  }
  // Syft compares the whole entry: an absent list or number is empty or zero.
  if (!metadata.contains("Dependencies") && !metadata.contains("Depends")) {
    EXPECT_TRUE(got.depends.empty());
  }
  if (!metadata.contains("Provides")) {
    EXPECT_TRUE(got.provides.empty());
  }
  if (ecosystem == "alpm" && !metadata.contains("Reason")) {
    EXPECT_EQ(metadata_or_empty(got, "reason"), "0");
  }
}

void check_package(const std::string& ecosystem, const std::string& db_location, const json& want,
                   const Package& got) {
  SCOPED_TRACE("package " + got.name);
  if (want.contains("version")) {
    EXPECT_EQ(got.version, want["version"].get<std::string>());
  }
  if (want.contains("purl")) {
    EXPECT_EQ(got.purl, want["purl"].get<std::string>());
  }
  if (want.contains("type")) {
    EXPECT_EQ(got.type, want["type"].get<std::string>());
  }
  if (want.contains("found_by")) {
    EXPECT_EQ(got.found_by, want["found_by"].get<std::string>());
  }
  EXPECT_EQ(got.found_by, ecosystem == "apk" ? "apk-db-cataloger" : "alpm-db-cataloger");
  if (want.contains("licenses")) {
    EXPECT_EQ(got.licenses, strings(want["licenses"]));
  }
  if (want.contains("locations")) {
    // Cataloger cases name image paths; parser cases name Syft's testdata file, which
    // the corpus placed at the database path (db_location).
    std::vector<std::string> expected;
    for (const auto& l : strings(want["locations"]))
      expected.push_back(l.starts_with("testdata/") ? db_location : "/" + l);
    EXPECT_EQ(StringSet(got.locations.begin(), got.locations.end()), StringSet(expected.begin(), expected.end()));
    ASSERT_FALSE(got.locations.empty());
    EXPECT_EQ(got.locations.front(), expected.front());
  }
  EXPECT_FALSE(got.cpes.empty());
  if (want.contains("metadata")) check_metadata(ecosystem, want["metadata"], got);
}

// dependant name -> provider names, in the order edges come out (Syft's dependency map).
std::map<std::string, std::vector<std::string>> dependency_map(const CatalogResult& r) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& d : r.dependencies) out[r.packages.at(d.from).name].push_back(r.packages.at(d.to).name);
  return out;
}

class ApkAlpmCase : public ::testing::TestWithParam<std::string> {};

TEST_P(ApkAlpmCase, MatchesSyft) {
  std::string ecosystem = GetParam().substr(0, GetParam().find('/'));
  fs::path dir = kCorpus / GetParam();
  json expected = load_json(dir / "expected.json");
  std::string fixture = expected.at("fixture");
  ASSERT_TRUE(fixture == "rootfs" || fixture.starts_with("rootfs/")) << fixture;
  std::string db_location = fixture == "rootfs" ? "" : fixture.substr(std::string("rootfs").size());

  Scan s = scan_case(ecosystem, dir / "rootfs");
  const CatalogResult& r = s.result;

  if (expected.value("expect_error", false)) {
    EXPECT_FALSE(r.errors.empty()) << "Syft reports an error here";
  } else {
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
  }
  for (const auto& error : r.errors) EXPECT_EQ(error.front(), '/') << "errors name the file: " << error;

  const json& packages = expected.at("packages");
  if (!packages.empty()) {
    // Syft compares the whole package list.
    EXPECT_EQ(r.packages.size(), packages.size());
    for (const auto& want : packages) {
      std::string name = want.at("name");
      auto it = std::find_if(r.packages.begin(), r.packages.end(), [&](const Package& p) {
        return p.name == name && (!want.contains("version") || p.version == want["version"].get<std::string>());
      });
      ASSERT_NE(it, r.packages.end()) << "missing package " << name;
      check_package(ecosystem, db_location, want, *it);
    }
  }
  if (expected.contains("expected_package_count")) {
    EXPECT_EQ(r.packages.size(), expected["expected_package_count"].get<std::size_t>());
  }

  if (expected.contains("expected_files")) {
    // Syft asserts the file records themselves; the parser keeps them whole.
    const std::string* db = s.image.read(db_location);
    ASSERT_NE(db, nullptr);
    auto parsed = parse_apk_db(*db);
    ASSERT_EQ(parsed.entries.size(), 1u);
    const auto& files = parsed.entries[0].files;
    const json& want = expected["expected_files"];
    ASSERT_EQ(files.size(), want.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      SCOPED_TRACE(files[i].path);
      EXPECT_EQ(files[i].path, want[i].at("path").get<std::string>());
      EXPECT_EQ(files[i].owner_uid, want[i].value("owner_uid", ""));
      EXPECT_EQ(files[i].owner_gid, want[i].value("owner_gid", ""));
      EXPECT_EQ(files[i].permissions, want[i].value("permissions", ""));
      json digest = want[i].value("digest", json::object());
      EXPECT_EQ(files[i].digest_algorithm, digest.value("algorithm", ""));
      EXPECT_EQ(files[i].digest, digest.value("value", ""));
    }
    ASSERT_EQ(r.packages.size(), 1u);
    EXPECT_EQ(r.packages[0].files.size(), want.size());
  }

  if (expected.contains("relationships")) {
    // "from is a dependency of to": cairn's edge is {to depends on from}.
    std::set<std::pair<std::string, std::string>> want, got;
    for (const auto& rel : expected["relationships"]) {
      EXPECT_EQ(rel.at("type"), "dependency-of");
      want.insert({rel.at("to").get<std::string>(), rel.at("from").get<std::string>()});
    }
    for (const auto& d : r.dependencies) got.insert({r.packages.at(d.from).name, r.packages.at(d.to).name});
    EXPECT_EQ(got, want);
    EXPECT_EQ(r.dependencies.size(), want.size());
  }

  if (expected.contains("dependency_map")) {
    std::map<std::string, std::vector<std::string>> want;
    for (const auto& [dependant, providers] : expected["dependency_map"].items()) want[dependant] = strings(providers);
    EXPECT_EQ(dependency_map(r), want);
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, ApkAlpmCase, ::testing::ValuesIn(available_cases()), test_name);

TEST(ApkAlpmCorpus, EveryCaseWithAFixtureRuns) {
  // apk: 8 cases, 7 with fixtures; alpm: 1 case with its fixture.
  EXPECT_EQ(available_cases().size(), 8u);
}

// The very-large-entries fixture (a Wolfi database with megabyte lines) is not in the
// corpus; its asserted names are. A database with those names and lines far longer than
// a default line buffer must give exactly those packages, in order.
TEST(ApkAlpmCorpus, VeryLargeEntriesNamesFromLongLines) {
  json expected = load_json(kCorpus / "apk" / "very-large-entries" / "expected.json");
  std::vector<std::string> names;
  for (const auto& p : expected.at("packages")) names.push_back(p.at("name"));
  ASSERT_EQ(names.size(), 39u);
  std::string db;
  std::string long_value(3 * 1024 * 1024 / 2, 'x');
  for (const auto& name : names) {
    db += "P:" + name + "\nV:1.0-r0\nA:x86_64\nT:" + long_value + "\nD:so:libc.so.6 " + long_value + "\n";
    db += "F:usr/share/" + name + "\nR:" + long_value.substr(0, 200) + "\nZ:Q1abc=\n\n";
  }
  auto parsed = parse_apk_db(db);
  EXPECT_TRUE(parsed.errors.empty());
  std::vector<std::string> got;
  for (const auto& e : parsed.entries) got.push_back(e.package);
  EXPECT_EQ(got, names);
}

Release release_from(const json& distro) {
  Release r;
  r.id = distro.value("ID", "");
  r.version_id = distro.value("VersionID", "");
  r.build_id = distro.value("BuildID", "");
  return r;
}

TEST(ApkAlpmCorpus, ApkPurlCases) {
  json cases = load_json(kCorpus / "apk" / "purl_cases.json");
  ASSERT_FALSE(cases.at("cases").empty());
  for (const auto& c : cases["cases"]) {
    const json& entry = c.at("entry");
    ApkDbEntry e;
    e.package = entry.value("Package", "");
    e.version = entry.value("Version", "");
    e.architecture = entry.value("Architecture", "");
    e.origin = entry.value("OriginPackage", "");
    EXPECT_EQ(apk_purl(e, release_from(c.at("distro"))), c.at("purl").get<std::string>()) << c.at("name");
  }
}

TEST(ApkAlpmCorpus, ApkRepositoriesDistroFallbackCases) {
  json cases = load_json(kCorpus / "apk" / "purl_cases.json").at("apk_repositories_distro_fallback").at("cases");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    auto got = releases_from_apk_repositories(c.at("etc_apk_repositories").get<std::string>());
    const json& want = c.at("releases");
    ASSERT_EQ(got.size(), want.is_null() ? 0u : want.size()) << c.at("etc_apk_repositories");
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].name, want[i].value("Name", ""));
      EXPECT_EQ(got[i].id, want[i].value("ID", ""));
      EXPECT_EQ(got[i].version_id, want[i].value("VersionID", ""));
    }
  }
}

TEST(ApkAlpmCorpus, AlpmPurlCases) {
  json cases = load_json(kCorpus / "alpm" / "purl_cases.json");
  ASSERT_FALSE(cases.at("cases").empty());
  for (const auto& c : cases["cases"]) {
    const json& entry = c.at("entry");
    AlpmDesc d;
    d.name = entry.value("Package", "");
    d.version = entry.value("Version", "");
    d.arch = entry.value("Architecture", "");
    d.base = entry.value("BasePackage", "");
    EXPECT_EQ(alpm_purl(d, release_from(c.at("distro"))), c.at("purl").get<std::string>()) << c.at("name");
  }
}

// Syft's *_Globs tests: with the listed paths present, the cataloger must read each of
// them; the capture rules must buffer them so that the read can succeed.
TEST(ApkAlpmCorpus, SearchPathsAreCapturedAndRead) {
  for (const char* ecosystem : {"apk", "alpm"}) {
    json search = load_json(kCorpus / ecosystem / "search_paths.json");
    Cataloger cataloger = cataloger_for(ecosystem);
    CapturePolicy policy(cataloger.captures);
    for (const auto& c : search.at("cases")) {
      LayerContents layer;
      std::vector<std::string> paths;
      for (const auto& p : c.at("expected_content_queries")) {
        std::string path = "/" + p.get<std::string>();
        EXPECT_TRUE(policy.cap_for(path)) << ecosystem << ": no capture rule for " << path;
        Entry e;
        e.path = path;
        e.content = std::make_shared<const std::string>();
        layer.entries.push_back(std::move(e));
        paths.push_back(path);
      }
      LayerFs image;
      image.apply(layer, 0);
      RecordingResolver recorder(image);
      cataloger.run(recorder, CatalogContext{});
      for (const auto& path : paths) EXPECT_TRUE(recorder.reads.count(path)) << ecosystem << ": did not read " << path;
    }
  }
}

}  // namespace
}  // namespace cairn::sbom
