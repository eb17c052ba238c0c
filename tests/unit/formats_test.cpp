#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>

#include "sample_inventory.h"
#include "sbom/formats/cyclonedx_json.h"
#include "sbom/formats/ids.h"
#include "sbom/formats/source_identity.h"
#include "sbom/formats/spdx_json.h"
#include "sbom/formats/table.h"
#include "sbom/formats/timestamp.h"

namespace cairn::sbom {
namespace {

using cairn::testing::sample_directory_inventory;
using cairn::testing::sample_image_inventory;
using cairn::testing::sample_options;
using nlohmann::json;

// The same inventory with its packages in another order and the dependencies following them.
Inventory shuffled(const Inventory& in, unsigned seed) {
  std::vector<std::size_t> perm(in.packages.size());
  for (std::size_t i = 0; i < perm.size(); ++i) perm[i] = i;
  std::mt19937 rng(seed);
  std::shuffle(perm.begin(), perm.end(), rng);
  Inventory out = in;
  std::vector<std::size_t> new_index(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) {
    out.packages[i] = in.packages[perm[i]];
    new_index[perm[i]] = i;
  }
  out.dependencies.clear();
  for (const auto& d : in.dependencies) out.dependencies.push_back({new_index[d.from], new_index[d.to]});
  std::reverse(out.dependencies.begin(), out.dependencies.end());
  return out;
}

const json* find_package(const json& spdx, const std::string& name) {
  for (const auto& p : spdx["packages"]) {
    if (p["name"] == name) return &p;
  }
  return nullptr;
}

const json* find_component(const json& bom, const std::string& name) {
  for (const auto& c : bom["components"]) {
    if (c["name"] == name) return &c;
  }
  return nullptr;
}

std::string property(const json& component, const std::string& name) {
  for (const auto& p : component.value("properties", json::array())) {
    if (p["name"] == name) return p["value"];
  }
  return "";
}

bool has_relationship(const json& spdx, const std::string& from, const std::string& type, const std::string& to) {
  for (const auto& r : spdx["relationships"]) {
    if (r["spdxElementId"] == from && r["relationshipType"] == type && r["relatedSpdxElement"] == to) return true;
  }
  return false;
}

// ---------------------------------------------------------------- determinism

TEST(Formats, SameInventoryGivesSameBytes) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  opts.include_files = true;
  EXPECT_EQ(write_spdx_json(inv, opts), write_spdx_json(inv, opts));
  EXPECT_EQ(write_cyclonedx_json(inv, opts), write_cyclonedx_json(inv, opts));
  EXPECT_EQ(write_table(inv), write_table(inv));
}

TEST(Formats, PackageOrderDoesNotShow) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  opts.include_files = true;
  const std::string spdx = write_spdx_json(inv, opts);
  const std::string cdx = write_cyclonedx_json(inv, opts);
  opts.cyclonedx_minor = 5;
  const std::string cdx15 = write_cyclonedx_json(inv, opts);
  opts.cyclonedx_minor = 6;
  const std::string table = write_table(inv);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto other = shuffled(inv, seed);
    EXPECT_EQ(write_spdx_json(other, opts), spdx) << seed;
    EXPECT_EQ(write_cyclonedx_json(other, opts), cdx) << seed;
    opts.cyclonedx_minor = 5;
    EXPECT_EQ(write_cyclonedx_json(other, opts), cdx15) << seed;
    opts.cyclonedx_minor = 6;
    EXPECT_EQ(write_table(other), table) << seed;
  }
}

TEST(Formats, DifferentContentGivesDifferentIdentifiers) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  auto a_spdx = json::parse(write_spdx_json(inv, opts));
  auto a_cdx = json::parse(write_cyclonedx_json(inv, opts));
  inv.packages[1].version = "1:1.2.13.dfsg-2";
  auto b_spdx = json::parse(write_spdx_json(inv, opts));
  auto b_cdx = json::parse(write_cyclonedx_json(inv, opts));
  EXPECT_NE(a_spdx["documentNamespace"], b_spdx["documentNamespace"]);
  EXPECT_NE(a_cdx["serialNumber"], b_cdx["serialNumber"]);
}

TEST(Formats, IdenticalPackagesAreMergedAndStable) {
  auto inv = sample_image_inventory();
  inv.packages.push_back(inv.packages[1]);  // an exact duplicate of zlib1g
  inv.dependencies.push_back({7, 0});
  auto opts = sample_options();
  auto spdx = json::parse(write_spdx_json(inv, opts));
  int zlib = 0;
  for (const auto& p : spdx["packages"]) zlib += p["name"] == "zlib1g";
  EXPECT_EQ(zlib, 1);
  EXPECT_EQ(write_spdx_json(inv, opts), write_spdx_json(shuffled(inv, 7), opts));
  EXPECT_EQ(write_cyclonedx_json(inv, opts), write_cyclonedx_json(shuffled(inv, 7), opts));
}

TEST(Formats, OutputEndsWithNewline) {
  auto inv = sample_image_inventory();
  EXPECT_EQ(write_spdx_json(inv, sample_options()).back(), '\n');
  EXPECT_EQ(write_cyclonedx_json(inv, sample_options()).back(), '\n');
  EXPECT_EQ(write_table(inv).back(), '\n');
}

// ---------------------------------------------------------------- timestamps and ids

TEST(Timestamp, Rfc3339Utc) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1700000000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(rfc3339_utc(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(4102444799), "2099-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(-5), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(INT64_MAX), "9999-12-31T23:59:59Z");
}

TEST(Timestamp, SourceDateEpochReachesBothFormats) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  opts.created_epoch = 1234567890;
  auto spdx = json::parse(write_spdx_json(inv, opts));
  auto cdx = json::parse(write_cyclonedx_json(inv, opts));
  EXPECT_EQ(spdx["creationInfo"]["created"], "2009-02-13T23:31:30Z");
  EXPECT_EQ(cdx["metadata"]["timestamp"], "2009-02-13T23:31:30Z");
}

TEST(Ids, UuidV5MatchesRfc4122) {
  // Python: uuid.uuid5(uuid.NAMESPACE_URL, "http://python.org/")
  EXPECT_EQ(uuid_v5("http://python.org/"), "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
  std::regex form("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  EXPECT_TRUE(std::regex_match(content_uuid("abc"), form));
}

TEST(Ids, SanitizeSpdxId) {
  EXPECT_EQ(sanitize_spdx_id("lib c++/x_y:1"), "lib-c---x-y-1");
  EXPECT_EQ(sanitize_spdx_id(std::string(100, 'a')).size(), 64u);
}

TEST(ImagePurl, OciPurlWithQualifiers) {
  auto inv = sample_image_inventory();
  EXPECT_EQ(image_purl(inv.source), "pkg:oci/app@sha256%3A" + std::string(64, 'a') +
                                        "?arch=amd64&repository_url=lab/app&tag=latest");
  inv.source.name = "App";
  inv.source.tag = "";
  inv.source.architecture = "";
  EXPECT_EQ(image_purl(inv.source), "pkg:oci/app@sha256%3A" + std::string(64, 'a'));
  inv.source.manifest_digest = "";
  EXPECT_EQ(image_purl(inv.source), "");
  EXPECT_EQ(image_purl(sample_directory_inventory().source), "");
}

// ---------------------------------------------------------------- SPDX content

TEST(SpdxJson, DocumentDescribesTheImage) {
  auto spdx = json::parse(write_spdx_json(sample_image_inventory(), sample_options()));
  EXPECT_EQ(spdx["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(spdx["dataLicense"], "CC0-1.0");
  EXPECT_EQ(spdx["name"], "lab/app:latest");
  EXPECT_EQ(spdx["creationInfo"]["creators"], json::array({"Tool: cairn-0.1.0"}));
  const std::string ns = spdx["documentNamespace"];
  EXPECT_TRUE(ns.starts_with("https://cairn.invalid/sbom/image/lab/app-latest-")) << ns;
  EXPECT_EQ(ns.find('#'), std::string::npos);

  const json* root = find_package(spdx, "lab/app");
  ASSERT_NE(root, nullptr);
  const std::string root_id = (*root)["SPDXID"];
  EXPECT_EQ(spdx["documentDescribes"], json::array({root_id}));
  EXPECT_TRUE(has_relationship(spdx, "SPDXRef-DOCUMENT", "DESCRIBES", root_id));
  EXPECT_EQ((*root)["primaryPackagePurpose"], "CONTAINER");
  EXPECT_EQ((*root)["versionInfo"], "sha256:" + std::string(64, 'a'));
  EXPECT_EQ((*root)["checksums"][0]["algorithm"], "SHA256");
  EXPECT_EQ((*root)["checksums"][0]["checksumValue"], std::string(64, 'a'));
  EXPECT_EQ((*root)["externalRefs"][0]["referenceLocator"], image_purl(sample_image_inventory().source));
  const std::string facts = (*root)["annotations"][0]["comment"];
  EXPECT_NE(facts.find("cairn:image:configDigest=sha256:" + std::string(64, 'b')), std::string::npos);

  for (const auto& p : spdx["packages"]) {
    if (p["SPDXID"] != root_id) {
      EXPECT_TRUE(has_relationship(spdx, root_id, "CONTAINS", p["SPDXID"])) << p["name"];
    }
  }
}

TEST(SpdxJson, PackageFields) {
  auto spdx = json::parse(write_spdx_json(sample_image_inventory(), sample_options()));
  const json* libc = find_package(spdx, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ((*libc)["licenseDeclared"], "LGPL-2.1+ AND GPL-2.0+");
  EXPECT_EQ((*libc)["licenseConcluded"], "NOASSERTION");
  EXPECT_EQ((*libc)["downloadLocation"], "NOASSERTION");
  EXPECT_EQ((*libc)["filesAnalyzed"], false);
  EXPECT_EQ((*libc)["supplier"], "Person: Debian Maintainers (maint@lists.debian.org)");
  EXPECT_EQ((*libc)["sourceInfo"],
            "acquired package info from dpkg-db-cataloger: /var/lib/dpkg/status, /usr/share/doc/libc6/copyright");
  const auto& refs = (*libc)["externalRefs"];
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0]["referenceCategory"], "SECURITY");
  EXPECT_EQ(refs[0]["referenceType"], "cpe23Type");
  EXPECT_EQ(refs[2]["referenceCategory"], "PACKAGE-MANAGER");
  EXPECT_EQ(refs[2]["referenceType"], "purl");
  EXPECT_EQ(refs[2]["referenceLocator"], "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
  EXPECT_EQ((*libc)["annotations"][0]["annotator"], "Tool: cairn-0.1.0");
  EXPECT_EQ((*libc)["annotations"][0]["annotationType"], "OTHER");
  EXPECT_EQ((*libc)["annotations"][0]["annotationDate"], "2023-11-14T22:13:20Z");
  EXPECT_EQ((*libc)["annotations"][0]["comment"], "cairn:layerDigest=sha256:" + std::string(64, '1') +
                                                        " cairn:layerDiffID=sha256:" + std::string(64, '2') +
                                                        " cairn:layerIndex=0");

  const json* perl = find_package(spdx, "perl-base");
  EXPECT_EQ((*perl)["licenseDeclared"], "Artistic-1.0-Perl OR GPL-1.0+");
  const json* bash = find_package(spdx, "bash");
  EXPECT_EQ((*bash)["licenseDeclared"], "GPL-3.0+ AND GPL-3.0-or-later WITH Bison-exception-2.2");

  const json* mystery = find_package(spdx, "mystery");
  EXPECT_EQ((*mystery)["supplier"], "NOASSERTION");
  EXPECT_EQ((*mystery)["licenseDeclared"], "NOASSERTION");
  EXPECT_FALSE(mystery->contains("externalRefs"));
}

TEST(SpdxJson, NonSpdxLicensesBecomeDeclaredLicenseRefs) {
  auto spdx = json::parse(write_spdx_json(sample_image_inventory(), sample_options()));
  const json* ssl = find_package(spdx, "libssl3");
  EXPECT_EQ((*ssl)["licenseDeclared"], "Apache-2.0 AND LicenseRef-Artistic AND LicenseRef-public-domain");
  std::map<std::string, std::string> declared;
  for (const auto& info : spdx["hasExtractedLicensingInfos"]) declared[info["licenseId"]] = info["extractedText"];
  EXPECT_EQ(declared["LicenseRef-Artistic"], "Artistic");
  EXPECT_EQ(declared["LicenseRef-public-domain"], "public-domain");
  EXPECT_EQ(declared.size(), 2u);
}

TEST(SpdxJson, LicenseRefCollisionsGetDistinctIds) {
  auto inv = sample_image_inventory();
  inv.packages[0].licenses = {"public domain"};
  inv.packages[1].licenses = {"public/domain"};
  auto spdx = json::parse(write_spdx_json(inv, sample_options()));
  std::set<std::string> ids;
  for (const auto& info : spdx["hasExtractedLicensingInfos"]) ids.insert(info["licenseId"]);
  EXPECT_EQ(ids.size(), spdx["hasExtractedLicensingInfos"].size());
  EXPECT_NE((*find_package(spdx, "libc6"))["licenseDeclared"], (*find_package(spdx, "zlib1g"))["licenseDeclared"]);
}

TEST(SpdxJson, DependenciesAndDeletedPackages) {
  auto spdx = json::parse(write_spdx_json(sample_image_inventory(), sample_options()));
  auto id = [&](const std::string& name) { return (*find_package(spdx, name))["SPDXID"].get<std::string>(); };
  EXPECT_TRUE(has_relationship(spdx, id("bash"), "DEPENDS_ON", id("libc6")));
  EXPECT_TRUE(has_relationship(spdx, id("libc6"), "DEPENDS_ON", id("zlib1g")));
  EXPECT_TRUE(has_relationship(spdx, id("curl"), "DEPENDS_ON", id("libssl3")));
  const auto& notes = (*find_package(spdx, "curl"))["annotations"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1]["comment"], "cairn:layerDeleted=true");
  EXPECT_EQ((*find_package(spdx, "libc6"))["annotations"].size(), 1u);
}

TEST(SpdxJson, FilesOnlyWhenAsked) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  auto without = json::parse(write_spdx_json(inv, opts));
  EXPECT_FALSE(without.contains("files"));
  opts.include_files = true;
  auto with = json::parse(write_spdx_json(inv, opts));
  ASSERT_TRUE(with.contains("files"));
  const json* libc = find_package(with, "libc6");
  EXPECT_EQ((*libc)["filesAnalyzed"], true);
  EXPECT_EQ((*find_package(with, "mystery"))["filesAnalyzed"], false);
  std::string copyright_id;
  std::set<std::string> ids;
  for (const auto& f : with["files"]) {
    ids.insert(f["SPDXID"]);
    EXPECT_EQ(f["checksums"][0]["algorithm"], "SHA1");
    if (f["fileName"] == "usr/share/doc/libc6/copyright") copyright_id = f["SPDXID"];
  }
  EXPECT_EQ(ids.size(), with["files"].size());
  ASSERT_FALSE(copyright_id.empty());
  EXPECT_TRUE(has_relationship(with, (*libc)["SPDXID"], "CONTAINS", copyright_id));
}

TEST(SpdxJson, DirectorySourceIsTheRoot) {
  auto spdx = json::parse(write_spdx_json(sample_directory_inventory(), sample_options()));
  const json* root = find_package(spdx, "/srv/rootfs");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["primaryPackagePurpose"], "FILE");
  EXPECT_EQ((*root)["SPDXID"], "SPDXRef-DocumentRoot-Directory--srv-rootfs");
  EXPECT_FALSE(root->contains("externalRefs"));
  EXPECT_TRUE(spdx["documentNamespace"].get<std::string>().starts_with("https://cairn.invalid/sbom/dir/srv/rootfs-"));
}

TEST(SpdxJson, EmptyInventory) {
  Inventory inv;
  inv.source.name = "empty";
  inv.source.manifest_digest = "sha256:" + std::string(64, 'c');
  auto spdx = json::parse(write_spdx_json(inv, sample_options()));
  EXPECT_EQ(spdx["packages"].size(), 1u);
  EXPECT_EQ(spdx["relationships"].size(), 1u);
}

// ---------------------------------------------------------------- CycloneDX content

TEST(CycloneDxJson, MetadataDescribesTheContainer) {
  auto cdx = json::parse(write_cyclonedx_json(sample_image_inventory(), sample_options()));
  EXPECT_EQ(cdx["bomFormat"], "CycloneDX");
  EXPECT_EQ(cdx["specVersion"], "1.6");
  EXPECT_EQ(cdx["$schema"], "http://cyclonedx.org/schema/bom-1.6.schema.json");
  EXPECT_EQ(cdx["version"], 1);
  EXPECT_TRUE(std::regex_match(cdx["serialNumber"].get<std::string>(),
                               std::regex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")));
  EXPECT_EQ(cdx["metadata"]["tools"]["components"][0]["name"], "cairn");
  EXPECT_EQ(cdx["metadata"]["tools"]["components"][0]["version"], "0.1.0");
  const auto& c = cdx["metadata"]["component"];
  EXPECT_EQ(c["type"], "container");
  EXPECT_EQ(c["name"], "lab/app");
  EXPECT_EQ(c["version"], "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(c["hashes"][0]["alg"], "SHA-256");
  EXPECT_EQ(c["bom-ref"], image_purl(sample_image_inventory().source));
  EXPECT_EQ(property(c, "cairn:distro:id"), "debian");
  EXPECT_EQ(property(c, "cairn:image:configDigest"), "sha256:" + std::string(64, 'b'));
}

TEST(CycloneDxJson, ComponentsAndProperties) {
  auto inv = sample_image_inventory();
  auto cdx = json::parse(write_cyclonedx_json(inv, sample_options()));
  const json* libc = find_component(cdx, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ((*libc)["type"], "library");
  EXPECT_EQ((*libc)["bom-ref"], (*libc)["purl"]);
  EXPECT_EQ((*libc)["cpe"], inv.packages[0].cpes[0]);
  EXPECT_EQ((*libc)["publisher"], "Debian Maintainers <maint@lists.debian.org>");
  EXPECT_EQ((*libc)["supplier"]["name"], "Debian Maintainers");
  EXPECT_EQ(property(*libc, "cairn:package:foundBy"), "dpkg-db-cataloger");
  EXPECT_EQ(property(*libc, "cairn:package:arch"), "amd64");
  EXPECT_EQ(property(*libc, "cairn:package:sourceName"), "libc6-src");
  EXPECT_EQ(property(*libc, "cairn:cpe23"), inv.packages[0].cpes[1]);
  EXPECT_EQ(property(*libc, "cairn:location:0:path"), "/var/lib/dpkg/status");
  EXPECT_EQ(property(*libc, "cairn:location:1:path"), "/usr/share/doc/libc6/copyright");
  EXPECT_EQ(property(*libc, "cairn:metadata:installedSize"), "123");
  EXPECT_EQ(property(*libc, "cairn:layer:digest"), "sha256:" + std::string(64, '1'));
  EXPECT_EQ(property(*libc, "cairn:layer:diffID"), "sha256:" + std::string(64, '2'));
  EXPECT_EQ(property(*libc, "cairn:layer:index"), "0");
  EXPECT_EQ(property(*libc, "cairn:layer:deleted"), "");
  EXPECT_EQ(property(*find_component(cdx, "curl"), "cairn:layer:deleted"), "true");
  EXPECT_EQ(property(*find_component(cdx, "libssl3"), "cairn:layer:index"), "1");

  std::vector<std::string> names;
  for (const auto& p : (*libc)["properties"]) names.push_back(p["name"]);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  const json* os = find_component(cdx, "debian");
  ASSERT_NE(os, nullptr);
  EXPECT_EQ((*os)["type"], "operating-system");
  EXPECT_EQ((*os)["bom-ref"], "os:debian@12");
  EXPECT_EQ((*os)["version"], "12");
}

TEST(CycloneDxJson, FilesAsPropertiesOnlyWhenAsked) {
  auto inv = sample_image_inventory();
  auto opts = sample_options();
  EXPECT_EQ(property(*find_component(json::parse(write_cyclonedx_json(inv, opts)), "libc6"), "cairn:file:path"), "");
  opts.include_files = true;
  auto cdx = json::parse(write_cyclonedx_json(inv, opts));
  std::vector<std::string> files;
  for (const auto& p : (*find_component(cdx, "libc6"))["properties"]) {
    if (p["name"] == "cairn:file:path") files.push_back(p["value"]);
  }
  EXPECT_EQ(files, (std::vector<std::string>{"/usr/lib/x86_64-linux-gnu/liblibc6.so.1", "/usr/share/doc/libc6/copyright"}));
}

TEST(CycloneDxJson, LicenseChoices) {
  auto cdx = json::parse(write_cyclonedx_json(sample_image_inventory(), sample_options()));
  // Only SPDX ids: a list of ids.
  EXPECT_EQ((*find_component(cdx, "zlib1g"))["licenses"],
            json::parse(R"([{"license":{"id":"Zlib","acknowledgement":"declared"}}])"));
  // SPDX ids and expressions only: one expression.
  EXPECT_EQ((*find_component(cdx, "libc6"))["licenses"],
            json::parse(R"([{"expression":"LGPL-2.1+ AND GPL-2.0+","acknowledgement":"declared"}])"));
  // Text that is not SPDX: names beside the ids.
  EXPECT_EQ((*find_component(cdx, "libssl3"))["licenses"], json::parse(R"([
      {"license":{"id":"Apache-2.0","acknowledgement":"declared"}},
      {"license":{"name":"Artistic","acknowledgement":"declared"}},
      {"license":{"name":"public-domain","acknowledgement":"declared"}}])"));
  EXPECT_FALSE(find_component(cdx, "mystery")->contains("licenses"));
}

TEST(CycloneDxJson, Version15) {
  auto opts = sample_options();
  opts.cyclonedx_minor = 5;
  auto cdx = json::parse(write_cyclonedx_json(sample_image_inventory(), opts));
  EXPECT_EQ(cdx["specVersion"], "1.5");
  EXPECT_EQ(cdx["$schema"], "http://cyclonedx.org/schema/bom-1.5.schema.json");
  EXPECT_EQ((*find_component(cdx, "zlib1g"))["licenses"], json::parse(R"([{"license":{"id":"Zlib"}}])"));
}

TEST(CycloneDxJson, DependencyGraph) {
  auto cdx = json::parse(write_cyclonedx_json(sample_image_inventory(), sample_options()));
  std::map<std::string, std::vector<std::string>> graph;
  for (const auto& d : cdx["dependencies"]) graph[d["ref"]] = d["dependsOn"];
  auto ref = [&](const std::string& name) { return (*find_component(cdx, name))["bom-ref"].get<std::string>(); };
  EXPECT_EQ(graph.size(), cdx["components"].size() + 1);  // every component and the container
  EXPECT_EQ(graph[ref("libc6")], std::vector<std::string>{ref("zlib1g")});
  EXPECT_EQ(graph[ref("zlib1g")], std::vector<std::string>{});
  EXPECT_EQ(graph[ref("debian")], std::vector<std::string>{});
  // The container depends on what nothing else depends on.
  std::vector<std::string> top = graph[cdx["metadata"]["component"]["bom-ref"]];
  std::set<std::string> top_set(top.begin(), top.end());
  EXPECT_TRUE(top_set.contains(ref("bash")));
  EXPECT_TRUE(top_set.contains(ref("curl")));
  EXPECT_TRUE(top_set.contains(ref("mystery")));
  EXPECT_FALSE(top_set.contains(ref("libc6")));
}

TEST(CycloneDxJson, SharedPurlsGetPackageIdQualifier) {
  auto inv = sample_image_inventory();
  inv.packages[1].purl = inv.packages[0].purl;  // two packages claiming one purl
  auto cdx = json::parse(write_cyclonedx_json(inv, sample_options()));
  std::set<std::string> refs;
  for (const auto& c : cdx["components"]) {
    refs.insert(c["bom-ref"]);
    if (c.value("purl", "") == inv.packages[0].purl) {
      EXPECT_NE(c["bom-ref"].get<std::string>().find("&package-id="), std::string::npos) << c["bom-ref"];
    }
  }
  EXPECT_EQ(refs.size(), cdx["components"].size());
}

TEST(CycloneDxJson, DirectoryAndEmpty) {
  auto cdx = json::parse(write_cyclonedx_json(sample_directory_inventory(), sample_options()));
  EXPECT_EQ(cdx["metadata"]["component"]["type"], "file");
  EXPECT_EQ(cdx["metadata"]["component"]["name"], "/srv/rootfs");
  Inventory empty;
  empty.source.kind = SourceInfo::Kind::Directory;
  empty.source.name = "/empty";
  auto e = json::parse(write_cyclonedx_json(empty, sample_options()));
  EXPECT_EQ(e["components"], json::array());
  EXPECT_EQ(e["dependencies"].size(), 1u);
}

// ---------------------------------------------------------------- hostile inventories

TEST(Formats, HostileInventoryStillWrites) {
  auto inv = sample_image_inventory();
  inv.packages[0].name = "bad\xff\xfe name\x1b[31m";
  inv.packages[0].purl = "pkg:deb/has space";
  inv.packages[0].cpes = {"cpe with space"};
  inv.packages[1].layer = 99;  // outside the source's layers
  inv.packages[2].layer = -7;
  inv.dependencies.push_back({100, 0});
  inv.dependencies.push_back({0, 0});
  inv.release->home_url = "not a url";
  auto opts = sample_options();
  opts.include_files = true;
  auto spdx = json::parse(write_spdx_json(inv, opts));
  auto cdx = json::parse(write_cyclonedx_json(inv, opts));
  const json* zlib = find_component(cdx, "zlib1g");
  EXPECT_EQ(property(*zlib, "cairn:layer:index"), "");
  for (const auto& c : cdx["components"]) EXPECT_NE(c.value("purl", ""), "pkg:deb/has space");
  const std::string table = write_table(inv);
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
}

// ---------------------------------------------------------------- table

TEST(Table, AlignedLikeSyft) {
  Inventory inv;
  Package a;
  a.name = "package-2";
  a.version = "2.0.1";
  a.type = "deb";
  Package b;
  b.name = "package-1";
  b.version = "1.0.1";
  b.type = "python";
  inv.packages = {a, b};
  EXPECT_EQ(write_table(inv),
            "NAME       VERSION  TYPE    \n"
            "package-1  1.0.1    python  \n"
            "package-2  2.0.1    deb     \n");
}

TEST(Table, ControlCharactersAndBadUtf8AreMasked) {
  Inventory inv;
  Package a;
  a.name = "caf\xc3\xa9\x1b[2J";
  a.version = "\xff\xc2\x9b" "1";  // a stray byte, then U+009B (CSI)
  a.type = "deb";
  inv.packages = {a};
  EXPECT_EQ(write_table(inv),
            "NAME      VERSION  TYPE  \n"
            "caf\xc3\xa9?[2J  ??1      deb   \n");
}

TEST(Table, EmptyDuplicatesAndDeleted) {
  EXPECT_EQ(write_table(Inventory{}), "No packages discovered\n");
  Inventory inv;
  Package a;
  a.name = "a";
  a.version = "1";
  a.type = "deb";
  Package gone = a;
  gone.deleted = true;
  inv.packages = {a, a, a, gone};
  EXPECT_EQ(write_table(inv),
            "NAME  VERSION  TYPE                   \n"
            "a     1        deb   (+2 duplicates)  \n"
            "a     1        deb   (deleted)        \n");
}

}  // namespace
}  // namespace cairn::sbom
