// The dpkg cataloger: status parser, info files, copyright licenses, dependency
// resolution, purls, and the cataloger over in-memory filesystems.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sbom/capture.h"
#include "sbom/catalogers/dpkg.h"
#include "sbom/catalogers/dpkg_copyright.h"
#include "sbom/catalogers/dpkg_relations.h"
#include "sbom/catalogers/dpkg_status.h"
#include "sbom/purl.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::make_fs;
using Strings = std::vector<std::string>;

const char* kAptStanza =
    "Package: apt\n"
    "Status: install ok installed\n"
    "Priority: required\n"
    "Installed-Size: 4064\n"
    "Maintainer: APT Development Team <deity@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Version: 1.8.2\n"
    "Source: apt-dev (1.8.1)\n"
    "Provides: apt-transport-https (= 1.8.2)\n"
    "Depends: adduser, gpgv | gpgv2 | gpgv1, libc6 (>= 2.15)\n"
    "Pre-Depends: libgcc1 (>= 1:3.0)\n"
    "Conffiles:\n"
    " /etc/apt/apt.conf.d/01autoremove 76120d358bc9037bb6358e737b3050b5\n"
    " /etc/cron.daily/apt-compat 49e9b2cfa17849700d4db735d04244f3\n"
    "Description: commandline package manager\n"
    " This package provides commandline tools.\n"
    " .\n"
    "  * apt-get for retrieval of packages\n"
    "\n";

// ---- status parser ----

TEST(DpkgStatus, ParsesTheFieldsSyftKeeps) {
  auto r = dpkg::parse_status(kAptStanza);
  ASSERT_TRUE((r.errors).empty());
  ASSERT_EQ(r.entries.size(), 1u);
  const auto& e = r.entries[0];
  EXPECT_EQ(e.package, "apt");
  EXPECT_EQ(e.version, "1.8.2");
  EXPECT_EQ(e.architecture, "amd64");
  EXPECT_EQ(e.source, "apt-dev");
  EXPECT_EQ(e.source_version, "1.8.1");
  EXPECT_EQ(e.maintainer, "APT Development Team <deity@lists.debian.org>");
  EXPECT_EQ(e.installed_size, 4064u);
  EXPECT_EQ(e.provides, (Strings{"apt-transport-https (= 1.8.2)"}));
  EXPECT_EQ(e.depends, (Strings{"adduser", "gpgv | gpgv2 | gpgv1", "libc6 (>= 2.15)"}));
  EXPECT_EQ(e.pre_depends, (Strings{"libgcc1 (>= 1:3.0)"}));
  EXPECT_EQ(e.description,
            "commandline package manager\n This package provides commandline tools.\n .\n * apt-get for retrieval of "
            "packages");
  ASSERT_EQ(e.conffiles.size(), 2u);
  EXPECT_EQ(e.conffiles[0], (dpkg::FileRecord{"/etc/apt/apt.conf.d/01autoremove", "76120d358bc9037bb6358e737b3050b5", true}));
}

TEST(DpkgStatus, DropsEmptyPackageDeinstallAndNotInstalled) {
  auto r = dpkg::parse_status(
      "Package:\n\n"
      "Package: no-version\n\n"
      "Package: gone\nStatus: deinstall ok config-files\n\n"
      "Package: purged\nStatus: purge ok not-installed\n\n"
      "Package: unpacked\nStatus: install ok unpacked\n");
  EXPECT_TRUE((r.errors).empty());
  Strings names;
  for (const auto& e : r.entries) names.push_back(e.package);
  EXPECT_EQ(names, (Strings{"no-version", "unpacked"}));
}

TEST(DpkgStatus, CrlfAndWhitespaceOnlySeparators) {
  auto r = dpkg::parse_status("Package: a\r\nVersion: 1\r\nDescription: x\r\n more\r\n\r\nPackage: b\n \t \nPackage: c\n");
  ASSERT_TRUE((r.errors).empty());
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].version, "1");
  EXPECT_EQ(r.entries[0].description, "x\n more");
  EXPECT_EQ(r.entries[1].package, "b");
  EXPECT_EQ(r.entries[2].package, "c");
}

// Syft's reader drops a last line without "\n" (its "no more packages" case yields
// nothing); dpkg reads it, and so does cairn.
TEST(DpkgStatus, LastLineWithoutNewlineCounts) {
  auto r = dpkg::parse_status("Package: apt");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].package, "apt");
}

// Syft's "find keys" case.
TEST(DpkgStatus, FindKeysWithHumanInstalledSize) {
  auto r = dpkg::parse_status("Package: apt\nStatus: install ok installed\nInstalled-Size: 10kib\n\n");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].installed_size, 10240u);
  EXPECT_EQ(r.entries[0].version, "");
}

TEST(DpkgStatus, FieldNamesIgnoreCaseAndDashes) {
  auto r = dpkg::parse_status("package: x\nINSTALLED-SIZE: 7\npre-depends: y\n");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].installed_size, 7u);
  EXPECT_EQ(r.entries[0].pre_depends, (Strings{"y"}));
}

TEST(DpkgStatus, DuplicateFieldSkipsOnlyThatStanza) {
  auto r = dpkg::parse_status("Package: apt\nPackage: apt-get\n\nPackage: ok\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "stanza 1 (line 2, Package apt): field Package appears twice");
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].package, "ok");
}

TEST(DpkgStatus, ContinuationWithoutFieldIsAnError) {
  auto r = dpkg::parse_status("  Package: apt\n\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "stanza 1 (line 1): continuation line without a field before it: \"  Package: apt\"");
  EXPECT_TRUE((r.entries).empty());
}

// Syft's Test_corruptEntry fixture: a line without a colon is ignored, and the indented
// line after it then continues nothing.
TEST(DpkgStatus, CorruptEntryNamesStanzaAndLine) {
  auto r = dpkg::parse_status(
      "Pakij: apt\nStratus: install ok installed\nPrioority: required\nSection: admin\n"
      "Insterface to the configuration settings\n  * apt-key as an interface to manage authentication keys\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE((r.errors[0]).find("stanza 1 (line 6)"), std::string::npos);
  EXPECT_NE((r.errors[0]).find("continuation line without a field"), std::string::npos);
  EXPECT_TRUE((r.entries).empty());
}

TEST(DpkgStatus, TooManyFieldsIsAnError) {
  std::string text = "Package: p\n";
  for (int i = 0; i < 1100; ++i) text += "X" + std::to_string(i) + ": v\n";
  text += "\nPackage: q\n";
  auto r = dpkg::parse_status(text);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE((r.errors[0]).find("more than 1024 fields"), std::string::npos);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].package, "q");
}

TEST(DpkgStatus, ErrorQuotesAreShortened) {
  std::string text = " " + std::string(5000, 'x') + "\n";
  auto r = dpkg::parse_status(text);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_LT(r.errors[0].size(), 200u);
  EXPECT_NE((r.errors[0]).find("(5001 bytes, shortened)"), std::string::npos);
}

TEST(DpkgStatus, MegabyteLinesAndManyContinuationsStayLinear) {
  std::string big(1 << 20, 'a');
  std::string text = "Package: big\nDescription: " + big + "\n";
  for (int i = 0; i < 200000; ++i) text += " line\n";
  text += "Depends: " + big + "\n\n";
  // A quadratic parser would not finish within ctest's timeout; no clock is read here.
  auto r = dpkg::parse_status(text);
  ASSERT_EQ(r.entries.size(), 1u);
  EXPECT_EQ(r.entries[0].description.size(), big.size() + 200000 * 6);
  EXPECT_EQ(r.entries[0].depends, (Strings{big}));
}

TEST(DpkgStatus, BinaryGarbageDoesNotCrash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) & 0xff);
  auto r = dpkg::parse_status(junk);
  SUCCEED() << r.entries.size() << " entries, " << r.errors.size() << " errors";
}

TEST(DpkgStatus, InstalledSizeLikeGoHumanize) {
  EXPECT_EQ(dpkg::parse_installed_size("128"), 128u);
  EXPECT_EQ(dpkg::parse_installed_size("1kib"), 1024u);
  EXPECT_EQ(dpkg::parse_installed_size("1kb"), 1000u);
  EXPECT_EQ(dpkg::parse_installed_size("1 mb"), 1000000u);
  EXPECT_EQ(dpkg::parse_installed_size("4KB"), 4000u);
  EXPECT_EQ(dpkg::parse_installed_size("1,024"), 1024u);
  EXPECT_EQ(dpkg::parse_installed_size("1.5k"), 1500u);
  EXPECT_EQ(dpkg::parse_installed_size("1bla"), std::nullopt);
  EXPECT_EQ(dpkg::parse_installed_size(""), std::nullopt);
  EXPECT_EQ(dpkg::parse_installed_size("-5"), std::nullopt);
  EXPECT_EQ(dpkg::parse_installed_size("1.2.3"), std::nullopt);
  EXPECT_EQ(dpkg::parse_installed_size("99999999999999999999999 eib"), std::nullopt);
}

TEST(DpkgStatus, SourceVersionExtract) {
  EXPECT_EQ(dpkg::split_source("test (1.2.3)"), std::make_pair(std::string("test"), std::string("1.2.3")));
  EXPECT_EQ(dpkg::split_source("test"), std::make_pair(std::string("test"), std::string("")));
  EXPECT_EQ(dpkg::split_source(""), std::make_pair(std::string(""), std::string("")));
  EXPECT_EQ(dpkg::split_source("libselinux (3.4-1)"), std::make_pair(std::string("libselinux"), std::string("3.4-1")));
  EXPECT_EQ(dpkg::split_source("x (1"), std::make_pair(std::string("x"), std::string("")));
}

TEST(DpkgStatus, ClausesJoinContinuationLines) {
  EXPECT_EQ(dpkg::split_clauses("\n libluajit5.1-dev [i386 amd64],\n liblua5.1-dev [hurd-i386],"), (Strings{"libluajit5.1-dev [i386 amd64]", "liblua5.1-dev [hurd-i386]"}));
  EXPECT_EQ(dpkg::split_clauses("a\n (>= 1), , b"), (Strings{"a (>= 1)", "b"}));
  EXPECT_TRUE((dpkg::split_clauses("")).empty());
}

TEST(DpkgInfoFiles, Md5sums) {
  auto r = dpkg::parse_md5sums(
      "e11d70c96979a1328ae4e7e50542782b  usr/lib/libsqlite3.so.0\r\n\nnospace\n"
      "9d8facc2fa9d2df52f1c7cb4e5fa4741  usr/share/doc/with space/README");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0], (dpkg::FileRecord{"/usr/lib/libsqlite3.so.0", "e11d70c96979a1328ae4e7e50542782b", false}));
  EXPECT_EQ(r[1].path, "/usr/share/doc/with space/README");
}

TEST(DpkgInfoFiles, ConffilesFileAndField) {
  auto r = dpkg::parse_conffiles(
      "/etc/pam.conf\n"
      "remove-on-upgrade /etc/old.conf\n"
      " /etc/pam.d/other 31aa7f2181889ffb00b87df4126d1701\n"
      " /etc/gone 31aa7f2181889ffb00b87df4126d1701 obsolete\n"
      " /etc/new newconffile\n"
      "\n");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], (dpkg::FileRecord{"/etc/pam.conf", "", true}));
  EXPECT_EQ(r[1], (dpkg::FileRecord{"/etc/old.conf", "", true}));
  EXPECT_EQ(r[2], (dpkg::FileRecord{"/etc/pam.d/other", "31aa7f2181889ffb00b87df4126d1701", true}));
  EXPECT_EQ(r[3], (dpkg::FileRecord{"/etc/gone", "31aa7f2181889ffb00b87df4126d1701", true}));
  EXPECT_EQ(r[4], (dpkg::FileRecord{"/etc/new", "newconffile", true}));
}

TEST(DpkgInfoFiles, ListKeepsLeavesOnly) {
  auto leaves = dpkg::parse_list_leaves("/.\n/usr\n/usr/bin\n/usr/bin/bash\n/usr-x\n/usr/share/doc/bash/\n/bin/sh\t0755\n");
  EXPECT_EQ(leaves, (Strings{"/bin/sh", "/usr-x", "/usr/bin/bash", "/usr/share/doc/bash"}));
}

TEST(DpkgInfoFiles, DeepAndLongListPathsStayFast) {
  std::string deep;
  for (int i = 0; i < 300000; ++i) deep += "/a";
  std::string text = deep + "\n" + deep.substr(0, deep.size() / 2) + "\n";
  for (int i = 0; i < 20000; ++i) text += "/d/" + std::to_string(i) + "\n";
  auto leaves = dpkg::parse_list_leaves(text);
  EXPECT_EQ(leaves.size(), 20001u);
}

// ---- copyright ----

const char* kDep5 =
    "Format: http://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: auditd\n"
    "\n"
    "Files: *\n"
    "License: GPL-2\n"
    "\n"
    "Files: lib/*\n"
    "License: LGPL-2.1\n"
    "  On Debian systems, refer to /usr/share/common-licenses/LGPL-2.1\n"
    "\n"
    "License: GPL-2+ or Artistic\n"
    "License: none\n"
    "License: public-domain.\n"
    " the complete text can be found in `/usr/share/common-licenses/GPL-1'.\n";

TEST(DpkgCopyright, MachineReadableLikeSyft) {
  EXPECT_EQ(dpkg::licenses_from_copyright(kDep5), (Strings{"GPL-1", "GPL-2", "GPL-2+", "LGPL-2.1", "public-domain"}));
}

TEST(DpkgCopyright, CrlfAndLeadingBlankLines) {
  EXPECT_EQ(dpkg::licenses_from_copyright(
                  "\r\n\nFormat: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\r\nLicense: MIT\r\n"), (Strings{"MIT"}));
}

TEST(DpkgCopyright, FreeFormFilesGiveOnlyCommonLicenseReferences) {
  EXPECT_EQ(dpkg::licenses_from_copyright("This is the Debian package of foo.\n"
                                            "License: GPL-2\n"
                                            "See /usr/share/common-licenses/GPL-3 and /usr/share/common-licenses/BSD.\n"
                                            "Not a reference: /usr/share/common-licenses/\n"), (Strings{"GPL-3"}));
  EXPECT_TRUE((dpkg::licenses_from_copyright("Some-Field: x\nFormat: https://www.debian.org/doc/packaging-manuals/"
                                            "copyright-format/1.0/\nLicense: MIT\n")).empty());
  EXPECT_TRUE((dpkg::licenses_from_copyright("")).empty());
}

TEST(DpkgCopyright, HeadingsAndAgreements) {
  EXPECT_EQ(dpkg::licenses_from_copyright("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                                            "------------\n"
                                            "\n"
                                            "Acme Public License\n"
                                            "version 2. Rest of text.\n"
                                            "  LICENSE AGREEMENT FOR ACME TOOLS  \n"
                                            "license agreement\n"), (Strings{"Acme Public License version 2", "LICENSE AGREEMENT FOR ACME TOOLS", "license agreement"}));
}

TEST(DpkgCopyright, LongHeadingWithoutPeriodStaysLinear) {
  std::string text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n---\n\n";
  for (int i = 0; i < 100000; ++i) text += "word word word word\n";
  auto found = dpkg::licenses_from_copyright(text);
  EXPECT_TRUE((found).empty());
}

TEST(DpkgCopyright, DeclaredLicenseField) {
  EXPECT_EQ(dpkg::split_declared_license("MIT"), (Strings{"MIT"}));
  EXPECT_EQ(dpkg::split_declared_license("GPL-2.0-only"), (Strings{"GPL-2.0-only"}));
  EXPECT_EQ(dpkg::split_declared_license("GPL-2.0 BSD-3-Clause"), (Strings{"GPL-2.0", "BSD-3-Clause"}));
  EXPECT_EQ(dpkg::split_declared_license("(MIT OR Apache-2.0) AND Apache-2.0 WITH LLVM-exception"), (Strings{"(MIT OR Apache-2.0) AND Apache-2.0 WITH LLVM-exception"}));
  EXPECT_EQ(dpkg::split_declared_license("(MIT"), (Strings{"(MIT"}));
  EXPECT_EQ(dpkg::split_declared_license("MIT OR"), (Strings{"MIT", "OR"}));
  EXPECT_TRUE((dpkg::split_declared_license("  ")).empty());
  EXPECT_EQ(dpkg::split_declared_license(std::string(10000, '(')), (Strings{std::string(10000, '(')}));
}

// ---- dependencies ----

TEST(DpkgRelations, BareNames) {
  EXPECT_EQ(dpkg::bare_name("test"), "test");
  EXPECT_EQ(dpkg::bare_name("test (1.2.3)"), "test");
  EXPECT_EQ(dpkg::bare_name("test [amd64 i386]"), "test");
  EXPECT_EQ(dpkg::bare_name("kernel-headers-2.2.10 [!hurd-i386]"), "kernel-headers-2.2.10");
  EXPECT_EQ(dpkg::bare_name("virtual-package-5 (=1.0)"), "virtual-package-5");
  EXPECT_EQ(dpkg::bare_name("python3:any (>= 3.11)"), "python3");
  EXPECT_EQ(dpkg::clause_alternatives("default-mta | mail-transport-agent | not-installed"), (Strings{"default-mta", "mail-transport-agent", "not-installed"}));
  EXPECT_TRUE((dpkg::clause_alternatives(" | ")).empty());
}

Package pkg(std::string name, Strings depends = {}, Strings provides = {}) {
  Package p;
  p.name = std::move(name);
  p.depends = std::move(depends);
  p.provides = std::move(provides);
  return p;
}

TEST(DpkgRelations, AlternativesProvidesAndSelfEdges) {
  std::vector<Package> pkgs = {
      pkg("mutt", {"libc6 (>= 2.2.1)", "default-mta | mail-transport-agent | not-installed", "mutt"}),
      pkg("libc6"),
      pkg("default-mta", {}, {"mail-transport-agent"}),
      pkg("mail-transport-agent"),
      pkg("four", {"virtual-5", "virtual-5 (>= 1)"}),
      pkg("five", {}, {"virtual-5", "virtual-5"}),
  };
  EXPECT_EQ(dpkg::resolve_dependencies(pkgs), (std::vector<Dependency>{Dependency{0, 1}, Dependency{0, 2}, Dependency{0, 3}, Dependency{4, 5}}));
}

TEST(DpkgRelations, HostileProvidesAreCapped) {
  std::vector<Package> pkgs;
  for (int i = 0; i < 1500; ++i) pkgs.push_back(pkg("p" + std::to_string(i), {"x", "x | x"}, {"x", "x"}));
  bool truncated = false;
  auto edges = dpkg::resolve_dependencies(pkgs, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(edges.size(), dpkg::kMaxDependencyEdges);
}

// ---- cataloger ----

struct Found {
  CatalogResult result;
  const Package& only() const {
    EXPECT_EQ(result.packages.size(), 1u);
    return result.packages.at(0);
  }
  const Package* named(const std::string& name) const {
    for (const auto& p : result.packages)
      if (p.name == name) return &p;
    return nullptr;
  }
};

Found catalog(const std::map<std::string, std::string>& files, std::optional<Release> release = std::nullopt) {
  auto fs = make_fs(files);
  CatalogContext ctx;
  ctx.release = std::move(release);
  return Found{dpkg_cataloger().run(fs, ctx)};
}

Release debian(std::string version_id) {
  Release r;
  r.id = "debian";
  r.version_id = std::move(version_id);
  return r;
}

TEST(DpkgCataloger, NameAndCaptureRules) {
  auto c = dpkg_cataloger();
  EXPECT_EQ(c.name, "dpkg-db-cataloger");
  CapturePolicy policy(c.captures);
  // Syft's TestCataloger_Globs content queries.
  for (const char* path :
       {"/usr/lib/dpkg/status", "/var/lib/dpkg/status", "/usr/lib/dpkg/status.d/pkg-1.0",
        "/var/lib/dpkg/status.d/pkg-1.0", "/usr/lib/opkg/info/pkg-1.0.control", "/usr/lib/opkg/status",
        "/usr/lib/dpkg/info/libpam-runtime.conffiles", "/usr/lib/dpkg/info/libpam-runtime.md5sums",
        "/usr/share/doc/libpam-runtime/copyright", "/var/lib/dpkg/info/libc6:amd64.list", "/var/lib/opkg/status",
        "/var/lib/dpkg/status.d/libc6.md5sums"})
    EXPECT_TRUE(policy.cap_for(path).has_value()) << path;
  for (const char* path : {"/var/lib/dpkg/info/bash.preinst", "/usr/share/doc/bash/changelog.gz", "/etc/passwd"})
    EXPECT_FALSE(policy.cap_for(path).has_value()) << path;
}

TEST(DpkgCataloger, DpkgImageWithInfoFilesAndCopyright) {
  auto found = catalog(
      {{"/var/lib/dpkg/status", std::string("Package:\n\n") + kAptStanza},
       {"/var/lib/dpkg/info/apt.md5sums", "55f905631797551d4d936a34c7e73474  usr/bin/apt\n"},
       {"/var/lib/dpkg/info/apt.conffiles", "/etc/apt/apt.conf.d/01autoremove\n/etc/logrotate.d/apt\n"},
       {"/var/lib/dpkg/info/apt.list", "/.\n/usr\n/usr/bin\n/usr/bin/apt\n/usr/lib/apt/methods/http\n"},
       {"/var/lib/dpkg/info/apt.preinst", "#!/bin/sh\n"},
       {"/var/lib/dpkg/info/apt.1-extra.list", "/not/ours\n"},
       {"/var/lib/dpkg/info/apt-utils.list", "/not/ours/either\n"},
       {"/usr/share/doc/apt/copyright", kDep5}},
      debian("12"));
  EXPECT_TRUE((found.result.errors).empty());
  const auto& p = found.only();
  EXPECT_EQ(p.type, "deb");
  EXPECT_EQ(p.found_by, "dpkg-db-cataloger");
  EXPECT_EQ(p.purl, "pkg:deb/debian/apt@1.8.2?arch=amd64&distro=debian-12&upstream=apt-dev%401.8.1");
  EXPECT_EQ(p.cpes, (Strings{make_cpe("apt", "apt", "1.8.2")}));
  EXPECT_EQ(p.locations, (Strings{"/var/lib/dpkg/status", "/var/lib/dpkg/info/apt.conffiles", "/var/lib/dpkg/info/apt.list",
                          "/var/lib/dpkg/info/apt.md5sums", "/var/lib/dpkg/info/apt.preinst",
                          "/usr/share/doc/apt/copyright"}));
  EXPECT_EQ(p.files, (Strings{"/etc/apt/apt.conf.d/01autoremove", "/etc/cron.daily/apt-compat",
                                   "/etc/logrotate.d/apt", "/usr/bin/apt", "/usr/lib/apt/methods/http"}));
  EXPECT_EQ(p.licenses, (Strings{"GPL-1", "GPL-2", "GPL-2+", "LGPL-2.1", "public-domain"}));
  EXPECT_EQ(p.source_name, "apt-dev");
  EXPECT_EQ(p.source_version, "1.8.1");
  EXPECT_EQ(p.supplier, "APT Development Team <deity@lists.debian.org>");
  EXPECT_EQ(p.depends, (Strings{"adduser", "gpgv | gpgv2 | gpgv1", "libc6 (>= 2.15)", "libgcc1 (>= 1:3.0)"}));
  EXPECT_EQ(p.provides, (Strings{"apt-transport-https"}));
  EXPECT_EQ(p.metadata.at("installedSize"), "4064");
  EXPECT_EQ(p.metadata.at("sourceVersion"), "1.8.1");
}

TEST(DpkgCataloger, MultiArchInfoFilesUseNameColonArch) {
  auto found = catalog({{"/var/lib/dpkg/status", "Package: libc6\nArchitecture: amd64\nVersion: 2.36-9\n"},
                        {"/var/lib/dpkg/info/libc6:amd64.md5sums", "aa  lib/x86_64-linux-gnu/libc.so.6\n"},
                        {"/var/lib/dpkg/info/libc6:amd64.list", "/lib\n/lib/x86_64-linux-gnu/libc.so.6\n/etc/ld.so.conf.d/x.conf\n"},
                        {"/var/lib/dpkg/info/libc6:amd64.triggers", "activate-noawait ldconfig\n"},
                        {"/var/lib/dpkg/info/libc6.md5sums", "bb  should/not/be/used\n"}});
  const auto& p = found.only();
  EXPECT_EQ(p.files, (Strings{"/etc/ld.so.conf.d/x.conf", "/lib/x86_64-linux-gnu/libc.so.6"}));
  EXPECT_EQ(p.locations, (Strings{"/var/lib/dpkg/status", "/var/lib/dpkg/info/libc6.md5sums",
                                       "/var/lib/dpkg/info/libc6:amd64.list", "/var/lib/dpkg/info/libc6:amd64.md5sums",
                                       "/var/lib/dpkg/info/libc6:amd64.triggers"}));
  EXPECT_EQ(p.purl, "") << "no distro known";
}

TEST(DpkgCataloger, DistrolessStatusDirectory) {
  auto found = catalog({{"/var/lib/dpkg/status.d/base", "Package: libc6\nVersion: 2.36\nArchitecture: arm64\n"},
                        {"/var/lib/dpkg/status.d/base.md5sums", "aa  lib/libc.so.6\nbb  usr/share/doc/libc6/copyright\n"},
                        {"/var/lib/dpkg/status.d/libssl3", "Package: libssl3\nVersion: 3.0\n"},
                        {"/var/lib/dpkg/status.d/libssl3.md5sums", "cc  usr/lib/libssl.so.3\n"},
                        {"/var/lib/dpkg/status.d/libssl3.preinst", "#!/bin/sh\necho a: b\necho a: c\n"},
                        {"/var/lib/dpkg/status.d/tools", "Package: t1\n\nPackage: t2\n"},
                        {"/var/lib/dpkg/status.d/tools.md5sums", "dd  usr/bin/t\n"}},
                       debian("12"));
  EXPECT_TRUE((found.result.errors).empty());
  ASSERT_EQ(found.result.packages.size(), 4u);
  const auto* libc = found.named("libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->files, (Strings{"/lib/libc.so.6", "/usr/share/doc/libc6/copyright"}));
  EXPECT_EQ(libc->locations, (Strings{"/var/lib/dpkg/status.d/base", "/var/lib/dpkg/status.d/base.md5sums"}));
  const auto* ssl = found.named("libssl3");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(ssl->files, (Strings{"/usr/lib/libssl.so.3"}));
  EXPECT_EQ(ssl->locations, (Strings{"/var/lib/dpkg/status.d/libssl3", "/var/lib/dpkg/status.d/libssl3.md5sums",
                                          "/var/lib/dpkg/status.d/libssl3.preinst"}));
  // A file with several stanzas cannot tell whose its md5sums are.
  EXPECT_TRUE((found.named("t1")->files).empty());
  EXPECT_TRUE((found.named("t2")->files).empty());
}

TEST(DpkgCataloger, DocDirectorySymlinkIsFollowed) {
  auto found = catalog({{"/var/lib/dpkg/status", "Package: libfoo1\nVersion: 1\n"},
                        {"/usr/share/doc/libfoo1", "->libfoo-common"},
                        {"/usr/share/doc/libfoo-common/copyright",
                         "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nLicense: MIT\n"}});
  const auto& p = found.only();
  EXPECT_EQ(p.licenses, (Strings{"MIT"}));
  EXPECT_EQ(p.locations, (Strings{"/var/lib/dpkg/status", "/usr/share/doc/libfoo-common/copyright"}));
}

TEST(DpkgCataloger, OpkgStatusAndControlFilesMerge) {
  auto found = catalog({{"/usr/lib/opkg/status",
                         "Package: dropbear\nVersion: 2024.85-r0\nDepends: libc, zlib\nStatus: install user installed\n"
                         "Architecture: x86_64\nLicense: GPL-2.0 BSD-3-Clause\n\n"
                         "Package: libc\nVersion: 1.2\nArchitecture: x86_64\nLicense: MIT\n"},
                        {"/usr/lib/opkg/info/dropbear.control",
                         "Package: dropbear\nVersion: 2024.85-r0\nArchitecture: x86_64\n"},
                        {"/usr/lib/opkg/info/dropbear.list", "/usr/sbin/dropbear\n"}});
  EXPECT_TRUE((found.result.errors).empty());
  ASSERT_EQ(found.result.packages.size(), 2u);
  const auto* dropbear = found.named("dropbear");
  ASSERT_NE(dropbear, nullptr);
  EXPECT_EQ(dropbear->licenses, (Strings{"BSD-3-Clause", "GPL-2.0"}));
  EXPECT_EQ(dropbear->files, (Strings{"/usr/sbin/dropbear"}));
  EXPECT_EQ(dropbear->locations, (Strings{"/usr/lib/opkg/status", "/usr/lib/opkg/info/dropbear.control",
                                               "/usr/lib/opkg/info/dropbear.list"}));
  EXPECT_EQ(found.named("libc")->licenses, (Strings{"MIT"}));
  ASSERT_EQ(found.result.dependencies.size(), 1u);
  EXPECT_EQ(found.result.packages[found.result.dependencies[0].from].name, "dropbear");
  EXPECT_EQ(found.result.packages[found.result.dependencies[0].to].name, "libc");
}

TEST(DpkgCataloger, NestedRootKeepsItsPrefix) {
  auto found = catalog({{"/srv/chroot/var/lib/dpkg/status", "Package: bash\nVersion: 5.2\n"},
                        {"/srv/chroot/var/lib/dpkg/info/bash.md5sums", "aa  bin/bash\n"},
                        {"/srv/chroot/usr/share/doc/bash/copyright", "see /usr/share/common-licenses/GPL-3\n"},
                        {"/usr/share/doc/bash/copyright", "see /usr/share/common-licenses/WRONG\n"}});
  const auto& p = found.only();
  EXPECT_EQ(p.files, (Strings{"/srv/chroot/bin/bash"}));
  EXPECT_EQ(p.licenses, (Strings{"GPL-3"}));
}

TEST(DpkgCataloger, CorruptStanzaIsReportedWithFileAndOthersKept) {
  auto found = catalog({{"/var/lib/dpkg/status", "Package: good\nVersion: 1\n\nPackage: bad\nVersion: 1\nVersion: 2\n"}});
  ASSERT_EQ(found.result.errors.size(), 1u);
  EXPECT_EQ(found.result.errors[0], "/var/lib/dpkg/status: stanza 2 (line 6, Package bad): field Version appears twice");
  ASSERT_EQ(found.result.packages.size(), 1u);
  EXPECT_EQ(found.result.packages[0].name, "good");
}

TEST(DpkgCataloger, UncapturedDatabaseIsAnError) {
  LayerContents layer;
  Entry e;
  e.path = "/var/lib/dpkg/status";
  e.type = EntryType::File;
  e.size = 1ull << 40;
  layer.entries.push_back(e);
  LayerFs fs;
  fs.apply(layer, 0);
  auto result = dpkg_cataloger().run(fs, CatalogContext{});
  EXPECT_TRUE((result.packages).empty());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE((result.errors[0]).find("/var/lib/dpkg/status: not read"), std::string::npos);
}

TEST(DpkgCataloger, HostileNamesNeverLeaveTheirDirectory) {
  auto found = catalog({{"/var/lib/dpkg/status", "Package: ../../../etc\nVersion: 1\n\nPackage: ..\n"},
                        {"/etc/copyright", "see /usr/share/common-licenses/GPL-3\n"}});
  ASSERT_EQ(found.result.packages.size(), 2u);
  for (const auto& p : found.result.packages) {
    EXPECT_EQ(p.locations, (Strings{"/var/lib/dpkg/status"}));
    EXPECT_TRUE((p.licenses).empty());
  }
}

TEST(DpkgCataloger, EpochStaysInVersionAndIsEncodedInPurl) {
  auto found = catalog({{"/var/lib/dpkg/status",
                         "Package: libattr1\nArchitecture: arm64\nSource: attr\nVersion: 1:2.5.1-4+b1\n"}},
                       debian("12"));
  const auto& p = found.only();
  EXPECT_EQ(p.version, "1:2.5.1-4+b1");
  EXPECT_EQ(p.purl, "pkg:deb/debian/libattr1@1%3A2.5.1-4%2Bb1?arch=arm64&distro=debian-12&upstream=attr");
}

TEST(DpkgCataloger, DependenciesThroughProvidesAndPreDepends) {
  auto found = catalog({{"/var/lib/dpkg/status",
                         "Package: coreutils\nPre-Depends: libacl1 (>= 2.2.23), libc6 (>= 2.34)\n\n"
                         "Package: libacl1\nDepends: libc6 (>= 2.33)\n\n"
                         "Package: libc6\nDepends: libgcc-s1\n\n"
                         "Package: libgcc-s1\nProvides: libgcc1 (= 1:12.2.0-14)\nDepends: libc6 (>= 2.35)\n\n"
                         "Package: old\nDepends: libgcc1\n"}});
  std::map<std::string, std::set<std::string>> deps;
  for (const auto& d : found.result.dependencies)
    deps[found.result.packages[d.from].name].insert(found.result.packages[d.to].name);
  std::map<std::string, std::set<std::string>> want = {{"coreutils", {"libacl1", "libc6"}},
                                                       {"libacl1", {"libc6"}},
                                                       {"libc6", {"libgcc-s1"}},
                                                       {"libgcc-s1", {"libc6"}},
                                                       {"old", {"libgcc-s1"}}};
  EXPECT_EQ(deps, want);
}

// Every case of Syft's Test_packageURL (shared/acceptance/catalogers/dpkg/purl_cases.json).
TEST(DpkgCataloger, PurlCasesFromSyft) {
  struct Case {
    std::optional<Release> distro;
    std::string stanza;
    std::string purl;
  };
  Release ubuntu;
  ubuntu.id = "ubuntu";
  ubuntu.version_id = "16.04";
  ubuntu.id_like = {"debian"};
  std::vector<Case> cases = {
      {debian("11"), "Package: p\nVersion: v\n", "pkg:deb/debian/p@v?distro=debian-11"},
      {ubuntu, "Package: p\nVersion: v\nArchitecture: a\n", "pkg:deb/ubuntu/p@v?arch=a&distro=ubuntu-16.04"},
      {std::nullopt, "Package: p\nVersion: v\n", ""},
      {debian("11"), "Package: p\nSource: s\nVersion: v\n", "pkg:deb/debian/p@v?distro=debian-11&upstream=s"},
      {debian("11"), "Package: p\nSource: s (2.3)\nVersion: v\n", "pkg:deb/debian/p@v?distro=debian-11&upstream=s%402.3"},
  };
  for (const auto& c : cases) {
    auto found = catalog({{"/var/lib/dpkg/status", c.stanza}}, c.distro);
    EXPECT_EQ(found.only().purl, c.purl) << c.stanza;
  }
}

TEST(DpkgCataloger, PurlNeedsADebianFamilyDistro) {
  Release fedora;
  fedora.id = "fedora";
  fedora.version_id = "39";
  EXPECT_EQ(catalog({{"/var/lib/dpkg/status", "Package: p\nVersion: v\n"}}, fedora).only().purl, "");
  Release like;  // ID_LIKE only: no namespace, no distro qualifier
  like.id_like = {"debian"};
  EXPECT_EQ(catalog({{"/var/lib/dpkg/status", "Package: p\nVersion: v\n"}}, like).only().purl, "pkg:deb/p@v");
  Release rolling = debian("");
  rolling.build_id = "rolling";
  EXPECT_EQ(catalog({{"/var/lib/dpkg/status", "Package: p\nVersion: v\n"}}, rolling).only().purl,
            "pkg:deb/debian/p@v?distro=debian-rolling");
}

}  // namespace
}  // namespace cairn::sbom
