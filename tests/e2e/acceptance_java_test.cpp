// The Java catalogers against the acceptance corpus transcribed from Syft's tests
// (shared/acceptance/catalogers/java, schema in ../README.md), the image- and
// directory-scan rows of INTEGRATION.md for Java, and the Debian commons-lang3 jar of
// this machine. Archives go through the real capture path (CapturePolicy and its
// extractor), so what is kept of them is what a scan keeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus.h"
#include "sbom/capture.h"
#include "sbom/catalogers/java.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpusRoot = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "java";
const fs::path kInstalled = kCorpusRoot / "installed";
const fs::path kLockfiles = kCorpusRoot / "lockfiles";
const fs::path kIntegration = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "integration";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Cataloger> java_catalogers() {
  return {java_archive_cataloger(), java_jvm_cataloger(), java_pom_cataloger(), java_gradle_lockfile_cataloger()};
}

std::vector<CaptureRule> all_rules() {
  std::vector<CaptureRule> rules;
  for (const auto& c : java_catalogers()) rules.insert(rules.end(), c.captures.begin(), c.captures.end());
  return rules;
}

// An image holding one file at /<name>, captured as a scan captures it.
LayerFs image_with_file(const std::string& name, const std::string& bytes) {
  CapturePolicy policy(all_rules());
  LayerContents layer;
  Entry e;
  e.path = "/" + name;
  e.type = EntryType::File;
  e.size = bytes.size();
  policy.keep(e.path, bytes, e);
  layer.entries.push_back(std::move(e));
  LayerFs image;
  image.apply(layer, 0);
  return image;
}

LayerFs image_for_fixture(const fs::path& case_dir, const std::string& fixture) {
  if (fs::is_directory(case_dir / fixture)) return corpus::load_tree(case_dir / fixture, "/", all_rules());
  return image_with_file(fixture, read_file(case_dir / fixture));
}

CatalogResult run_all(const FileResolver& image, bool directory_source) {
  CatalogContext context;
  context.directory_source = directory_source;
  CatalogResult all;
  for (const auto& c : java_catalogers()) {
    auto r = c.run(image, context);
    const std::size_t base = all.packages.size();
    for (auto& p : r.packages) all.packages.push_back(std::move(p));
    for (const auto& d : r.dependencies) all.dependencies.push_back({base + d.from, base + d.to});
    for (auto& e : r.errors) all.errors.push_back(std::move(e));
  }
  return all;
}

// Percent-decoding: make_purl leaves '/' unencoded in qualifier values, where
// packageurl-go writes %2F; both are valid purls for the same package.
std::string decoded(const std::string& s) {
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

const Package* find_package(const CatalogResult& r, const std::string& name, const std::string& version) {
  for (const auto& p : r.packages)
    if (p.name == name && p.version == version) return &p;
  return nullptr;
}

std::string meta(const Package& p, const char* key) {
  auto it = p.metadata.find(key);
  return it == p.metadata.end() ? "" : it->second;
}

// The group in pkg:maven/<group>/<name>@<version>.
std::string purl_group(const std::string& purl) {
  auto start = purl.find('/') + 1;
  return purl.substr(start, purl.find('/', start) - start);
}

void check_package(const json& want, const Package& got) {
  SCOPED_TRACE(got.name + "@" + got.version);
  if (want.contains("purl")) { EXPECT_EQ(decoded(got.purl), decoded(want.at("purl").get<std::string>())); }
  if (want.contains("purl_reference")) { EXPECT_EQ(got.purl, want.at("purl_reference").get<std::string>()); }
  if (want.contains("type")) { EXPECT_EQ(got.type, want.at("type").get<std::string>()); }
  if (want.contains("found_by") && want.at("found_by").get<std::string>().find("<expr") == std::string::npos) {
    EXPECT_EQ(got.found_by, want.at("found_by").get<std::string>());
  }
  if (want.contains("licenses")) {
    std::vector<std::string> licenses;
    for (const auto& l : want.at("licenses")) licenses.push_back(l.is_string() ? l.get<std::string>() : l.value("value", ""));
    EXPECT_EQ(got.licenses, licenses);
  }
  if (want.contains("locations")) {
    std::vector<std::string> locations;
    for (const auto& l : want.at("locations")) locations.push_back("/" + l.get<std::string>());
    EXPECT_EQ(got.locations, locations);
  }
  if (want.contains("cpes")) { EXPECT_EQ(got.cpes, want.at("cpes").get<std::vector<std::string>>()); }
  if (want.contains("metadata")) {
    const auto& m = want.at("metadata");
    if (m.contains("groupId")) { EXPECT_EQ(purl_group(got.purl), m.at("groupId").get<std::string>()); }
    if (m.contains("Files")) {
      std::vector<std::string> files;
      for (const auto& f : m.at("Files")) files.push_back("/" + f.get<std::string>());
      EXPECT_EQ(got.files, files);
    }
    if (m.contains("Parent")) {
      // "api-all@2.0.0 (assignParent)": the parent's name@version.
      std::string parent = m.at("Parent").get<std::string>();
      EXPECT_EQ(meta(got, "parent"), parent.substr(0, parent.find(' ')));
    }
    if (m.contains("PomProperties")) {
      EXPECT_EQ(meta(got, "pom_properties_path"), m.at("PomProperties").value("Path", ""));
    }
    if (m.contains("PomProject") && m.at("PomProject").contains("Name")) {
      EXPECT_EQ(meta(got, "pom_name"), m.at("PomProject").value("Name", ""));
    }
  }
}

std::vector<std::string> installed_cases() { return corpus::cases_with_fixture(kInstalled); }
std::vector<std::string> lockfile_cases() { return corpus::cases_with_fixture(kLockfiles); }

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

TEST(AcceptanceJava, CorpusIsPresent) {
  ASSERT_TRUE(fs::is_directory(kInstalled)) << kInstalled;
  EXPECT_EQ(installed_cases().size(), 13u);
  EXPECT_EQ(lockfile_cases().size(), 2u);
}

class JavaInstalledCase : public ::testing::TestWithParam<std::string> {};

TEST_P(JavaInstalledCase, MatchesSyft) {
  const fs::path case_dir = kInstalled / GetParam();
  const json expected = corpus::load_json(case_dir / "expected.json");
  const std::string fixture = expected.at("fixture");
  const LayerFs image = image_for_fixture(case_dir, fixture);
  // Installed packages are reported from images and directories alike.
  const CatalogResult result = run_all(image, false);
  const auto& want = expected.at("packages");

  if (expected.value("expect_error", false)) {
    EXPECT_TRUE(result.packages.empty());
    ASSERT_FALSE(result.errors.empty());
    EXPECT_NE(result.errors[0].find("/" + fixture), std::string::npos) << result.errors[0];
    return;
  }
  for (const auto& e : result.errors) ADD_FAILURE() << e;
  if (GetParam() == "jar-commons-lang3-no-panic") return;  // Syft asserts only that parsing succeeds
  if (expected.value("cataloger", "").find("discoverMainPackageFromPomInfo") != std::string::npos) {
    // Syft asserts only the archive's own package here; the other pom.properties of the
    // jar are packages inside it, which come after it.
    ASSERT_FALSE(result.packages.empty());
    ASSERT_EQ(want.size(), 1u);
    EXPECT_EQ(result.packages[0].name, want[0].value("name", ""));
    EXPECT_EQ(result.packages[0].version, want[0].value("version", ""));
    check_package(want[0], result.packages[0]);
    return;
  }

  // Syft's integration case counts packages by type (duplicates included).
  std::map<std::string, int> want_by_type, got_by_type;
  for (const auto& w : want) ++want_by_type[w.value("type", "")];
  for (const auto& p : result.packages) ++got_by_type[p.type];
  if (!want.empty() && want[0].contains("type")) { EXPECT_EQ(got_by_type, want_by_type); }
  ASSERT_EQ(result.packages.size(), want.size());
  for (const auto& w : want) {
    const Package* got = find_package(result, w.value("name", ""), w.value("version", ""));
    ASSERT_NE(got, nullptr) << w.dump();
    check_package(w, *got);
  }
  if (GetParam() == "jar-api-all-multiple-poms") {
    // api-asn1-api was found inside api-all: api-all depends on it.
    const Package* main = find_package(result, "api-all", "2.0.0");
    const Package* inner = find_package(result, "api-asn1-api", "2.0.0");
    const Dependency edge{static_cast<std::size_t>(main - result.packages.data()),
                          static_cast<std::size_t>(inner - result.packages.data())};
    EXPECT_EQ(result.dependencies, std::vector<Dependency>{edge});
    EXPECT_FALSE(meta(*main, "sha1").empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, JavaInstalledCase, ::testing::ValuesIn(installed_cases()), test_name);

class JavaLockfileCase : public ::testing::TestWithParam<std::string> {};

TEST_P(JavaLockfileCase, MatchesSyft) {
  const fs::path case_dir = kLockfiles / GetParam();
  const json expected = corpus::load_json(case_dir / "expected.json");
  const LayerFs image = image_for_fixture(case_dir, expected.at("fixture"));
  // Build files are read for dir: sources only.
  EXPECT_TRUE(run_all(image, false).packages.empty());
  const CatalogResult result = run_all(image, true);
  for (const auto& e : result.errors) ADD_FAILURE() << e;
  const auto& want = expected.at("packages");
  ASSERT_EQ(result.packages.size(), want.size());
  for (const auto& w : want) {
    const Package* got = find_package(result, w.value("name", ""), w.value("version", ""));
    ASSERT_NE(got, nullptr) << w.dump();
    check_package(w, *got);
  }
  std::set<Dependency> want_edges, got_edges(result.dependencies.begin(), result.dependencies.end());
  for (const auto& r : expected.value("relationships", json::array())) {
    ASSERT_EQ(r.value("type", ""), "dependency-of");
    // "from dependency-of to": to depends on from.
    auto index = [&](const std::string& name) {
      auto it = std::find_if(result.packages.begin(), result.packages.end(), [&](const Package& p) { return p.name == name; });
      return static_cast<std::size_t>(it - result.packages.begin());
    };
    want_edges.insert({index(r.value("to", "")), index(r.value("from", ""))});
  }
  EXPECT_EQ(got_edges, want_edges);
}

INSTANTIATE_TEST_SUITE_P(Corpus, JavaLockfileCase, ::testing::ValuesIn(lockfile_cases()), test_name);

// INTEGRATION.md: "find java packages" and "find jenkins plugins" rows. Every package of
// the type must have an expected name with exactly that version; counts include the
// duplicates Syft counts.
void check_integration_rows(const CatalogResult& result, const std::multiset<std::string>& java_archive,
                            const std::multiset<std::string>& jenkins) {
  std::multiset<std::string> got_java, got_jenkins;
  for (const auto& p : result.packages) {
    EXPECT_FALSE(p.locations.empty());
    if (p.type == "java-archive") got_java.insert(p.name + "@" + p.version);
    if (p.type == "jenkins-plugin") got_jenkins.insert(p.name + "@" + p.version);
  }
  EXPECT_EQ(got_java, java_archive);
  EXPECT_EQ(got_jenkins, jenkins);
}

TEST(AcceptanceJava, IntegrationImageScan) {
  const LayerFs image = corpus::load_tree(kIntegration / "pkg-coverage-image" / "rootfs", "/", all_rules());
  const CatalogResult result = run_all(image, false);
  for (const auto& e : result.errors) ADD_FAILURE() << e;
  check_integration_rows(result, {"example-java-app-maven@0.1.0", "joda-time@2.9.2"},
                         {"example-jenkins-plugin@1.0-SNAPSHOT", "example-jenkins-plugin@1.0-SNAPSHOT"});
}

TEST(AcceptanceJava, IntegrationDirectoryScan) {
  const LayerFs image = corpus::load_tree(kIntegration / "pkg-coverage-directory" / "dir", "/", all_rules());
  const CatalogResult result = run_all(image, true);
  for (const auto& e : result.errors) ADD_FAILURE() << e;
  // The jar's two packages, and pom.xml's project and two dependencies: 5, 2 duplicates.
  check_integration_rows(result,
                         {"example-java-app-maven@0.1.0", "example-java-app-maven@0.1.0", "joda-time@2.9.2",
                          "joda-time@2.9.2", "junit@4.12"},
                         {"example-jenkins-plugin@1.0-SNAPSHOT", "example-jenkins-plugin@1.0-SNAPSHOT"});
}

// The jar inside the .hpi belongs to the plugin: it depends on it, and says so.
TEST(AcceptanceJava, NestedJarInPluginIsRelated) {
  const LayerFs image = corpus::load_tree(kIntegration / "pkg-coverage-image" / "rootfs", "/", all_rules());
  const CatalogResult result = run_all(image, false);
  const Package* outer = nullptr;
  const Package* inner = nullptr;
  for (const auto& p : result.packages) {
    if (p.name != "example-jenkins-plugin") continue;
    (meta(p, "virtual_path").find(":WEB-INF/lib/") == std::string::npos ? outer : inner) = &p;
  }
  ASSERT_NE(outer, nullptr);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->locations, std::vector<std::string>{"/java/example-jenkins-plugin.hpi"});
  EXPECT_EQ(meta(*inner, "parent"), "example-jenkins-plugin@1.0-SNAPSHOT");
  EXPECT_EQ(meta(*inner, "sha1").size(), 40u);
  const Dependency edge{static_cast<std::size_t>(outer - result.packages.data()),
                        static_cast<std::size_t>(inner - result.packages.data())};
  EXPECT_NE(std::find(result.dependencies.begin(), result.dependencies.end(), edge), result.dependencies.end());
}

// Debian's libcommons-lang3-java installs one jar and three symlinks to it (two in the
// Maven repository layout); an image holding them has one commons-lang3 package.
TEST(AcceptanceJava, DebianCommonsLang3ThroughSymlinksIsOnePackage) {
  const fs::path jar = "/usr/share/java/commons-lang3.jar";
  if (!fs::exists(jar)) GTEST_SKIP() << "libcommons-lang3-java is not installed";
  const fs::path root = fs::temp_directory_path() / ("cairn-java-lang3-" + std::to_string(::getpid()));
  fs::create_directories(root / "usr/share/java");
  fs::copy_file(jar, root / "usr/share/java/commons-lang3.jar");
  fs::create_symlink("commons-lang3.jar", root / "usr/share/java/commons-lang3-3.12.0.jar");
  const fs::path repo = root / "usr/share/maven-repo/org/apache/commons/commons-lang3";
  fs::create_directories(repo / "3.12.0");
  fs::create_directories(repo / "debian");
  fs::create_symlink("../../../../../../java/commons-lang3.jar", repo / "3.12.0/commons-lang3-3.12.0.jar");
  fs::create_symlink("../../../../../../java/commons-lang3.jar", repo / "debian/commons-lang3-debian.jar");
  const LayerFs image = corpus::load_tree(root, "/", all_rules());
  fs::remove_all(root);
  const CatalogResult result = run_all(image, false);
  for (const auto& e : result.errors) ADD_FAILURE() << e;
  ASSERT_EQ(result.packages.size(), 1u);
  const Package& p = result.packages[0];
  EXPECT_EQ(p.name, "commons-lang3");
  EXPECT_EQ(p.version, "3.12.0");
  EXPECT_EQ(p.purl, "pkg:maven/org.apache.commons/commons-lang3@3.12.0");
  EXPECT_EQ(p.type, "java-archive");
  EXPECT_EQ(p.locations, std::vector<std::string>{"/usr/share/java/commons-lang3.jar"});
}

}  // namespace
}  // namespace cairn::sbom
