// Acceptance: every rpm case of the Syft-derived corpus that ships a fixture
// (../shared/acceptance/catalogers/rpm/*/expected.json with fixture_available), read
// through the same directory reader and layer filesystem a real scan uses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "sbom/capture.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/catalogers/rpm.h"
#include "sbom/catalogers/rpm_archive.h"
#include "sbom/catalogers/rpm_bdb.h"
#include "sbom/catalogers/rpm_header.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/release.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kCases = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "rpm";

json load(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Scan {
  LayerFs files;
  CatalogResult result;
};

// Reads `root` as a directory source with the cataloger's capture rules, optionally
// adding extra (empty) files, and runs the cataloger on it.
Scan scan(const fs::path& root, const std::vector<std::string>& extra_files = {}) {
  Scan s;
  auto cataloger = rpm_cataloger();
  auto rules = cataloger.captures;
  auto release_rules = release_capture_rules();
  rules.insert(rules.end(), release_rules.begin(), release_rules.end());
  auto layer = read_directory(root, CapturePolicy(rules));
  EXPECT_TRUE(layer) << layer.error().message;
  if (!layer) return s;
  for (const auto& path : extra_files) {
    Entry e;
    e.path = path;
    layer->entries.push_back(e);
  }
  s.files.apply(*layer, 0);
  CatalogContext ctx;
  ctx.release = identify_release(s.files);
  s.result = cataloger.run(s.files, ctx);
  return s;
}

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  for (const auto& v : j) out.push_back(v.get<std::string>());
  return out;
}

// Compares one package with its expected.json entry, metadata hints included.
void expect_package(const Package& got, const json& want) {
  SCOPED_TRACE(want.at("name").get<std::string>());
  EXPECT_EQ(got.version, want.at("version").get<std::string>());
  EXPECT_EQ(got.purl, want.at("purl").get<std::string>());
  EXPECT_EQ(got.type, want.at("type").get<std::string>());
  if (want.contains("licenses")) { EXPECT_EQ(got.licenses, strings(want["licenses"])); }
  if (want.contains("locations")) { EXPECT_EQ(got.locations, strings(want["locations"])); }
  if (want.contains("found_by")) { EXPECT_EQ(got.found_by, want["found_by"].get<std::string>()); }
  const json& m = want.at("metadata");
  EXPECT_EQ(got.name, m.at("Name").get<std::string>());
  EXPECT_EQ(got.arch, m.at("Arch").get<std::string>());
  EXPECT_EQ(got.metadata.at("release"), m.at("Release").get<std::string>());
  EXPECT_EQ(got.version.substr(got.version.find(':') + 1).rfind(m.at("Version").get<std::string>() + "-", 0), 0u);
  EXPECT_EQ(got.source_name, m.at("SourceRpm").get<std::string>());
  EXPECT_EQ(got.metadata.at("size"), std::to_string(m.at("Size").get<std::int64_t>()));
  if (m.contains("Epoch")) { EXPECT_EQ(got.metadata.at("epoch"), std::to_string(m["Epoch"].get<int>())); } else { EXPECT_FALSE(got.metadata.contains("epoch")); }
  EXPECT_EQ(got.supplier, m.value("Vendor", ""));
  if (m.contains("Provides")) { EXPECT_EQ(got.provides, strings(m["Provides"])); }
  if (m.contains("Requires")) { EXPECT_EQ(got.depends, strings(m["Requires"])); }
  if (m.contains("Files_count")) { EXPECT_EQ(got.files.size(), m["Files_count"].get<std::size_t>()); }
}

void expect_packages(const CatalogResult& r, const json& expected) {
  ASSERT_EQ(r.packages.size(), expected.at("packages").size());
  for (const auto& want : expected["packages"]) {
    auto it = std::find_if(r.packages.begin(), r.packages.end(), [&](const Package& p) { return p.name == want["name"]; });
    ASSERT_NE(it, r.packages.end()) << want["name"];
    expect_package(*it, want);
  }
}

TEST(RpmAcceptance, EveryCaseWithAFixtureIsCovered) {
  std::set<std::string> with_fixture;
  for (const auto& dir : fs::directory_iterator(kCases)) {
    if (!fs::exists(dir.path() / "expected.json")) continue;
    if (load(dir.path() / "expected.json").value("fixture_available", false)) with_fixture.insert(dir.path().filename());
  }
  // Each of these has a test below; a new case in the corpus must get one too.
  EXPECT_EQ(with_fixture, (std::set<std::string>{"bdb-packages", "corrupt-rpm-archive", "mariner-container-manifest"}));
}

TEST(RpmAcceptance, BerkeleyDbPackages) {
  const fs::path dir = kCases / "bdb-packages";
  auto expected = load(dir / "expected.json");
  auto s = scan(dir / "rootfs");
  EXPECT_TRUE(s.result.errors.empty()) << s.result.errors.front();
  expect_packages(s.result, expected);
  EXPECT_TRUE(s.result.dependencies.empty());
}

TEST(RpmAcceptance, BerkeleyDbPackagesKeepOwnedFilesThatExist) {
  const fs::path dir = kCases / "bdb-packages";
  auto expected = load(dir / "expected.json");
  const json& variant = expected.at("variant_when_owned_files_exist");
  std::vector<std::string> paths;
  for (const auto& f : variant.at("files")) paths.push_back(f.at("path"));
  auto s = scan(dir / "rootfs", paths);
  ASSERT_EQ(s.result.packages.size(), 1u);
  EXPECT_EQ(s.result.packages[0].files, paths);

  // The file records themselves: mode, size and digest as Syft reports them.
  std::vector<rpm::HeaderInfo> headers;
  rpm::Problems problems;
  auto db = slurp(dir / "rootfs/var/lib/rpm/Packages");
  auto st = rpm::read_bdb_packages(db, [&](std::string_view blob) { headers.push_back(*rpm::parse_header_blob(blob)); }, problems);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(headers.size(), 1u);
  ASSERT_EQ(headers[0].files.size(), variant["files"].size());
  for (std::size_t i = 0; i < headers[0].files.size(); ++i) {
    const auto& got = headers[0].files[i];
    const auto& want = variant["files"][i];
    EXPECT_EQ(got.path, want["path"].get<std::string>());
    EXPECT_EQ(got.mode, want["mode"].get<int>());
    EXPECT_EQ(got.size, want["size"].get<std::int64_t>());
    EXPECT_EQ(got.digest, want["digest"]["value"].get<std::string>());
    EXPECT_EQ(headers[0].digest_algorithm, want["digest"]["algorithm"].get<std::string>());
  }
  EXPECT_EQ(headers[0].modularity_label, "");
}

TEST(RpmAcceptance, MarinerContainerManifest) {
  const fs::path dir = kCases / "mariner-container-manifest";
  auto expected = load(dir / "expected.json");
  auto s = scan(dir / "rootfs");
  EXPECT_TRUE(s.result.errors.empty()) << s.result.errors.front();
  expect_packages(s.result, expected);
}

TEST(RpmAcceptance, CorruptRpmArchive) {
  const fs::path dir = kCases / "corrupt-rpm-archive";
  auto expected = load(dir / "expected.json");
  ASSERT_TRUE(expected.at("expect_error").get<bool>());
  // Syft's archive reader must refuse it; cairn's .rpm header reader does, saying why.
  auto bytes = slurp(dir / expected.at("fixture").get<std::string>());
  auto header = rpm::read_rpm_archive_header(bytes);
  ASSERT_FALSE(header);
  EXPECT_NE(header.error().message.find("96-byte lead"), std::string::npos) << header.error().message;
  // The database cataloger does not read .rpm files at all: no package, no error.
  auto s = scan(dir / "rootfs");
  EXPECT_TRUE(s.result.packages.empty());
  EXPECT_TRUE(s.result.errors.empty());
}

}  // namespace
}  // namespace cairn::sbom
