#include "sbom/catalogers/alpm.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sbom/capture.h"
#include "sbom/catalogers/alpm_desc.h"
#include "sbom/catalogers/alpm_mtree.h"
#include "sbom/purl.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::make_fs;

constexpr const char* kGmpDesc =
    "%NAME%\ngmp\n\n%VERSION%\n6.2.1-2\n\n%BASE%\ngmp\n\n%DESC%\nA free library for arbitrary precision arithmetic\n\n"
    "%URL%\nhttps://gmplib.org/\n\n%ARCH%\nx86_64\n\n%BUILDDATE%\n1653121258\n\n%INSTALLDATE%\n1665878640\n\n"
    "%PACKAGER%\nAntonio Rojas <arojas@archlinux.org>\n\n%SIZE%\n1044438\n\n%REASON%\n1\n\n"
    "%LICENSE%\nLGPL3\nGPL\n\n%VALIDATION%\npgp\n\n%DEPENDS%\ngcc-libs\nsh\nlibtree-sitter.so=1-64\n\n"
    "%PROVIDES%\nlibgmp.so=10-64\n\n%OPTDEPENDS%\nfoo: for bar\n\n%GROUPS%\nbase\n";

// gzip of an mtree with /set defaults, package metadata, a directory, a file, a link and
// a name with an escaped space.
const std::string kMtreeGz(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x6d\x8f\x39\x0e\xc2\x30\x10\x45\xfb\x9c\x62\x24\x7a\x2f\xd9\xa8\xdc\x82"
    "\x10\x12\x70\x00\x9a\x24\x1e\xc2\x08\x3b\x89\x62\x47\x2c\xa7\x27\x1b\x0a\x42\x14\xf3\x9b\x79\xff\x8d\x66\x65\x7d"
    "\x8b\x18\x70\x87\x1e\xfc\xb3\x41\x75\x21\x83\xd0\x91\x56\x02\xca\x31\x6d\xad\x51\xa5\x71\x1c\x30\xce\x4e\xfb\xed"
    "\xee\xb0\x39\x82\x27\x8b\x4a\x32\x01\x8e\x5e\xa8\x22\xb0\x3a\xd1\x54\xa2\xf3\x2a\xcb\x7a\xae\x73\xed\x82\x8c\xfd"
    "\x75\x92\x4c\x7a\x4d\xed\x04\xf0\x9c\x2a\xee\xeb\xda\xfc\x21\x47\xab\x14\x5f\x5a\x21\xc3\x08\xdc\x35\x0b\x93\xf4"
    "\x73\x28\x2f\xf4\x6c\x32\x94\x0f\xf3\x60\xae\x5e\x64\xe3\x35\x43\xd5\x0d\x86\x50\xf3\x9e\xc9\xb9\xd3\xbb\x5a\xe4"
    "\x77\xf2\xd7\xb3\x88\x85\x6b\xb2\x02\x7f\xbe\x92\xc1\x1b\x35\xcd\x56\xd8\x1c\x01\x00\x00",
    190);

TEST(AlpmDesc, AllFields) {
  auto parsed = parse_alpm_desc(kGmpDesc);
  EXPECT_TRUE(parsed.errors.empty());
  const auto& d = parsed.desc;
  EXPECT_EQ(d.name, "gmp");
  EXPECT_EQ(d.version, "6.2.1-2");
  EXPECT_EQ(d.base, "gmp");
  EXPECT_EQ(d.description, "A free library for arbitrary precision arithmetic");
  EXPECT_EQ(d.url, "https://gmplib.org/");
  EXPECT_EQ(d.arch, "x86_64");
  EXPECT_EQ(d.build_date, "1653121258");
  EXPECT_EQ(d.install_date, "1665878640");
  EXPECT_EQ(d.packager, "Antonio Rojas <arojas@archlinux.org>");
  EXPECT_EQ(d.size, 1044438);
  EXPECT_EQ(d.reason, 1);
  EXPECT_EQ(d.licenses, (std::vector<std::string>{"LGPL3", "GPL"}));
  EXPECT_EQ(d.validation, "pgp");
  EXPECT_EQ(d.depends, (std::vector<std::string>{"gcc-libs", "sh", "libtree-sitter.so=1-64"}));
  EXPECT_EQ(d.provides, std::vector<std::string>{"libgmp.so=10-64"});
  EXPECT_EQ(d.optdepends, std::vector<std::string>{"foo: for bar"});
  EXPECT_EQ(d.groups, std::vector<std::string>{"base"});
}

TEST(AlpmDesc, FilesAndBackup) {
  auto parsed = parse_alpm_desc("%FILES%\netc/\netc/fuzzy.conf\n\n%BACKUP%\netc/fuzzy.conf\t79fce043df7dfc676ae5ecb903762d8b\n");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.desc.files, (std::vector<std::string>{"/etc/", "/etc/fuzzy.conf"}));
  ASSERT_EQ(parsed.desc.backup.size(), 1u);
  EXPECT_EQ(parsed.desc.backup[0].path, "/etc/fuzzy.conf");
  EXPECT_EQ(parsed.desc.backup[0].md5, "79fce043df7dfc676ae5ecb903762d8b");
}

TEST(AlpmDesc, CorruptSectionsAreErrors) {
  auto parsed = parse_alpm_desc(
      "%NME%\ntree-sitter\n\n%VER.6-1\nstray\n\n%BASE%\ntree-sitter\n\n%SIZE%\nlots\n\n%BACKUP%\nno-tab\n\n%PROVIDE\n");
  EXPECT_EQ(parsed.desc.name, "");
  EXPECT_EQ(parsed.desc.base, "tree-sitter");
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_EQ(parsed.errors[0], "line 4: expected a %SECTION% header, got \"%VER.6-1\"");
  EXPECT_EQ(parsed.errors[1], "line 11: field %SIZE%: expected a number, got \"lots\"");
  EXPECT_NE(parsed.errors[2].find("line 14: field %BACKUP%"), std::string::npos);
  EXPECT_NE(parsed.errors[3].find("line 16: expected a %SECTION% header"), std::string::npos);
}

TEST(AlpmDesc, HugeAndBinaryInputStaysBounded) {
  std::string junk;
  for (int i = 0; i < 3000; ++i) junk += "garbage\n\n";
  auto parsed = parse_alpm_desc(junk);
  EXPECT_EQ(parsed.errors.size(), 101u);
  std::string long_line = "%DESC%\n" + std::string(1024 * 1024, 'z') + "\n";
  EXPECT_EQ(parse_alpm_desc(long_line).desc.description.size(), 1024u * 1024);
  EXPECT_EQ(parse_alpm_desc(std::string("%NAME%\n\0x\n", 10)).desc.name, std::string("\0x", 2));
}

TEST(AlpmDesc, StripVersion) {
  EXPECT_EQ(alpm_strip_version("libtree-sitter.so=0-64"), "libtree-sitter.so");
  EXPECT_EQ(alpm_strip_version("glibc>=2.38"), "glibc");
  EXPECT_EQ(alpm_strip_version("gcc-libs"), "gcc-libs");
}

TEST(AlpmMtree, GunzipAndParse) {
  auto text = gunzip_capped(kMtreeGz, 1 << 20);
  ASSERT_TRUE(text) << text.error().message;
  auto parsed = parse_mtree(*text);
  EXPECT_TRUE(parsed.errors.empty());
  ASSERT_EQ(parsed.entries.size(), 4u);
  EXPECT_EQ(parsed.entries[0].path, "/usr");
  EXPECT_EQ(parsed.entries[0].type, "dir");
  EXPECT_EQ(parsed.entries[0].mode, "755");
  EXPECT_EQ(parsed.entries[1].path, "/usr/bin/tool");
  EXPECT_EQ(parsed.entries[1].type, "file");
  EXPECT_EQ(parsed.entries[1].uid, "0");
  EXPECT_EQ(parsed.entries[1].size, "10");
  EXPECT_EQ(parsed.entries[1].md5, "0123");
  EXPECT_EQ(parsed.entries[1].sha256, "abcd");
  EXPECT_EQ(parsed.entries[2].type, "link");
  EXPECT_EQ(parsed.entries[2].link, "libx.so.1");
  EXPECT_EQ(parsed.entries[3].path, "/usr/share/with space");
}

TEST(AlpmMtree, BombsAndGarbageAreRefused) {
  EXPECT_FALSE(gunzip_capped(kMtreeGz, 10));
  std::string truncated = kMtreeGz.substr(0, 60);
  EXPECT_FALSE(gunzip_capped(truncated, 1 << 20));
  // Not gzip at all: read as plain text, as an uncompressed mtree would be.
  auto plain = gunzip_capped("./etc type=dir\n", 1 << 20);
  ASSERT_TRUE(plain);
  EXPECT_EQ(parse_mtree(*plain).entries.size(), 1u);
  auto parsed = parse_mtree("/weird x\n./a \\\n size=3\n..\n./.PKGINFO size=1\n.\n");
  ASSERT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.entries[0].size, "3");
  EXPECT_EQ(parsed.errors.size(), 1u);
}

// Syft's Test_PackageURL cases (alpm/purl_cases.json).
struct PurlCase {
  const char* name;
  std::string id, build_id;
  std::string package, version, arch, base;
  std::string purl;
};

TEST(AlpmPurl, SyftCases) {
  const PurlCase cases[] = {
      {"bad distro id", "something-else", "rolling", "p", "v", "a", "", ""},
      {"gocase", "arch", "rolling", "p", "v", "a", "", "pkg:alpm/arch/p@v?arch=a&distro=arch-rolling"},
      {"missing architecture", "arch", "", "p", "v", "", "", "pkg:alpm/arch/p@v?distro=arch"},
      {"python", "arch", "rolling", "python", "3.10.0", "any", "", "pkg:alpm/arch/python@3.10.0?arch=any&distro=arch-rolling"},
      {"spaces", "arch", "rolling", "g plus plus", "v84", "x86_64", "", "pkg:alpm/arch/g%20plus%20plus@v84?arch=x86_64&distro=arch-rolling"},
      {"add source information as qualifier", "arch", "rolling", "p", "v", "a", "origin", "pkg:alpm/arch/p@v?arch=a&distro=arch-rolling&upstream=origin"},
  };
  for (const auto& c : cases) {
    Release r;
    r.id = c.id;
    r.build_id = c.build_id;
    AlpmDesc d;
    d.name = c.package;
    d.version = c.version;
    d.arch = c.arch;
    d.base = c.base;
    EXPECT_EQ(alpm_purl(d, r), c.purl) << c.name;
  }
  AlpmDesc same_base;
  same_base.name = same_base.base = "gmp";
  same_base.version = "1";
  Release arch;
  arch.id = "arch";
  EXPECT_EQ(alpm_purl(same_base, arch), "pkg:alpm/arch/gmp@1?distro=arch");
  EXPECT_EQ(alpm_purl(same_base, std::nullopt), "");
}

TEST(AlpmCataloger, PackagesFilesAndDependencies) {
  const std::string local = "/var/lib/pacman/local/";
  auto fs = make_fs({
      {local + "gmp-6.2.1-2/desc", kGmpDesc},
      {local + "gmp-6.2.1-2/files", "%FILES%\nusr/\n\n%BACKUP%\netc/gmp.conf\tabc\n"},
      {local + "gmp-6.2.1-2/mtree", kMtreeGz},
      {local + "gcc-libs-13-1/desc", "%NAME%\ngcc-libs\n\n%VERSION%\n13-1\n\n%PROVIDES%\nlibgcc_s.so=1-64\n"},
      {local + "sh-1/desc", "%NAME%\nbash\n\n%VERSION%\n5-1\n\n%PROVIDES%\nsh\n"},
      {local + "app-1/desc", "%NAME%\napp\n\n%VERSION%\n1-1\n\n%DEPENDS%\ngmp>=6\nlibgcc_s.so=1-64\nlibgcc_s.so=2-64\n"},
      {local + "broken-1/desc", "%NME%\nbroken\n"},
  });
  Release arch;
  arch.id = "arch";
  arch.build_id = "rolling";
  auto result = alpm_cataloger().run(fs, CatalogContext{arch});
  ASSERT_EQ(result.packages.size(), 4u);  // app, gcc-libs, gmp, bash (glob order)
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], local + "broken-1/desc: no %NAME% field; no package recorded");

  auto find = [&](const std::string& name) -> std::size_t {
    for (std::size_t i = 0; i < result.packages.size(); ++i)
      if (result.packages[i].name == name) return i;
    ADD_FAILURE() << name;
    return 0;
  };
  const auto& gmp = result.packages[find("gmp")];
  EXPECT_EQ(gmp.type, "alpm");
  EXPECT_EQ(gmp.found_by, "alpm-db-cataloger");
  EXPECT_EQ(gmp.purl, "pkg:alpm/arch/gmp@6.2.1-2?arch=x86_64&distro=arch-rolling");
  EXPECT_EQ(gmp.licenses, (std::vector<std::string>{"LGPL3", "GPL"}));
  EXPECT_EQ(gmp.locations, (std::vector<std::string>{local + "gmp-6.2.1-2/desc", local + "gmp-6.2.1-2/files",
                                                     local + "gmp-6.2.1-2/mtree"}));
  EXPECT_EQ(gmp.files,
            (std::vector<std::string>{"/usr", "/usr/bin/tool", "/usr/lib/libx.so", "/usr/share/with space"}));
  EXPECT_EQ(gmp.supplier, "Antonio Rojas <arojas@archlinux.org>");
  EXPECT_EQ(gmp.source_name, "gmp");
  EXPECT_EQ(gmp.metadata.at("backup"), "/etc/gmp.conf");
  EXPECT_EQ(gmp.cpes, std::vector<std::string>{make_cpe("gmp", "gmp", "6.2.1-2")});

  std::size_t app = find("app"), gcc = find("gcc-libs"), g = find("gmp"), bash = find("bash");
  // app: gmp>=6 by name (a range), libgcc_s.so=1-64 exactly; =2-64 matches nothing.
  // gmp: gcc-libs by name, sh through bash's provides.
  std::vector<Dependency> expected = {{app, gcc}, {app, g}, {g, gcc}, {g, bash}};
  std::sort(expected.begin(), expected.end());
  auto actual = result.dependencies;
  std::sort(actual.begin(), actual.end());
  EXPECT_EQ(actual, expected);
}

TEST(AlpmCataloger, CorruptMtreeIsAnErrorButThePackageStays) {
  const std::string dir = "/var/lib/pacman/local/x-1/";
  auto fs = make_fs({{dir + "desc", "%NAME%\nx\n\n%VERSION%\n1\n"}, {dir + "mtree", kMtreeGz.substr(0, 50)}});
  auto result = alpm_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].purl, "");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind(dir + "mtree: gzip", 0), 0u) << result.errors[0];
}

TEST(AlpmCataloger, CaptureRules) {
  CapturePolicy policy(alpm_cataloger().captures);
  EXPECT_TRUE(policy.cap_for("/var/lib/pacman/local/base-1.0/desc"));
  EXPECT_TRUE(policy.cap_for("/var/lib/pacman/local/base-1.0/files"));
  EXPECT_TRUE(policy.cap_for("/var/lib/pacman/local/base-1.0/mtree"));
  EXPECT_FALSE(policy.cap_for("/var/lib/pacman/sync/core.db"));
}

}  // namespace
}  // namespace cairn::sbom
