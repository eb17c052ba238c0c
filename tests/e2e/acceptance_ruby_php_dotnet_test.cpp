// The Ruby, PHP and .NET catalogers against the acceptance corpus transcribed from
// Syft's tests (shared/acceptance/catalogers/{ruby,php,dotnet}, schema in ../README.md),
// and against the ruby / php / dotnet rows of INTEGRATION.md (Syft's package coverage
// test over a whole image and a whole directory).
//
// Every case with a fixture runs its cataloger over the fixture as a scan would read it
// (rootfs/ through the directory reader under the cataloger's capture rules; a single
// lock file placed at the root). Locations in expected.json are relative to the fixture;
// cairn's are absolute in the scanned tree, so "/" is prefixed before comparing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "corpus.h"
#include "sbom/capture.h"
#include "sbom/catalogers/dotnet.h"
#include "sbom/catalogers/gemspec.h"
#include "sbom/catalogers/php.h"
#include "sbom/catalogers/ruby.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "ruby/installed/gemspec-bundler", … for every case with a fixture.
std::vector<std::string> available_cases() {
  std::vector<std::string> out;
  for (const char* eco : {"ruby", "php", "dotnet"}) {
    for (const char* group : {"installed", "lockfiles"}) {
      for (const auto& name : corpus::cases_with_fixture(kCorpus / eco / group))
        out.push_back(std::string(eco) + "/" + group + "/" + name);
    }
  }
  return out;
}

struct Selected {
  Cataloger cataloger;
  bool directory_source = false;  // lock-file catalogers report nothing for images
};

// The cataloger a case names ("php-pecl-serialized-cataloger (deprecated)", …).
Selected cataloger_for(const std::string& name) {
  if (name == "ruby-installed-gemspec-cataloger") return {ruby_installed_gemspec_cataloger(), false};
  if (name == "ruby-gemfile-cataloger") return {ruby_gemfile_cataloger(), true};
  if (name == "php-composer-installed-cataloger") return {php_composer_installed_cataloger(), false};
  if (name == "php-composer-lock-cataloger") return {php_composer_lock_cataloger(), true};
  if (name == "php-pear-serialized-cataloger") return {php_pear_serialized_cataloger(), false};
  if (name.starts_with("php-pecl-serialized-cataloger")) return {php_pecl_serialized_cataloger(), false};
  if (name == "dotnet-deps-cataloger") return {dotnet_deps_cataloger(), false};
  if (name.starts_with("dotnet-deps-binary-cataloger")) return {dotnet_deps_binary_cataloger(), false};
  if (name == "dotnet-packages-lock-cataloger") return {dotnet_packages_lock_cataloger(), true};
  throw std::runtime_error("no cairn cataloger for " + name);
}

LayerFs read_tree(const fs::path& dir, const std::vector<CaptureRule>& rules) {
  auto layer = read_directory(dir, CapturePolicy(rules));
  if (!layer) throw std::runtime_error(layer.error().message);
  LayerFs image;
  image.apply(*layer, 0);
  return image;
}

// The fixture as the cataloger sees it in a scan: a rootfs/ tree, or one file at the root.
LayerFs scanned_fixture(const fs::path& case_dir, const std::string& fixture, const Cataloger& cataloger) {
  if (fs::is_directory(case_dir / fixture)) return read_tree(case_dir / fixture, cataloger.captures);
  const fs::path staging = fs::temp_directory_path() / ("cairn-rpd-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  fs::create_directories(staging);
  fs::copy_file(case_dir / fixture, staging / fs::path(fixture).filename());
  LayerFs image = read_tree(staging, cataloger.captures);
  fs::remove_all(staging);
  return image;
}

std::string meta(const Package& p, const char* key) {
  auto it = p.metadata.find(key);
  return it == p.metadata.end() ? std::string() : it->second;
}

std::string joined(const json& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item.get<std::string>();
  return out;
}

// The metadata fields the corpus records, as cairn keeps them.
void check_metadata(const json& m, const Package& got) {
  const std::string type = m.value("_type", "");
  if (type == "RubyGemspec") {
    EXPECT_EQ(meta(got, "homepage"), m.value("Homepage", ""));
    EXPECT_EQ(meta(got, "authors"), joined(m.value("Authors", json::array())));
  } else if (type == "PhpComposerInstalledEntry" || type == "PhpComposerLockEntry") {
    for (const char* ref : {"Source", "Dist"}) {
      const json r = m.value(ref, json::object());
      std::string prefix = ref == std::string("Source") ? "source" : "dist";
      EXPECT_EQ(meta(got, (prefix + "_type").c_str()), r.value("Type", ""));
      EXPECT_EQ(meta(got, (prefix + "_url").c_str()), r.value("URL", ""));
      EXPECT_EQ(meta(got, (prefix + "_reference").c_str()), r.value("Reference", ""));
    }
    EXPECT_EQ(got.description, m.value("Description", ""));
    EXPECT_EQ(meta(got, "homepage"), m.value("Homepage", ""));
    EXPECT_EQ(meta(got, "time"), m.value("Time", ""));
    EXPECT_EQ(meta(got, "type"), m.value("Type", ""));
    const std::string authors = meta(got, "authors");
    const auto count = authors.empty() ? 0 : std::count(authors.begin(), authors.end(), '>');
    EXPECT_EQ(static_cast<std::size_t>(count), m.value("Authors_count", 0u)) << authors;
  } else if (type == "PhpPearEntry" || type == "PhpPeclEntry") {
    EXPECT_EQ(meta(got, "channel"), m.value("Channel", ""));
  } else if (type == "DotnetDepsEntry") {
    EXPECT_EQ(meta(got, "sha512"), m.value("Sha512", ""));
    EXPECT_EQ(meta(got, "path"), m.value("Path", ""));
    EXPECT_EQ(meta(got, "hash_path"), m.value("HashPath", ""));
    EXPECT_EQ(meta(got, "type"), m.value("Type", ""));
  } else if (type == "DotnetPackagesLockEntry") {
    EXPECT_EQ(meta(got, "content_hash"), m.value("ContentHash", ""));
    EXPECT_EQ(meta(got, "type"), m.value("Type", ""));
  } else {
    ADD_FAILURE() << "metadata type " << type << " not checked";
  }
}

void check_package(const json& want, const Package& got) {
  SCOPED_TRACE(got.name + "@" + got.version);
  if (want.contains("purl")) {
    EXPECT_EQ(got.purl, want.value("purl", ""));
  }
  EXPECT_EQ(got.type, want.value("type", ""));
  if (want.contains("licenses")) {
    std::vector<std::string> licenses;
    for (const auto& l : want.at("licenses")) licenses.push_back(l.get<std::string>());
    EXPECT_EQ(got.licenses, licenses);
  }
  if (want.contains("locations")) {
    std::vector<std::string> locations;
    for (const auto& l : want.at("locations")) locations.push_back("/" + l.get<std::string>());
    EXPECT_EQ(got.locations, locations);
  }
  if (want.contains("metadata")) check_metadata(want.at("metadata"), got);
}

class CatalogerCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CatalogerCase, MatchesSyft) {
  const fs::path case_dir = kCorpus / GetParam();
  const json expected = corpus::load_json(case_dir / "expected.json");
  const std::string cataloger_name = expected.at("cataloger");
  const Selected selected = cataloger_for(cataloger_name);
  const LayerFs image = scanned_fixture(case_dir, expected.at("fixture"), selected.cataloger);

  CatalogContext context;
  context.directory_source = selected.directory_source;
  if (selected.directory_source) {
    EXPECT_TRUE(selected.cataloger.run(image, {}).packages.empty()) << "images report no lock files";
  }
  const CatalogResult result = selected.cataloger.run(image, context);
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();

  std::map<std::string, std::size_t> by_id;  // name@version -> index
  for (std::size_t i = 0; i < result.packages.size(); ++i) {
    const Package& p = result.packages[i];
    EXPECT_TRUE(by_id.emplace(p.name + "@" + p.version, i).second) << "duplicate " << p.name << "@" << p.version;
    EXPECT_EQ(p.found_by, selected.cataloger.name);
  }

  std::set<std::string> want_ids;
  for (const auto& w : expected.at("packages")) want_ids.insert(w.value("name", "") + "@" + w.value("version", ""));
  if (expected.contains("must_not_contain")) {
    // Syft asserts this case partially (the referenceassembly fixture): the named
    // packages present, others absent, no phantom version. cairn also reports the root
    // project MyApp, as Syft's cataloger does.
    for (const auto& id : want_ids) EXPECT_TRUE(by_id.count(id)) << id;
    for (const auto& p : result.packages) {
      for (const auto& absent : expected.at("must_not_contain")) EXPECT_NE(p.name, absent.get<std::string>());
      EXPECT_NE(p.version, expected.value("no_package_with_version", ""));
    }
  } else {
    std::set<std::string> got_ids;
    for (const auto& [id, index] : by_id) got_ids.insert(id);
    EXPECT_EQ(got_ids, want_ids);
  }
  for (const auto& w : expected.at("packages")) {
    auto it = by_id.find(w.value("name", "") + "@" + w.value("version", ""));
    if (it != by_id.end()) check_package(w, result.packages[it->second]);
  }

  // Syft's parser test of gemspecs compares the file list; cairn keeps it as owned files
  // under <gem home>/gems/<name>/, so the parser's own list is compared here.
  if (cataloger_name == "ruby-installed-gemspec-cataloger") {
    const auto& path = result.packages.at(0).locations.at(0);
    auto spec = parse_gemspec(*image.read(path));
    ASSERT_TRUE(spec.has_value()) << spec.error().message;
    std::vector<std::string> files;
    for (const auto& f : expected.at("packages")[0].at("metadata").at("Files")) files.push_back(f.get<std::string>());
    EXPECT_EQ(spec->files, files);
    EXPECT_EQ(result.packages[0].files.size(), files.size());
  }

  if (expected.contains("relationships")) {
    // "from dependency-of to": cairn records it as an edge from `to` to `from`.
    std::set<std::pair<std::string, std::string>> want, got;
    for (const auto& r : expected.at("relationships")) {
      ASSERT_EQ(r.value("type", ""), "dependency-of");
      want.insert({r.value("to", ""), r.value("from", "")});
    }
    for (const auto& d : result.dependencies) got.insert({result.packages[d.from].name, result.packages[d.to].name});
    EXPECT_EQ(got, want);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CatalogerCase, ::testing::ValuesIn(available_cases()), [](const auto& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
});

TEST(AcceptanceRubyPhpDotnet, EveryCaseWithAFixtureIsRun) {
  // 3 ruby, 7 php and 3 dotnet cases have their fixture in the corpus (README.md).
  EXPECT_EQ(available_cases().size(), 13u);
}

// The referenceassembly fixture under Syft's older deps.json-only selection: the same
// reference assemblies are left out.
TEST(AcceptanceRubyPhpDotnet, ReferenceAssembliesAreNotPackagesInEitherSelection) {
  const fs::path deps = kCorpus / "dotnet/installed/deps-json-referenceassembly/rootfs/app/MyApp.deps.json";
  auto result = catalog_dotnet_deps_file(read_file(deps), "/app/MyApp.deps.json", DotnetDepsSelection::AllLibraries,
                                         "dotnet-deps-cataloger");
  std::set<std::string> ids;
  for (const auto& p : result.packages) ids.insert(p.name + "@" + p.version);
  EXPECT_EQ(ids, (std::set<std::string>{"MyApp@1.0.0", "Newtonsoft.Json@13.0.3"}));
}

// INTEGRATION.md: the ruby / php / dotnet rows of Syft's TestPkgCoverageImage and
// TestPkgCoverageDirectory. assertPackages: every package of the type has a name of the
// table with exactly that version, and the count is the table's.
void check_integration(const std::string& mode, bool directory_source) {
  const fs::path case_dir = kCorpus / "integration" / mode;
  const json expected = corpus::load_json(case_dir / "expected.json");
  // The catalogers Syft runs by default (the deprecated PECL-only and deps.json-only
  // forms are not among them).
  const std::vector<Cataloger> catalogers = {
      ruby_installed_gemspec_cataloger(), ruby_gemfile_cataloger(),        php_composer_installed_cataloger(),
      php_composer_lock_cataloger(),      php_pear_serialized_cataloger(), dotnet_deps_binary_cataloger(),
      dotnet_packages_lock_cataloger()};
  std::vector<CaptureRule> rules;
  for (const auto& c : catalogers) rules.insert(rules.end(), c.captures.begin(), c.captures.end());
  const LayerFs image = read_tree(case_dir / expected.value("fixture", ""), rules);
  CatalogContext context;
  context.directory_source = directory_source;
  std::map<std::string, std::vector<Package>> by_type;
  for (const auto& c : catalogers) {
    auto result = c.run(image, context);
    EXPECT_TRUE(result.errors.empty()) << c.name << ": " << result.errors.front();
    for (auto& p : result.packages) by_type[p.type].push_back(std::move(p));
  }
  for (const auto& row : expected.at("expected_by_type")) {
    const std::string type = row.at("type");
    if (type != "gem" && type != "php-composer" && type != "php-pear" && type != "dotnet") continue;
    SCOPED_TRACE(mode + ": " + row.value("test_case", ""));
    std::map<std::string, std::string> want = row.at("packages").get<std::map<std::string, std::string>>();
    std::size_t count = row.at("expected_count");
    if (type == "dotnet" && !directory_source) {
      // Syft's image downloads DocuSign.eSign.dll from nuget.org at build time; the
      // corpus rootfs lacks it (rootfs_deviation), so 11 of the 12 dotnet packages, all
      // from TestLibrary.deps.json, are what this fixture can show.
      ASSERT_EQ(want.erase("DocuSign.eSign"), 1u);
      --count;
    }
    const auto& got = by_type[type];
    EXPECT_EQ(got.size(), count);
    for (const auto& p : got) {
      auto it = want.find(p.name);
      ASSERT_NE(it, want.end()) << "unexpected " << type << " package " << p.name << "@" << p.version;
      EXPECT_EQ(p.version, it->second) << p.name;
      EXPECT_FALSE(p.locations.empty()) << p.name;
    }
  }
}

TEST(AcceptanceRubyPhpDotnet, PkgCoverageImage) { check_integration("pkg-coverage-image", false); }
TEST(AcceptanceRubyPhpDotnet, PkgCoverageDirectory) { check_integration("pkg-coverage-directory", true); }

}  // namespace
}  // namespace cairn::sbom
