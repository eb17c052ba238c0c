// `cairn sbom` against the lab's real Debian images (shared/lab/build-lab.sh), checked
// against the lab's ground truth: package sets in every source form, layer attribution
// and deletions in a four-layer image, platform choice in an index, a layer without its
// end-of-archive blocks, schema validity and byte-for-byte determinism.
#include <algorithm>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "tests/e2e/e2e_support.h"

namespace cairn::e2e {
namespace {

// One cairn run whose outputs were written to files.
struct Scan {
  RunResult run;
  std::map<std::string, fs::path> files;  // output label ("spdx", "cdx", "cdx15") -> file
  json doc(const std::string& label) const { return load_json(files.at(label)); }
};

class LabImages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lab_error_ = new std::string(ensure_lab());
    work_ = new TempDir("e2e-lab");
    scans_ = new std::map<std::string, Scan>();
  }
  static void TearDownTestSuite() {
    delete scans_;
    delete work_;
    delete lab_error_;
    scans_ = nullptr;
    work_ = nullptr;
    lab_error_ = nullptr;
  }
  void SetUp() override {
    if (!lab_error_->empty()) FAIL() << *lab_error_;
  }

  static fs::path lab() { return lab_dir(); }
  static fs::path truth(const std::string& file) { return lab() / "truth" / file; }

  // Runs cairn once per key for the whole suite: `args` plus one -o per requested
  // output, each written to a file named after the key.
  static const Scan& scan(const std::string& key, std::vector<std::string> args,
                          const std::vector<std::pair<std::string, std::string>>& outputs) {
    if (auto it = scans_->find(key); it != scans_->end()) return it->second;
    Scan s;
    for (const auto& [label, format] : outputs) {
      fs::path file = work_->path() / (key + "." + label + ".json");
      args.push_back("-o");
      args.push_back(format + "=" + file.string());
      s.files[label] = file;
    }
    s.run = run_cairn(args);
    return scans_->emplace(key, std::move(s)).first->second;
  }

  // SPDX and CycloneDX 1.6 of one source.
  static const Scan& scan_both(const std::string& key, const std::string& source, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"sbom", source};
    args.insert(args.end(), extra.begin(), extra.end());
    return scan(key, args, {{"spdx", "spdx-json"}, {"cdx", "cyclonedx-json"}});
  }

  static std::vector<std::pair<std::string, std::string>> source_forms(const std::string& name) {
    return {{"oci-dir", "oci-dir:" + (lab() / "oci" / name).string() + ":latest"},
            {"oci-archive", "oci-archive:" + (lab() / "archives" / (name + ".oci.tar")).string()},
            {"docker-archive", "docker-archive:" + (lab() / "archives" / (name + ".docker.tar")).string()}};
  }

  void expect_deb_set_in_every_form(const std::string& name, std::size_t count) {
    auto expected = read_dpkg_truth(truth(name + ".dpkg.tsv"));
    ASSERT_EQ(expected.size(), count) << "the lab's truth for " << name << " changed";
    for (const auto& [form, source] : source_forms(name)) {
      SCOPED_TRACE(form + " " + source);
      const Scan& s = scan_both(name + "-" + form, source);
      ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
      auto cdx = cyclonedx_deb_packages(s.doc("cdx"));
      auto spdx = spdx_deb_packages(s.doc("spdx"));
      EXPECT_EQ(cdx, expected) << "CycloneDX has extra: " << difference(cdx, expected)
                               << "; misses: " << difference(expected, cdx);
      EXPECT_EQ(spdx, expected) << "SPDX has extra: " << difference(spdx, expected)
                                << "; misses: " << difference(expected, spdx);
    }
  }

  static json layout(const std::string& name) { return load_json(truth(name + ".layout.json")).at(0); }

  static std::string* lab_error_;
  static TempDir* work_;
  static std::map<std::string, Scan>* scans_;
};

std::string* LabImages::lab_error_ = nullptr;
TempDir* LabImages::work_ = nullptr;
std::map<std::string, Scan>* LabImages::scans_ = nullptr;

std::string app_source() { return "oci-dir:" + (lab_dir() / "oci" / "app").string() + ":latest"; }

bool spdx_has_annotation(const json& doc, const std::string& name, const std::string& comment) {
  for (const auto& p : doc.at("packages")) {
    if (p.value("name", "") != name) continue;
    for (const auto& a : p.value("annotations", json::array()))
      if (a.value("comment", "") == comment) return true;
  }
  return false;
}

TEST_F(LabImages, BaseDebPackagesMatchTruthInEverySourceForm) { expect_deb_set_in_every_form("base", 88); }

TEST_F(LabImages, AppDebPackagesMatchTruthInEverySourceForm) { expect_deb_set_in_every_form("app", 155); }

TEST_F(LabImages, AppSquashedOmitsThePackagePurgedInTheLastLayer) {
  const Scan& s = scan_both("app-oci-dir", app_source());
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  EXPECT_TRUE(components_named(s.doc("cdx"), "python3-requests").empty());
  const json spdx = s.doc("spdx");  // named: a loop over a temporary's member would dangle
  for (const auto& p : spdx.at("packages")) EXPECT_NE(p.value("name", ""), "python3-requests");
  EXPECT_EQ(property(s.doc("cdx").at("metadata").at("component"), "cairn:source:scope"), "squashed");
}

// The language packages of app equal the lab's truth: the Python distributions
// ("certifi-2022.9.24.egg-info" → certifi 2022.9.24, '_' as '-') and every node package
// plus the app's own package.json.
TEST_F(LabImages, AppLanguagePackagesMatchTruth) {
  const Scan& s = scan_both("app-oci-dir", app_source());
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  json truth_doc = load_json(truth("app.rootfs.json"));
  std::set<std::string> want_python, want_npm, got_python, got_npm;
  for (const auto& path : truth_doc.at("python_dists")) {
    std::string base = fs::path(path.get<std::string>()).filename().string();
    base = base.substr(0, base.rfind('.'));  // drop .egg-info / .dist-info
    auto dash = base.find('-');
    std::string name = base.substr(0, dash);
    std::replace(name.begin(), name.end(), '_', '-');
    want_python.insert(name + "@" + base.substr(dash + 1));
  }
  for (const auto& line : truth_doc.at("node_packages")) {
    std::string entry = line.get<std::string>();
    want_npm.insert(entry.substr(0, entry.find('\t')));
  }
  const json cdx = s.doc("cdx");
  for (const auto& c : cdx.at("components")) {
    std::string purl = c.value("purl", "");
    std::string id = c.value("name", "") + "@" + c.value("version", "");
    if (purl.rfind("pkg:pypi/", 0) == 0) got_python.insert(id);
    if (purl.rfind("pkg:npm/", 0) == 0) got_npm.insert(id);
  }
  EXPECT_EQ(want_python.size(), 6u);
  EXPECT_EQ(want_npm.size(), 71u);
  // The app's own /app/package.json is a package too (as Syft reports it); the truth
  // lists what node_modules holds.
  want_npm.insert("lab-app@1.0.0");
  EXPECT_EQ(got_python, want_python);
  EXPECT_EQ(got_npm, want_npm);
}

// The commons-lang3 jar is one package although four paths reach it (three symlinks),
// and every Go binary of the truth is reported with its Go version, each owned by the
// Debian package that installed it.
TEST_F(LabImages, AppJarOnceAndEveryGoBinary) {
  const Scan& s = scan_both("app-oci-dir", app_source());
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  json truth_doc = load_json(truth("app.rootfs.json"));
  const json cdx = s.doc("cdx");
  auto owned = [](const json& c) {
    for (const auto& p : c.value("properties", json::array()))
      if (p.value("name", "") == "cairn:ownedBy") return true;
    return false;
  };
  ASSERT_EQ(truth_doc.at("jar_count"), 1);
  int jars = 0;
  std::map<std::string, std::set<std::string>> go_by_binary;  // path -> purls
  for (const auto& c : cdx.at("components")) {
    std::string purl = c.value("purl", "");
    std::string location = property(c, "cairn:location:0:path");
    if (purl.rfind("pkg:maven/org.apache.commons/commons-lang3@3.12.0", 0) == 0) {
      ++jars;
      EXPECT_EQ(location, "/usr/share/java/commons-lang3.jar");
      EXPECT_TRUE(owned(c)) << "libcommons-lang3-java owns the jar";
    }
    if (purl.rfind("pkg:golang/", 0) == 0) {
      go_by_binary[location].insert(purl);
      EXPECT_TRUE(owned(c)) << location << " is installed by a Debian package";
    }
  }
  EXPECT_EQ(jars, 1);
  ASSERT_EQ(truth_doc.at("go_binaries_count"), 17);
  for (const auto& line : truth_doc.at("go_binaries")) {
    std::string entry = line.get<std::string>();  // path, go1.19.8, main package, deps=N; tab-separated
    std::string path = entry.substr(0, entry.find('\t'));
    std::string rest = entry.substr(entry.find('\t') + 1);
    std::string go_version = rest.substr(2, rest.find('\t') - 2);
    SCOPED_TRACE(path);
    ASSERT_TRUE(go_by_binary.count(path)) << "no Go package located at the binary";
    EXPECT_TRUE(go_by_binary[path].count("pkg:golang/stdlib@" + go_version)) << "the Go toolchain version";
  }
  EXPECT_EQ(go_by_binary.size(), 17u) << "Go packages only where the truth has Go binaries";
}

TEST_F(LabImages, AppAllLayersKeepsThePurgedPackageMarkedDeletedInLayerOne) {
  const Scan& s = scan_both("app-all-layers", app_source(), {"--scope", "all-layers"});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  json cdx = s.doc("cdx");
  json app = layout("app");
  auto requests = components_named(cdx, "python3-requests");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(property(requests[0], "cairn:layer:deleted"), "true");
  EXPECT_EQ(property(requests[0], "cairn:layer:index"), "1");
  EXPECT_EQ(property(requests[0], "cairn:layer:digest"), app["layers"][1]["digest"].get<std::string>());
  EXPECT_EQ(property(requests[0], "cairn:layer:diffID"), app["layers"][1]["diff_id"].get<std::string>());

  // The purge also removed the Python distribution the Debian package shipped; every
  // other package is still installed, so not marked deleted.
  auto dist = components_named(cdx, "requests");
  ASSERT_EQ(dist.size(), 1u);
  EXPECT_EQ(property(dist[0], "cairn:layer:deleted"), "true");
  EXPECT_EQ(property(dist[0], "cairn:layer:index"), "1");
  // Layer 4's opaque whiteout over /app/vendor also hid the vendored copy of the
  // commons-lang3 jar layer 3 added (app-before-layer4 truth: 2 jars).
  int vendored = 0;
  for (const auto& c : cdx.at("components")) {
    if (property(c, "cairn:location:0:path") == "/app/vendor/legacy-commons-lang3.jar") {
      ++vendored;
      EXPECT_EQ(property(c, "cairn:layer:deleted"), "true");
      EXPECT_EQ(property(c, "cairn:layer:index"), "2");
    } else if (c.value("name", "") != "python3-requests" && c.value("name", "") != "requests") {
      EXPECT_EQ(property(c, "cairn:layer:deleted"), "") << c.value("name", "");
    }
  }
  EXPECT_EQ(vendored, 1);

  // The set is what layers 1-3 installed: the final image plus the purged package.
  auto before = read_dpkg_truth(truth("app-before-layer4.dpkg.tsv"));
  auto after = read_dpkg_truth(truth("app.dpkg.tsv"));
  before.insert(after.begin(), after.end());
  auto got = cyclonedx_deb_packages(cdx);
  EXPECT_EQ(got, before) << "extra: " << difference(got, before) << "; misses: " << difference(before, got);

  EXPECT_TRUE(spdx_has_annotation(s.doc("spdx"), "python3-requests", "cairn:layerDeleted=true"));
  EXPECT_EQ(property(cdx.at("metadata").at("component"), "cairn:source:scope"), "all-layers");
}

TEST_F(LabImages, AppPackagesCarryTheDigestOfTheLayerThatInstalledThem) {
  const Scan& s = scan_both("app-oci-dir", app_source());
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  json cdx = s.doc("cdx");
  json app = layout("app");
  std::vector<std::string> digests, diff_ids;
  for (const auto& l : app.at("layers")) {
    digests.push_back(l.at("digest"));
    diff_ids.push_back(l.at("diff_id"));
  }
  ASSERT_EQ(digests.size(), 4u);

  std::size_t libraries = 0;
  for (const auto& c : cdx.at("components")) {
    if (c.value("type", "") != "library") continue;
    ++libraries;
    std::string name = c.value("name", "");
    std::string digest = property(c, "cairn:layer:digest");
    std::string index = property(c, "cairn:layer:index");
    ASSERT_FALSE(index.empty()) << name << " has no cairn:layer:index";
    std::size_t i = std::stoul(index);
    ASSERT_LT(i, digests.size()) << name;
    EXPECT_EQ(digest, digests[i]) << name;
    EXPECT_EQ(property(c, "cairn:layer:diffID"), diff_ids[i]) << name;
  }
  EXPECT_GE(libraries, 155u);

  auto layer_of = [&](const std::string& name) {
    auto found = components_named(cdx, name);
    return found.size() == 1 ? property(found[0], "cairn:layer:index") : "(" + std::to_string(found.size()) + " components)";
  };
  // debootstrap installed these in layer 0; apt-get install added these in layer 1.
  EXPECT_EQ(layer_of("bash"), "0");
  EXPECT_EQ(layer_of("base-files"), "0");
  EXPECT_EQ(layer_of("python3"), "1");
  EXPECT_EQ(layer_of("skopeo"), "1");
  EXPECT_EQ(layer_of("libcommons-lang3-java"), "1");

  // The image's own description lists the same layers.
  const json& root = cdx.at("metadata").at("component");
  for (std::size_t i = 0; i < digests.size(); ++i) {
    EXPECT_EQ(property(root, "cairn:image:layer:" + std::to_string(i) + ":digest"), digests[i]);
    EXPECT_EQ(property(root, "cairn:image:layer:" + std::to_string(i) + ":diffID"), diff_ids[i]);
  }
  EXPECT_EQ(property(root, "cairn:image:manifestDigest"), app.at("manifest_digest").get<std::string>());
  EXPECT_EQ(property(root, "cairn:image:configDigest"), app.at("config_digest").get<std::string>());
}

TEST_F(LabImages, MultiDefaultPlatformIsTheHostsAmd64Image) {
  const Scan& s = scan_both("multi-default", "oci-dir:" + (lab() / "oci" / "multi").string() + ":latest");
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  auto expected = read_dpkg_truth(truth("base.dpkg.tsv"));
  auto got = cyclonedx_deb_packages(s.doc("cdx"));
  EXPECT_EQ(got, expected) << "extra: " << difference(got, expected) << "; misses: " << difference(expected, got);
  json root = s.doc("cdx").at("metadata").at("component");
  EXPECT_EQ(property(root, "cairn:image:architecture"), "amd64");
  EXPECT_EQ(property(root, "cairn:image:indexDigest"), read_file(truth("multi.index-digest")).substr(0, 71));
}

TEST_F(LabImages, MultiArm64PlatformGivesTheArm64Packages) {
  const Scan& s = scan_both("multi-arm64", "oci-dir:" + (lab() / "oci" / "multi").string() + ":latest",
                            {"--platform", "linux/arm64"});
  ASSERT_EQ(s.run.exit_code, 0) << s.run.describe();
  auto expected = read_dpkg_truth(truth("arm64.dpkg.tsv"));
  ASSERT_EQ(expected.size(), 88u);
  for (const auto& doc_packages : {cyclonedx_deb_packages(s.doc("cdx")), spdx_deb_packages(s.doc("spdx"))}) {
    EXPECT_EQ(doc_packages, expected) << "extra: " << difference(doc_packages, expected)
                                      << "; misses: " << difference(expected, doc_packages);
    std::size_t arm64 = 0;
    for (const auto& [name, version, arch] : doc_packages) {
      EXPECT_TRUE(arch == "arm64" || arch == "all") << name << " has arch " << arch;
      arm64 += arch == "arm64";
    }
    EXPECT_GT(arm64, 50u);
  }
  EXPECT_EQ(property(s.doc("cdx").at("metadata").at("component"), "cairn:image:architecture"), "arm64");
}

TEST_F(LabImages, MultiUnknownPlatformIsAUsageErrorListingTheAvailableOnes) {
  RunResult r = run_cairn({"sbom", "oci-dir:" + (lab() / "oci" / "multi").string() + ":latest", "--platform",
                           "linux/s390x", "-o", "cyclonedx-json"});
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("linux/s390x"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("linux/amd64"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("linux/arm64"), std::string::npos) << r.err;
}

TEST_F(LabImages, LayerWithoutEndOfArchiveBlocksIsAcceptedWithAWarning) {
  RunResult r = run_cairn({"sbom", "oci-dir:" + (lab() / "oci" / "quirk-truncated-tar").string() + ":latest", "-o",
                           "cyclonedx-json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_NE(r.err.find("end-of-archive"), std::string::npos) << r.err;
  json bom = parse_json(r.out, "cyclonedx output");
  EXPECT_EQ(bom.value("bomFormat", ""), "CycloneDX");
}

TEST_F(LabImages, SpdxAndCycloneDxOutputsValidate) {
  std::vector<fs::path> files;
  for (const char* image : {"base", "app"}) {
    const std::string name = image;
    std::string source = "oci-dir:" + (lab() / "oci" / name).string() + ":latest";
    const Scan& both = scan_both(name + "-oci-dir", source);
    ASSERT_EQ(both.run.exit_code, 0) << both.run.describe();
    const Scan& cdx15 = scan(name + "-cdx15", {"sbom", source, "--cyclonedx-version", "1.5"}, {{"cdx15", "cyclonedx-json"}});
    ASSERT_EQ(cdx15.run.exit_code, 0) << cdx15.run.describe();
    EXPECT_EQ(cdx15.doc("cdx15").value("specVersion", ""), "1.5");
    EXPECT_EQ(both.doc("cdx").value("specVersion", ""), "1.6");
    EXPECT_EQ(both.doc("spdx").value("spdxVersion", ""), "SPDX-2.3");
    files.push_back(both.files.at("spdx"));
    files.push_back(both.files.at("cdx"));
    files.push_back(cdx15.files.at("cdx15"));
  }
  const Scan& deleted = scan_both("app-all-layers", app_source(), {"--scope", "all-layers"});
  ASSERT_EQ(deleted.run.exit_code, 0) << deleted.run.describe();
  files.push_back(deleted.files.at("spdx"));
  files.push_back(deleted.files.at("cdx"));
  RunResult v = validate_sbom(files);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(LabImages, OutputIsByteIdenticalAcrossRunsAndAcrossOutputCounts) {
  const Scan& together = scan_both("app-oci-dir", app_source());
  ASSERT_EQ(together.run.exit_code, 0) << together.run.describe();
  RunOptions epoch0;
  epoch0.env["SOURCE_DATE_EPOCH"] = "0";
  RunResult spdx = run_cairn({"sbom", app_source(), "-o", "spdx-json"}, epoch0);
  RunResult cdx = run_cairn({"sbom", app_source(), "-o", "cyclonedx-json"}, epoch0);
  ASSERT_EQ(spdx.exit_code, 0) << spdx.describe();
  ASSERT_EQ(cdx.exit_code, 0) << cdx.describe();
  // Compared whole: a difference anywhere (order, IDs, timestamps, serial numbers) fails.
  EXPECT_TRUE(spdx.out == read_file(together.files.at("spdx"))) << "SPDX differs between runs";
  EXPECT_TRUE(cdx.out == read_file(together.files.at("cdx"))) << "CycloneDX differs between runs";
  EXPECT_NE(spdx.out.find("\"created\": \"1970-01-01T00:00:00Z\""), std::string::npos);
}

}  // namespace
}  // namespace cairn::e2e
