// Distro identification against the acceptance corpus transcribed from Syft's
// identify_release tests (shared/acceptance/catalogers/linux-release, schema in
// ../README.md): every case, each compared field by field with the whole Release, as
// Syft's test compares the whole struct (a field the case leaves out must be empty).
#include <gtest/gtest.h>

#include "corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/dir_reader.h"
#include "sbom/layer_fs.h"
#include "sbom/release.h"
#include "sbom/release_fallbacks.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "linux-release";

using corpus::load_json;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> case_names() { return corpus::cases_in(kCorpus, [](const json&) { return true; }); }

// Syft's Release field names -> cairn's fields. A key of the corpus missing here fails
// the test rather than being ignored.
const std::vector<std::pair<std::string, std::function<const std::string&(const Release&)>>>& string_fields() {
  static const std::vector<std::pair<std::string, std::function<const std::string&(const Release&)>>> fields = {
      {"PrettyName", [](const Release& r) -> const std::string& { return r.pretty_name; }},
      {"Name", [](const Release& r) -> const std::string& { return r.name; }},
      {"ID", [](const Release& r) -> const std::string& { return r.id; }},
      {"Version", [](const Release& r) -> const std::string& { return r.version; }},
      {"VersionID", [](const Release& r) -> const std::string& { return r.version_id; }},
      {"VersionCodename", [](const Release& r) -> const std::string& { return r.version_codename; }},
      {"BuildID", [](const Release& r) -> const std::string& { return r.build_id; }},
      {"Variant", [](const Release& r) -> const std::string& { return r.variant; }},
      {"VariantID", [](const Release& r) -> const std::string& { return r.variant_id; }},
      {"HomeURL", [](const Release& r) -> const std::string& { return r.home_url; }},
      {"SupportURL", [](const Release& r) -> const std::string& { return r.support_url; }},
      {"BugReportURL", [](const Release& r) -> const std::string& { return r.bug_report_url; }},
      {"PrivacyPolicyURL", [](const Release& r) -> const std::string& { return r.privacy_policy_url; }},
      {"CPEName", [](const Release& r) -> const std::string& { return r.cpe_name; }},
      {"SupportEnd", [](const Release& r) -> const std::string& { return r.support_end; }},
  };
  return fields;
}

void expect_release(const json& want, const std::optional<Release>& got) {
  if (want.is_null()) {
    EXPECT_FALSE(got.has_value()) << "identified " << (got ? got->id : "") << " where Syft finds nothing";
    return;
  }
  ASSERT_TRUE(got.has_value()) << "no release identified";
  for (const auto& [key, value] : want.items()) {
    bool known = key == "IDLike" || std::any_of(string_fields().begin(), string_fields().end(),
                                                [&](const auto& f) { return f.first == key; });
    EXPECT_TRUE(known) << "expected_release field " << key << " has no counterpart in Release";
  }
  for (const auto& [key, field] : string_fields())
    EXPECT_EQ(field(*got), want.value(key, std::string())) << key;
  std::vector<std::string> id_like;
  if (want.contains("IDLike") && !want["IDLike"].is_null()) id_like = want["IDLike"].get<std::vector<std::string>>();
  EXPECT_EQ(got->id_like, id_like) << "IDLike";
}

class LinuxRelease : public ::testing::TestWithParam<std::string> {};

TEST_P(LinuxRelease, MatchesSyft) {
  fs::path dir = kCorpus / GetParam();
  json expected = load_json(dir / "expected.json");
  ASSERT_TRUE(expected.value("fixture_available", false));
  std::string fixture = expected.at("fixture");
  std::string source = expected.at("source_test");
  std::optional<Release> got;
  if (fixture == "rootfs") {
    // A directory scan, through the same capture rules an image scan uses.
    auto layer = read_directory(dir / "rootfs", CapturePolicy(release_capture_rules()));
    ASSERT_TRUE(layer) << layer.error().message;
    LayerFs image;
    image.apply(*layer, 0);
    got = identify_release(image);
  } else {
    // Syft feeds one file straight to a parser; which one the test name says.
    std::string content = slurp(dir / fixture);
    if (source.find("TestParseOsRelease") != std::string::npos) got = parse_os_release(content);
    else if (source.find("TestParseRedhatRelease") != std::string::npos) got = parse_redhat_release(content);
    else if (source.find("TestParseSystemReleaseCPE") != std::string::npos) got = parse_system_release_cpe(content);
    else FAIL() << "no parser for " << source;
  }
  expect_release(expected.at("expected_release"), got);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, LinuxRelease, ::testing::ValuesIn(case_names()), test_name);

TEST(LinuxReleaseCorpus, AllFortyCasesArePresent) { EXPECT_EQ(case_names().size(), 40u); }

}  // namespace
}  // namespace cairn::sbom
