// The dpkg cataloger against the acceptance corpus transcribed from Syft's tests
// (shared/acceptance/catalogers/dpkg, schema in ../README.md): every case whose fixture
// is available, plus every purl case of Syft's Test_packageURL.
#include <gtest/gtest.h>

#include "corpus.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/catalogers/dpkg.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/release.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using StringSet = std::multiset<std::string>;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "dpkg";

using corpus::load_json;

std::vector<std::string> available_cases() { return corpus::cases_with_fixture(kCorpus); }

std::vector<CaptureRule> capture_rules() {
  auto rules = dpkg_cataloger().captures;
  auto release_rules = release_capture_rules();
  rules.insert(rules.end(), release_rules.begin(), release_rules.end());
  return rules;
}

// The image filesystem of a case: its rootfs/ as is, or (for a fixture given as one
// file outside rootfs/) that file placed at the dpkg status path, as the corpus README
// says single-file fixtures are placed.
LayerFs load_fixture(const fs::path& case_dir, const json& expected) {
  std::string fixture = expected.at("fixture");
  LayerFs image;
  if (fixture == "rootfs" || fixture.starts_with("rootfs/")) {
    auto layer = read_directory(case_dir / "rootfs", CapturePolicy(capture_rules()));
    EXPECT_TRUE(layer.has_value()) << (layer ? "" : layer.error().message);
    if (layer) image.apply(*layer, 0);
    return image;
  }
  std::ifstream in(case_dir / fixture, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  LayerContents layer;
  Entry e;
  e.path = "/var/lib/dpkg/status";
  e.type = EntryType::File;
  e.size = text.str().size();
  e.content = std::make_shared<const std::string>(text.str());
  layer.entries.push_back(std::move(e));
  image.apply(layer, 0);
  return image;
}

// The release the test supplies (Syft's WithLinuxRelease), else the one the image names.
std::optional<Release> release_for(const json& expected, const FileResolver& image) {
  if (expected.contains("context") && expected["context"].contains("linux_release")) {
    const auto& r = expected["context"]["linux_release"];
    Release release;
    release.id = r.value("ID", "");
    release.version_id = r.value("VersionID", "");
    return release;
  }
  return identify_release(image);
}

StringSet strings(const json& array) {
  StringSet out;
  for (const auto& v : array) out.insert(v.get<std::string>());
  return out;
}

StringSet split_words(const std::string& text) {
  StringSet out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.insert(word);
  return out;
}

// "apt-transport-https (= 1.8.2)" -> "apt-transport-https"
std::string bare(const std::string& clause) {
  auto name = clause.substr(0, clause.find_first_of(" ([<>="));
  return name;
}

void check_package(const json& want, const Package& got) {
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
  if (want.contains("licenses")) {
    EXPECT_EQ(StringSet(got.licenses.begin(), got.licenses.end()), strings(want["licenses"]));
  }
  // opkg's inline License: these fixtures hold single ids or space-separated lists,
  // which Syft splits on whitespace.
  if (want.contains("raw_license_field")) {
    EXPECT_EQ(StringSet(got.licenses.begin(), got.licenses.end()), split_words(want["raw_license_field"]));
  }
  if (want.contains("locations")) {
    // Syft compares location sets; the database itself comes first in cairn.
    const auto& locations = want["locations"];
    ASSERT_FALSE(got.locations.empty());
    EXPECT_EQ(got.locations.front(), locations.front().get<std::string>());
    EXPECT_EQ(StringSet(got.locations.begin(), got.locations.end()), strings(locations));
  }
  if (!want.contains("metadata")) return;
  const auto& m = want["metadata"];
  EXPECT_EQ(got.name, m.value("Package", got.name));
  if (m.contains("Files_count")) {
    EXPECT_EQ(got.files.size(), m["Files_count"].get<std::size_t>());
  }
  EXPECT_EQ(got.source_name, m.value("Source", ""));
  EXPECT_EQ(got.source_version, m.value("SourceVersion", ""));
  EXPECT_EQ(got.arch, m.value("Architecture", ""));
  EXPECT_EQ(got.supplier, m.value("Maintainer", ""));
  if (m.contains("Description")) {
    EXPECT_EQ(got.description, m["Description"].get<std::string>());
  }
  if (m.contains("InstalledSize")) {
    EXPECT_EQ(got.metadata.count("installedSize") ? got.metadata.at("installedSize") : "",
              std::to_string(m["InstalledSize"].get<std::uint64_t>()));
  }
  std::vector<std::string> depends;
  for (const char* key : {"Depends", "PreDepends"})
    if (m.contains(key))
      for (const auto& d : m[key]) depends.push_back(d.get<std::string>());
  EXPECT_EQ(got.depends, depends);
  std::vector<std::string> provides;
  if (m.contains("Provides"))
    for (const auto& p : m["Provides"]) provides.push_back(bare(p.get<std::string>()));
  EXPECT_EQ(got.provides, provides);
}

class DpkgAcceptance : public ::testing::TestWithParam<std::string> {};

TEST_P(DpkgAcceptance, MatchesSyft) {
  const fs::path case_dir = kCorpus / GetParam();
  const json expected = load_json(case_dir / "expected.json");
  LayerFs image = load_fixture(case_dir, expected);
  CatalogContext ctx;
  ctx.release = release_for(expected, image);
  CatalogResult result = dpkg_cataloger().run(image, ctx);

  if (expected.value("expect_error", false)) {
    ASSERT_FALSE(result.errors.empty());
    // The error names the database file and the stanza.
    std::string fixture = expected.at("fixture");
    std::string db_path = fixture.substr(std::string("rootfs").size());
    for (const auto& e : result.errors) {
      EXPECT_EQ(e.rfind(db_path + ": stanza ", 0), 0u) << e;
    }
  } else {
    EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  }

  const auto& want_packages = expected.at("packages");
  if (expected.value("group", "") != "relationships") {
    EXPECT_EQ(result.packages.size(), want_packages.size());
  }
  for (const auto& want : want_packages) {
    std::string name = want.at("name");
    auto it = std::find_if(result.packages.begin(), result.packages.end(),
                           [&](const Package& p) { return p.name == name; });
    ASSERT_NE(it, result.packages.end()) << "missing package " << name;
    check_package(want, *it);
  }

  if (expected.contains("dependency_map")) {
    std::map<std::string, std::set<std::string>> got;
    for (const auto& d : result.dependencies)
      got[result.packages.at(d.from).name].insert(result.packages.at(d.to).name);
    std::map<std::string, std::set<std::string>> want;
    for (const auto& [from, tos] : expected["dependency_map"].items())
      for (const auto& to : tos) want[from].insert(to.get<std::string>());
    EXPECT_EQ(got, want);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, DpkgAcceptance, ::testing::ValuesIn(available_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           auto not_alnum = [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); };
                           std::replace_if(name.begin(), name.end(), not_alnum, '_');
                           return name;
                         });

// Guards against a corpus that silently went missing: the README counts 12 dpkg cases
// with fixtures.
TEST(DpkgAcceptanceCorpus, HasEveryCaseWithAFixture) { EXPECT_EQ(available_cases().size(), 12u); }

// Syft's Test_packageURL, through the cataloger.
TEST(DpkgAcceptanceCorpus, PurlCases) {
  const json cases = load_json(kCorpus / "purl_cases.json").at("cases");
  ASSERT_EQ(cases.size(), 5u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.at("name").get<std::string>());
    std::optional<Release> release;
    if (!c.at("distro").is_null()) {
      Release r;
      r.id = c["distro"].value("ID", "");
      r.version_id = c["distro"].value("VersionID", "");
      if (c["distro"].contains("IDLike"))
        for (const auto& like : c["distro"]["IDLike"]) r.id_like.push_back(like.get<std::string>());
      release = r;
    }
    const auto& entry = c.at("entry");
    std::string stanza = "Package: " + entry.value("Package", "") + "\n";
    if (entry.contains("Version")) stanza += "Version: " + entry["Version"].get<std::string>() + "\n";
    if (entry.contains("Architecture")) stanza += "Architecture: " + entry["Architecture"].get<std::string>() + "\n";
    if (entry.contains("Source")) {
      stanza += "Source: " + entry["Source"].get<std::string>();
      if (entry.contains("SourceVersion")) stanza += " (" + entry["SourceVersion"].get<std::string>() + ")";
      stanza += "\n";
    }
    LayerContents layer;
    Entry e;
    e.path = "/var/lib/dpkg/status";
    e.content = std::make_shared<const std::string>(stanza);
    e.size = stanza.size();
    layer.entries.push_back(std::move(e));
    LayerFs image;
    image.apply(layer, 0);
    CatalogContext ctx;
    ctx.release = release;
    auto result = dpkg_cataloger().run(image, ctx);
    ASSERT_EQ(result.packages.size(), 1u);
    EXPECT_EQ(result.packages[0].purl, c.at("purl").get<std::string>());
  }
}

}  // namespace
}  // namespace cairn::sbom
