// The SBOM writers against the official schemas and the semantic checks of
// ../shared/tools/validate-sbom: SPDX 2.3 and CycloneDX 1.6 and 1.5 of a realistic image
// inventory (with and without files), a directory source, empty inventories and an
// inventory full of hostile data must all be valid.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../unit/sample_inventory.h"
#include "sbom/formats/cyclonedx_json.h"
#include "sbom/formats/spdx_json.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using cairn::testing::sample_directory_inventory;
using cairn::testing::sample_image_inventory;
using cairn::testing::sample_options;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class FormatsValidate : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cairn-formats-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    files_.push_back(dir_ / name);
  }

  // Writes SPDX, CycloneDX 1.6 and CycloneDX 1.5 of the inventory.
  void write_all(const std::string& stem, const Inventory& inventory, WriteOptions options) {
    write(stem + ".spdx.json", write_spdx_json(inventory, options));
    options.cyclonedx_minor = 6;
    write(stem + ".cdx16.json", write_cyclonedx_json(inventory, options));
    options.cyclonedx_minor = 5;
    write(stem + ".cdx15.json", write_cyclonedx_json(inventory, options));
  }

  // Runs validate-sbom on every written file; its node modules are cached in the build tree.
  void expect_valid() {
    const fs::path cache = fs::path(CAIRN_BINARY).parent_path() / "validate-sbom-cache";
    const fs::path log = dir_ / "validate.log";
    std::string cmd = "VALIDATE_SBOM_CACHE=" + shell_quote(cache.string()) + " " +
                      shell_quote(CAIRN_SHARED_DIR "/tools/validate-sbom") + " --max-errors 20";
    for (const auto& f : files_) cmd += " " + shell_quote(f.string());
    cmd += " >" + shell_quote(log.string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    std::stringstream output;
    output << std::ifstream(log).rdbuf();
    ASSERT_TRUE(WIFEXITED(status)) << output.str();
    EXPECT_EQ(WEXITSTATUS(status), 0) << output.str();
    const std::string text = "\n" + output.str();
    EXPECT_EQ(text.find("\ninvalid: "), std::string::npos) << text;
    for (const auto& f : files_) {
      EXPECT_NE(text.find("\nvalid: " + f.string() + " ("), std::string::npos) << f << text;
    }
    EXPECT_NE(text.find("(spdx-2.3)"), std::string::npos) << text;
    EXPECT_NE(text.find("(cyclonedx-1.6)"), std::string::npos) << text;
    EXPECT_NE(text.find("(cyclonedx-1.5)"), std::string::npos) << text;
  }

  fs::path dir_;
  std::vector<fs::path> files_;
};

TEST_F(FormatsValidate, ImageDirectoryAndEmptyInventories) {
  WriteOptions options = sample_options();
  write_all("image", sample_image_inventory(), options);
  options.include_files = true;
  write_all("image-files", sample_image_inventory(), options);
  write_all("directory", sample_directory_inventory(), options);

  Inventory empty_image;
  empty_image.source.name = "lab/empty";
  empty_image.source.tag = "v1";
  empty_image.source.manifest_digest = "sha256:" + std::string(64, 'e');
  empty_image.source.config_digest = "sha256:" + std::string(64, 'f');
  write_all("empty-image", empty_image, options);

  Inventory empty_dir;
  empty_dir.source.kind = SourceInfo::Kind::Directory;
  empty_dir.source.name = "/empty";
  write_all("empty-dir", empty_dir, sample_options());
  expect_valid();
}

TEST_F(FormatsValidate, HostileInventory) {
  Inventory inv = sample_image_inventory();
  inv.source.name = "Weird Name#with:colons/and spaces";
  inv.source.tag = "t#1";
  inv.source.manifest_digest = "not-a-digest";
  inv.source.layers[0].digest = "";
  inv.packages[0].name = "bad\xff\xfe name\x01";
  inv.packages[0].licenses = {"", "NOASSERTION", "(MIT", "GPL-2+ with OpenSSL exception", "public domain",
                              "public/domain", std::string(300, 'L'), "LicenseRef-already", "caf\xc3\xa9"};
  inv.packages[1].purl = "pkg:deb/has space";
  inv.packages[1].cpes = {"cpe with space", ""};
  inv.packages[1].supplier = "<>";
  inv.packages[2].layer = 42;
  inv.packages[3].metadata = {{"", ""}, {"key with\nnewline", "value\twith\ttabs"}};
  inv.packages[4].files = {"/", "relative/path", "/usr/share/doc/x/copyright", "/usr/share/doc/x/copyright"};
  inv.packages[4].purl = inv.packages[5].purl = "pkg:generic/same@1";
  inv.dependencies.push_back({999, 0});
  inv.dependencies.push_back({3, 3});
  inv.release->home_url = "http://exa mple/";
  inv.release->bug_report_url = "http://example/%zz";
  inv.release->cpe_name = "cpe:/o:debian:debian_linux:12";
  inv.release->id = "";
  WriteOptions options = sample_options();
  options.include_files = true;
  options.created_epoch = -1;
  options.tool_version = "";
  write_all("hostile", inv, options);
  expect_valid();
}

}  // namespace
}  // namespace cairn::sbom
