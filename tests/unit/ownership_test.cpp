// Ownership by file overlap (sbom/ownership.h): binaries an OS package owns are dropped,
// other packages are kept and recorded as owned.
#include "sbom/ownership.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_inventory.h"
#include "sbom/formats/cyclonedx_json.h"
#include "sbom/formats/spdx_json.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

Package make(std::string name, std::string type, std::vector<std::string> locations, std::vector<std::string> files = {}) {
  Package p;
  p.name = std::move(name);
  p.type = std::move(type);
  p.locations = std::move(locations);
  p.files = std::move(files);
  return p;
}

TEST(Ownership, OwnedLanguagePackageIsKeptAndRelated) {
  auto fs = cairn::testing::make_fs({{"/usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO", "x"}});
  std::vector<Package> pkgs = {
      make("python3-certifi", "deb", {"/var/lib/dpkg/status"},
           {"/usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO"}),
      make("certifi", "python", {"/usr/lib/python3/dist-packages/certifi-2022.9.24.egg-info/PKG-INFO"}),
      make("requests", "python", {"/app/venv/lib/requests-2.0.dist-info/METADATA"}),
  };
  auto r = apply_file_ownership(pkgs, {{1, 2}}, fs);
  ASSERT_EQ(r.packages.size(), 3u);
  EXPECT_EQ(r.ownerships, (std::vector<Dependency>{{0, 1}}));
  EXPECT_EQ(r.dependencies, (std::vector<Dependency>{{1, 2}}));
}

TEST(Ownership, OwnedBinaryIsDroppedThroughSymlinkedDirectories) {
  // usrmerge: dpkg lists /bin/busybox, the image holds /usr/bin/busybox.
  auto fs = cairn::testing::make_fs({{"/bin", "->usr/bin"}, {"/usr/bin/busybox", "elf"}, {"/opt/busybox", "elf"}});
  std::vector<Package> pkgs = {
      make("busybox-static", "deb", {"/var/lib/dpkg/status"}, {"/bin/busybox"}),
      make("busybox", "binary", {"/usr/bin/busybox"}),
      make("busybox", "binary", {"/opt/busybox"}),
      make("app", "go-module", {"/opt/app"}),
  };
  auto r = apply_file_ownership(pkgs, {{3, 1}, {3, 2}}, fs);
  ASSERT_EQ(r.packages.size(), 3u);
  EXPECT_EQ(r.packages[1].locations.front(), "/opt/busybox") << "an unowned copy stays visible";
  EXPECT_TRUE(r.ownerships.empty());
  EXPECT_EQ(r.dependencies, (std::vector<Dependency>{{2, 1}})) << "edges to the dropped binary go with it";
}

TEST(Ownership, NothingChangesWithoutOsPackages) {
  auto fs = cairn::testing::make_fs({});
  std::vector<Package> pkgs = {make("a", "npm", {"/a/package.json"}), make("b", "binary", {"/b"})};
  auto r = apply_file_ownership(pkgs, {{0, 1}}, fs);
  EXPECT_EQ(r.packages.size(), 2u);
  EXPECT_EQ(r.dependencies.size(), 1u);
}

TEST(Ownership, BothFormatsRecordIt) {
  auto inv = cairn::testing::sample_image_inventory();
  ASSERT_GE(inv.packages.size(), 2u);
  inv.ownerships = {{0, 1}};
  auto spdx = nlohmann::json::parse(write_spdx_json(inv, cairn::testing::sample_options()));
  int other = 0;
  for (const auto& r : spdx["relationships"])
    if (r["relationshipType"] == "OTHER") {
      ++other;
      EXPECT_TRUE(r["comment"].get<std::string>().starts_with("ownership-by-file-overlap"));
    }
  EXPECT_EQ(other, 1);
  auto cdx = nlohmann::json::parse(write_cyclonedx_json(inv, cairn::testing::sample_options()));
  int owned = 0;
  for (const auto& c : cdx["components"])
    for (const auto& p : c.value("properties", nlohmann::json::array()))
      if (p["name"] == "cairn:ownedBy") ++owned;
  EXPECT_EQ(owned, 1);
}

}  // namespace
}  // namespace cairn::sbom
