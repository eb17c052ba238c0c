#include "sbom/catalogers/apk.h"

#include <gtest/gtest.h>

#include "sbom/capture.h"
#include "sbom/catalogers/apk_db.h"
#include "sbom/purl.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::make_fs;

constexpr const char* kMuslUtils =
    "C:Q1bTtF5526tETKfL+lnigzIDvm+2o=\n"
    "P:musl-utils\n"
    "V:1.1.24-r2\n"
    "A:x86_64\n"
    "S:37944\n"
    "I:151552\n"
    "T:the musl c library (libc) implementation\n"
    "U:https://musl.libc.org/\n"
    "L:MIT BSD GPL2+\n"
    "o:musl\n"
    "m:Timo Teräs <timo.teras@iki.fi>\n"
    "t:1584790550\n"
    "c:4024cc3b29ad4c65544ad068b8f59172b5494306\n"
    "D:scanelf so:libc.musl-x86_64.so.1\n"
    "p:cmd:getconf cmd:getent cmd:iconv cmd:ldconfig cmd:ldd\n"
    "r:libiconv\n"
    "F:sbin\n"
    "R:ldconfig\n"
    "a:0:0:755\n"
    "Z:Q1Kja2+POZKxEkUOZqwSjC6kmaED4=\n"
    "F:usr\n"
    "M:0:0:755\n"
    "F:usr/bin\n"
    "R:iconv\n"
    "a:0:0:755:Q1extra=\n"
    "Z:Q1CVmFbdY+Hv6/jAHl1gec2Kbx1EY=\n";

TEST(ApkDb, SinglePackageAllFields) {
  auto parsed = parse_apk_db(kMuslUtils);
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.entries.size(), 1u);
  const auto& e = parsed.entries[0];
  EXPECT_EQ(e.package, "musl-utils");
  EXPECT_EQ(e.version, "1.1.24-r2");
  EXPECT_EQ(e.architecture, "x86_64");
  EXPECT_EQ(e.size, 37944);
  EXPECT_EQ(e.installed_size, 151552);
  EXPECT_EQ(e.description, "the musl c library (libc) implementation");
  EXPECT_EQ(e.url, "https://musl.libc.org/");
  EXPECT_EQ(e.license, "MIT BSD GPL2+");
  EXPECT_EQ(e.origin, "musl");
  EXPECT_EQ(e.maintainer, "Timo Teräs <timo.teras@iki.fi>");
  EXPECT_EQ(e.build_time, "1584790550");
  EXPECT_EQ(e.git_commit, "4024cc3b29ad4c65544ad068b8f59172b5494306");
  EXPECT_EQ(e.checksum, "Q1bTtF5526tETKfL+lnigzIDvm+2o=");
  EXPECT_EQ(e.dependencies, (std::vector<std::string>{"scanelf", "so:libc.musl-x86_64.so.1"}));
  EXPECT_EQ(e.provides.size(), 5u);
  EXPECT_EQ(e.replaces, std::vector<std::string>{"libiconv"});
  ASSERT_EQ(e.files.size(), 5u);
  EXPECT_EQ(e.files[0].path, "/sbin");
  EXPECT_TRUE(e.files[0].directory);
  EXPECT_EQ(e.files[1].path, "/sbin/ldconfig");
  EXPECT_EQ(e.files[1].permissions, "755");
  EXPECT_EQ(e.files[1].digest_algorithm, "'Q1'+base64(sha1)");
  EXPECT_EQ(e.files[1].digest, "Q1Kja2+POZKxEkUOZqwSjC6kmaED4=");
  EXPECT_EQ(e.files[2].path, "/usr");
  EXPECT_EQ(e.files[2].owner_uid, "0");
  EXPECT_EQ(e.files[2].permissions, "755");
  EXPECT_EQ(e.files[4].path, "/usr/bin/iconv");
  EXPECT_EQ(e.files[4].owner_gid, "0");
  EXPECT_EQ(e.files[4].permissions, "755");
}

TEST(ApkDb, StanzasBlankLinesAndCrlf) {
  auto parsed = parse_apk_db("\n\nP:a\r\nV:1\r\n\r\n\n\nP:b\nV:2\nF:\nD:\n");
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].package, "a");
  EXPECT_EQ(parsed.entries[0].version, "1");
  EXPECT_EQ(parsed.entries[1].package, "b");
  EXPECT_TRUE(parsed.entries[1].files.empty());  // empty values are skipped, as Syft does
  EXPECT_EQ(parsed.entries[1].first_line, 8u);
}

TEST(ApkDb, CorruptLinesAreErrorsNotCrashes) {
  auto parsed = parse_apk_db("this is a corrupt db\n\nP:good\nV:1\n:novalue\nS:12x\nM:0:0:755\na:0:0:644\nZ:Q1x\nR:f\na:bad\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].package, "good");
  ASSERT_EQ(parsed.errors.size(), 7u);
  EXPECT_EQ(parsed.errors[0], "line 1: no ':' separating field and value in \"this is a corrupt db\"");
  EXPECT_NE(parsed.errors[1].find("line 5: empty field name"), std::string::npos);
  EXPECT_NE(parsed.errors[2].find("line 6: field S:"), std::string::npos);
  EXPECT_NE(parsed.errors[3].find("line 7: field M: with no directory"), std::string::npos);
  EXPECT_NE(parsed.errors[4].find("line 8: field a: with no file"), std::string::npos);
  EXPECT_NE(parsed.errors[5].find("line 9: field Z: with no file"), std::string::npos);
  EXPECT_NE(parsed.errors[6].find("line 11: field a: expected uid:gid:mode"), std::string::npos);
}

TEST(ApkDb, ErrorsAreCapped) {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += "junk\n";
  auto parsed = parse_apk_db(garbage);
  EXPECT_EQ(parsed.errors.size(), 101u);
  EXPECT_EQ(parsed.errors.back(), "4900 more errors not shown");
}

TEST(ApkDb, MegabyteLineDoesNotBreakTheParser) {
  std::string deps(1024 * 1024, 'x');
  std::string db = "P:big\nV:1\nD:" + deps + " so:libc.so\nT:" + std::string(2 * 1024 * 1024, 'd') + "\n\nP:after\nV:2\n";
  auto parsed = parse_apk_db(db);
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].dependencies.size(), 2u);
  EXPECT_EQ(parsed.entries[0].dependencies[0].size(), 1024u * 1024);
  EXPECT_EQ(parsed.entries[0].description.size(), 2u * 1024 * 1024);
  EXPECT_EQ(parsed.entries[1].package, "after");
  // An error message quotes only the start of a huge line.
  auto bad = parse_apk_db(std::string(1024 * 1024, 'y'));
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_LT(bad.errors[0].size(), 200u);
}

TEST(ApkDb, FilePathsCannotEscapeTheRoot) {
  auto parsed = parse_apk_db("P:x\nF:../../etc\nR:../../../passwd\nR:./a//b\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  ASSERT_EQ(parsed.entries[0].files.size(), 3u);
  EXPECT_EQ(parsed.entries[0].files[0].path, "/etc");
  EXPECT_EQ(parsed.entries[0].files[1].path, "/passwd");
  EXPECT_EQ(parsed.entries[0].files[2].path, "/etc/a/b");
  // A file before any directory lands at the root.
  auto root = parse_apk_db("P:y\nR:file\nZ:abc123\n");
  EXPECT_EQ(root.entries[0].files[0].path, "/file");
  EXPECT_EQ(root.entries[0].files[0].digest_algorithm, "md5");
}

TEST(ApkDb, StripVersion) {
  EXPECT_EQ(apk_strip_version("musl>=1"), "musl");
  EXPECT_EQ(apk_strip_version("cmd:scanelf=1.3.4-r0"), "cmd:scanelf");
  EXPECT_EQ(apk_strip_version("so:libc.musl-x86_64.so.1"), "so:libc.musl-x86_64.so.1");
  EXPECT_EQ(apk_strip_version("python3~3.11"), "python3");
  EXPECT_EQ(apk_strip_version("a<2"), "a");
  EXPECT_EQ(apk_strip_version("=1"), "");
}

// Syft's Test_PackageURL cases (apk/purl_cases.json).
struct PurlCase {
  const char* name;
  std::string id, version_id;
  std::string package, version, arch, origin;
  std::string purl;
};

TEST(ApkPurl, SyftCases) {
  const PurlCase cases[] = {
      {"non-alpine distro", "something else", "3.4.6", "p", "v", "a", "", "pkg:apk/something%20else/p@v?arch=a&distro=something%20else-3.4.6"},
      {"gocase", "alpine", "3.4.6", "p", "v", "a", "", "pkg:apk/alpine/p@v?arch=a&distro=alpine-3.4.6"},
      {"missing architecture", "alpine", "3.4.6", "p", "v", "", "", "pkg:apk/alpine/p@v?distro=alpine-3.4.6"},
      {"special characters (g++)", "alpine", "3.4.6", "g++", "v84", "am86", "", "pkg:apk/alpine/g%2B%2B@v84?arch=am86&distro=alpine-3.4.6"},
      {"spaces in name", "alpine", "3.15.0", "g plus plus", "v84", "am86", "", "pkg:apk/alpine/g%20plus%20plus@v84?arch=am86&distro=alpine-3.15.0"},
      {"add source information as qualifier", "alpine", "3.4.6", "p", "v", "a", "origin", "pkg:apk/alpine/p@v?arch=a&distro=alpine-3.4.6&upstream=origin"},
      {"wolfi distro", "wolfi", "20221230", "p", "v", "a", "", "pkg:apk/wolfi/p@v?arch=a&distro=wolfi-20221230"},
  };
  for (const auto& c : cases) {
    Release r;
    r.id = c.id;
    r.version_id = c.version_id;
    ApkDbEntry e;
    e.package = c.package;
    e.version = c.version;
    e.architecture = c.arch;
    e.origin = c.origin;
    EXPECT_EQ(apk_purl(e, r), c.purl) << c.name;
  }
}

TEST(ApkPurl, NoDistroNoPurlAndOriginEqualToNameIsNotUpstream) {
  ApkDbEntry e;
  e.package = "p";
  e.version = "1";
  e.origin = "p";
  EXPECT_EQ(apk_purl(e, std::nullopt), "");
  Release r;
  r.id = "Alpine";
  r.version_id = "3.19.0";
  EXPECT_EQ(apk_purl(e, r), "pkg:apk/alpine/p@1?distro=Alpine-3.19.0");
}

TEST(ApkRepositories, SyftCases) {
  auto one = releases_from_apk_repositories("https://foo.alpinelinux.org/alpine/v3.14/main");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, "alpine");
  EXPECT_EQ(one[0].name, "Alpine Linux");
  EXPECT_EQ(one[0].version_id, "3.14");
  auto two = releases_from_apk_repositories(
      "https://foo.alpinelinux.org/alpine/v3.14/main\nhttps://foo.alpinelinux.org/alpine/v3.14/community");
  EXPECT_EQ(two.size(), 2u);
  EXPECT_TRUE(releases_from_apk_repositories("").empty());
  EXPECT_TRUE(releases_from_apk_repositories(
                  "https://foo.bar.org/alpine/v3.14/main\nhttps://foo.them.org/alpine/v3.14/community")
                  .empty());
  EXPECT_TRUE(releases_from_apk_repositories("http://dl-cdn.alpinelinux.org/alpine/v3.14/main").empty());
  EXPECT_TRUE(releases_from_apk_repositories("https://dl-cdn.alpinelinux.org/alpine/edge/main").empty());
  EXPECT_TRUE(releases_from_apk_repositories("https://dl-cdn.alpinelinux.org/alpine/v3.14/main/x86_64").empty());
}

TEST(ApkLicenses, ExpressionKeptWholeOtherwiseWords) {
  EXPECT_EQ(apk_licenses("GPL-2.0-only"), std::vector<std::string>{"GPL-2.0-only"});
  EXPECT_EQ(apk_licenses("MIT AND BSD-3-Clause"), std::vector<std::string>{"MIT AND BSD-3-Clause"});
  EXPECT_EQ(apk_licenses("MIT BSD GPL2+"), (std::vector<std::string>{"MIT", "BSD", "GPL2+"}));
  EXPECT_TRUE(apk_licenses("").empty());
}

constexpr const char* kThreePackages =
    "P:bash\nV:5.2.21-r0\nA:x86_64\nL:GPL-3.0-or-later\no:bash\nm:Natanael Copa <ncopa@alpinelinux.org>\n"
    "D:/bin/sh so:libc.musl-x86_64.so.1 so:libreadline.so.8\np:cmd:bash=5.2.21-r0\n"
    "F:bin\nR:bash\n\n"
    "P:busybox-binsh\nV:1.36.1-r15\nA:x86_64\no:busybox\nD:busybox=1.36.1-r15\np:/bin/sh cmd:sh=1.36.1-r15\n\n"
    "P:musl\nV:1.2.4-r4\no:musl\np:so:libc.musl-x86_64.so.1=1\n\n"
    "P:readline\nV:8.2.1-r2\nD:so:libc.musl-x86_64.so.1 so:libncursesw.so.6\np:so:libreadline.so.8=8.2\n";

TEST(ApkCataloger, PackagesAndDependencies) {
  auto fs = make_fs({{"/lib/apk/db/installed", kThreePackages},
                     {"/etc/os-release", "ID=alpine\nVERSION_ID=3.19.0\n"}});
  Release alpine;
  alpine.id = "alpine";
  alpine.version_id = "3.19.0";
  auto result = apk_cataloger().run(fs, CatalogContext{alpine});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.packages.size(), 4u);
  const auto& bash = result.packages[0];
  EXPECT_EQ(bash.name, "bash");
  EXPECT_EQ(bash.type, "apk");
  EXPECT_EQ(bash.found_by, "apk-db-cataloger");
  EXPECT_EQ(bash.purl, "pkg:apk/alpine/bash@5.2.21-r0?arch=x86_64&distro=alpine-3.19.0");
  EXPECT_EQ(bash.licenses, std::vector<std::string>{"GPL-3.0-or-later"});
  EXPECT_EQ(bash.locations, std::vector<std::string>{"/lib/apk/db/installed"});
  EXPECT_EQ(bash.files, (std::vector<std::string>{"/bin", "/bin/bash"}));
  EXPECT_EQ(bash.supplier, "Natanael Copa <ncopa@alpinelinux.org>");
  EXPECT_EQ(bash.source_name, "bash");
  EXPECT_EQ(bash.arch, "x86_64");
  EXPECT_EQ(bash.provides, std::vector<std::string>{"cmd:bash"});
  ASSERT_EQ(bash.cpes.size(), 1u);
  EXPECT_EQ(bash.cpes[0], make_cpe("bash", "bash", "5.2.21-r0"));
  EXPECT_EQ(result.packages[1].purl,
            "pkg:apk/alpine/busybox-binsh@1.36.1-r15?arch=x86_64&distro=alpine-3.19.0&upstream=busybox");

  // bash -> busybox-binsh (/bin/sh), musl (so:libc), readline (so:libreadline); readline -> musl.
  std::vector<Dependency> expected = {{0, 1}, {0, 2}, {0, 3}, {3, 2}};
  EXPECT_EQ(result.dependencies, expected);
}

TEST(ApkCataloger, DistroFromRepositoriesWhenNoneDetected) {
  auto fs = make_fs({{"/lib/apk/db/installed", "P:musl\nV:1.2\nA:x86_64\n"},
                     {"/etc/apk/repositories", "https://dl-cdn.alpinelinux.org/alpine/v3.18/main\n"}});
  auto result = apk_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].purl, "pkg:apk/alpine/musl@1.2?arch=x86_64&distro=alpine-3.18");
  auto bare = make_fs({{"/lib/apk/db/installed", "P:musl\nV:1.2\n"}});
  EXPECT_EQ(apk_cataloger().run(bare, CatalogContext{}).packages[0].purl, "");
}

TEST(ApkCataloger, CorruptDatabaseReportsErrorsNamingTheFile) {
  auto fs = make_fs({{"/lib/apk/db/installed", "this is a corrupt db\n\nV:1\n\nP:ok\nV:2\n"}});
  auto result = apk_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "ok");
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].rfind("/lib/apk/db/installed: line 1: ", 0), 0u);
  EXPECT_EQ(result.errors[1], "/lib/apk/db/installed: line 3: stanza has no package name (P:)");
}

TEST(ApkCataloger, NestedDatabasesAreSeparate) {
  auto fs = make_fs({{"/lib/apk/db/installed", "P:a\nV:1\nD:b\n"},
                     {"/chroot/lib/apk/db/installed", "P:b\nV:1\n\nP:c\nV:1\nD:b\n"}});
  auto result = apk_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 3u);
  // Only c -> b inside the chroot database; a's "b" is not satisfied by another database.
  ASSERT_EQ(result.dependencies.size(), 1u);
  EXPECT_EQ(result.packages[result.dependencies[0].from].name, "c");
  EXPECT_EQ(result.packages[result.dependencies[0].to].name, "b");
}

TEST(ApkCataloger, CaptureRulesMatchDatabaseAndRepositories) {
  CapturePolicy policy(apk_cataloger().captures);
  EXPECT_TRUE(policy.cap_for("/lib/apk/db/installed"));
  EXPECT_TRUE(policy.cap_for("/some/root/lib/apk/db/installed"));
  EXPECT_TRUE(policy.cap_for("/etc/apk/repositories"));
  EXPECT_FALSE(policy.cap_for("/lib/apk/db/scripts.tar"));
}

}  // namespace
}  // namespace cairn::sbom
