// The bundled example image (scripts/make-example-image.sh from examples/debian-mini):
// its six Debian packages in the table and both JSON formats, valid documents, and the
// layout read with and without its tag.
#include <gtest/gtest.h>

#include <sstream>

#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {
namespace {

const std::set<PackageKey> kExamplePackages = {
    {"base-files", "12.4+deb12u5", "amd64"},     {"bash", "5.2.15-2+b2", "amd64"},
    {"curl", "7.88.1-10+deb12u5", "amd64"},      {"libc6", "2.36-9+deb12u4", "amd64"},
    {"libcurl4", "7.88.1-10+deb12u5", "amd64"},  {"zlib1g", "1:1.2.13.dfsg-1", "amd64"},
};

class ExampleImage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_ = new TempDir("e2e-example");
    RunResult r = run_program("/bin/bash", {CAIRN_SOURCE_DIR "/scripts/make-example-image.sh", image().string()});
    build_error_ = new std::string(r.exit_code == 0 ? "" : "make-example-image.sh failed: " + r.describe());
  }
  static void TearDownTestSuite() {
    delete build_error_;
    delete work_;
    build_error_ = nullptr;
    work_ = nullptr;
  }
  void SetUp() override {
    if (!build_error_->empty()) FAIL() << *build_error_;
  }
  static fs::path image() { return work_->path() / "image"; }
  static fs::path out(const std::string& name) { return work_->path() / name; }

  static TempDir* work_;
  static std::string* build_error_;
};

TempDir* ExampleImage::work_ = nullptr;
std::string* ExampleImage::build_error_ = nullptr;

// The rows of the table format: the words of each line after the header.
std::vector<std::vector<std::string>> table_rows(const std::string& table) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string w; words >> w;) row.push_back(w);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

TEST_F(ExampleImage, AllFormatsListTheSixPackagesAndValidate) {
  std::string source = "oci-dir:" + image().string() + ":latest";
  RunResult r = run_cairn({"sbom", source, "-o", "table", "-o", "spdx-json=" + out("example.spdx.json").string(), "-o",
                           "cyclonedx-json=" + out("example.cdx.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  RunResult r15 = run_cairn({"sbom", source, "--cyclonedx-version", "1.5", "-o",
                             "cyclonedx-json=" + out("example.cdx15.json").string()});
  ASSERT_EQ(r15.exit_code, 0) << r15.describe();

  auto rows = table_rows(r.out);
  ASSERT_EQ(rows.size(), 7u) << r.out;
  EXPECT_EQ(rows[0], (std::vector<std::string>{"NAME", "VERSION", "TYPE"}));
  std::set<std::pair<std::string, std::string>> table_packages, expected;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 3u) << r.out;
    EXPECT_EQ(rows[i][2], "deb");
    table_packages.insert({rows[i][0], rows[i][1]});
  }
  for (const auto& [name, version, arch] : kExamplePackages) expected.insert({name, version});
  EXPECT_EQ(table_packages, expected) << r.out;

  EXPECT_EQ(spdx_deb_packages(load_json(out("example.spdx.json"))), kExamplePackages);
  EXPECT_EQ(cyclonedx_deb_packages(load_json(out("example.cdx.json"))), kExamplePackages);
  EXPECT_EQ(cyclonedx_deb_packages(load_json(out("example.cdx15.json"))), kExamplePackages);

  // curl came with the second layer, the rest with the first.
  json bom = load_json(out("example.cdx.json"));
  for (const auto& [name, version, arch] : kExamplePackages) {
    auto found = components_named(bom, name);
    ASSERT_EQ(found.size(), 1u) << name;
    bool second = name == "curl" || name == "libcurl4";
    EXPECT_EQ(property(found[0], "cairn:layer:index"), second ? "1" : "0") << name;
  }

  RunResult v = validate_sbom({out("example.spdx.json"), out("example.cdx.json"), out("example.cdx15.json")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(ExampleImage, LayoutIsReadWithOrWithoutItsTagAndAsABarePath) {
  for (const std::string& source : {"oci-dir:" + image().string() + ":latest", "oci-dir:" + image().string(), image().string()}) {
    SCOPED_TRACE(source);
    RunResult r = run_cairn({"sbom", source, "-o", "cyclonedx-json"});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    json bom = parse_json(r.out, "cyclonedx output");
    EXPECT_EQ(cyclonedx_deb_packages(bom), kExamplePackages);
    EXPECT_EQ(property(bom.at("metadata").at("component"), "cairn:image:tag"), "latest");
  }
}

TEST_F(ExampleImage, UnknownTagIsAnInputErrorListingTheTags) {
  RunResult r = run_cairn({"sbom", "oci-dir:" + image().string() + ":v9", "-o", "cyclonedx-json"});
  EXPECT_EQ(r.exit_code, 3) << r.describe();
  EXPECT_NE(r.err.find("v9"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("latest"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cairn::e2e
