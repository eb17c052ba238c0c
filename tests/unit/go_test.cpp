// Go build info (inline and pointer layouts, in ELF, PE and Mach-O), the packages Syft's
// go-module-binary-cataloger makes of it, and go.mod / go.sum.
#include <gtest/gtest.h>

#include <algorithm>

#include "executable_builder.h"
#include "sbom/catalogers/go_binary.h"
#include "sbom/catalogers/go_buildinfo.h"
#include "sbom/catalogers/go_mod.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using testing::build_elf;
using testing::build_macho;
using testing::build_pe;
using testing::ByteWriter;

const std::string kMagic = "\xff Go buildinf:";
const std::string kSentinel = std::string(16, '\x30');

const std::string kModInfo =
    "path\texample.com/app/cmd/app\n"
    "mod\texample.com/app\t(devel)\t\n"
    "dep\tgithub.com/a/b\tv1.2.3\th1:abc=\n"
    "dep\tgolang.org/x/text\tv0.3.0\n"
    "=>\tgolang.org/x/text\tv0.3.7\th1:xyz=\n"
    "build\t-compiler=gc\n"
    "build\t-ldflags=\"-X main.Version=1.0.0\"\n"
    "build\tCGO_ENABLED=0\n"
    "build\tGOARCH=amd64\n"
    "build\tGOOS=linux\n";

std::string varint(std::size_t n) {
  std::string out;
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  return out + static_cast<char>(n);
}

std::string inline_blob(const std::string& version, const std::string& modinfo) {
  std::string header = kMagic + '\x08' + '\x02' + std::string(16, '\0');
  auto framed = kSentinel + modinfo + kSentinel;
  return header + varint(version.size()) + version + varint(framed.size()) + framed;
}

// Pre-1.18 layout in one data section at `base`: header, then two Go string headers,
// then the string bytes.
std::string pointer_blob(std::uint64_t base, const std::string& version, const std::string& modinfo, int ptr,
                         bool big_endian) {
  auto framed = kSentinel + modinfo + kSentinel;
  ByteWriter w(!big_endian);
  w.bytes = kMagic + static_cast<char>(ptr) + static_cast<char>(big_endian ? 1 : 0);
  std::uint64_t headers = base + 32, strings = headers + 4 * ptr;
  w.put(headers, ptr);
  w.put(headers + 2 * ptr, ptr);
  w.pad_to(32);
  w.put(strings, ptr);
  w.put(version.size(), ptr);
  w.put(strings + version.size(), ptr);
  w.put(framed.size(), ptr);
  return w.bytes + version + framed;
}

TEST(GoBuildInfo, InlineLayoutInElfBuildinfoSection) {
  auto elf = build_elf(true, true, 62,
                       {{".text", 0x401000, "\xc3", false}, {".go.buildinfo", 0x500000, inline_blob("go1.21.5", kModInfo), true}});
  auto infos = read_go_buildinfo(elf);
  ASSERT_TRUE(infos) << infos.error().message;
  ASSERT_EQ(infos->size(), 1u);
  const auto& info = infos->front();
  EXPECT_EQ(info.go_version, "go1.21.5");
  EXPECT_EQ(info.path, "example.com/app/cmd/app");
  ASSERT_TRUE(info.main);
  EXPECT_EQ(info.main->version, "(devel)");
  ASSERT_EQ(info.deps.size(), 2u);
  EXPECT_EQ(info.deps[0].sum, "h1:abc=");
  ASSERT_TRUE(info.deps[1].replace);
  EXPECT_EQ(info.deps[1].replace->version, "v0.3.7");
  EXPECT_EQ(info.arch, "amd64");
  ASSERT_EQ(info.settings.size(), 5u);
  EXPECT_EQ(info.settings[1], (std::pair<std::string, std::string>{"-ldflags", "-X main.Version=1.0.0"}));
  // `go version -m` prints the module text back, version first.
  EXPECT_EQ(go_version_m_text(info), "go1.21.5\n\t" + [] {
    std::string t;
    for (char c : kModInfo) {
      t += c;
      if (c == '\n') t += '\t';
    }
    return t.substr(0, t.size() - 1);
  }());
}

TEST(GoBuildInfo, PointerLayoutInPeDataSection) {
  for (int ptr : {4, 8}) {
    std::uint64_t base = 0x4c0000;
    auto pe = build_pe(ptr == 8, ptr == 8 ? 0x8664 : 0x14c, 0x400000,
                       {{".text", 0x401000, "\xc3", false}, {".data", base, pointer_blob(base, "go1.16.3", kModInfo, ptr, false), true}});
    auto infos = read_go_buildinfo(pe);
    ASSERT_TRUE(infos) << infos.error().message;
    ASSERT_EQ(infos->size(), 1u) << ptr;
    EXPECT_EQ(infos->front().go_version, "go1.16.3");
    EXPECT_EQ(infos->front().deps.size(), 2u);
  }
}

TEST(GoBuildInfo, PointerLayoutBigEndianElf) {
  std::uint64_t base = 0x10000;
  auto elf = build_elf(false, false, 8, {{".data", base, pointer_blob(base, "go1.15", kModInfo, 4, true), true}});
  auto infos = read_go_buildinfo(elf);
  ASSERT_TRUE(infos) << infos.error().message;
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ(infos->front().go_version, "go1.15");
  EXPECT_EQ(infos->front().arch, "amd64");  // GOARCH setting wins over the header
}

TEST(GoBuildInfo, MachOBuildinfoSection) {
  auto macho = build_macho(true, true, 0x0100000c, {{"__go_buildinfo", 0x100000, inline_blob("go1.22.0", kModInfo), true}});
  auto infos = read_go_buildinfo(macho);
  ASSERT_TRUE(infos) << infos.error().message;
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ(infos->front().main->path, "example.com/app");
}

TEST(GoBuildInfo, NotGoAndCorrupt) {
  auto plain = build_elf(true, true, 62, {{".data", 0x1000, std::string(64, 'x'), true}});
  auto none = read_go_buildinfo(plain);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  // An inline length that runs past the section.
  auto blob = kMagic + '\x08' + '\x02' + std::string(16, '\0') + varint(1000) + "go1";
  auto bad = build_elf(true, true, 62, {{".go.buildinfo", 0x1000, blob, true}});
  EXPECT_FALSE(read_go_buildinfo(bad));

  // A varint that never ends.
  auto endless = kMagic + '\x08' + '\x02' + std::string(16, '\0') + std::string(20, '\xff');
  EXPECT_FALSE(read_go_buildinfo(build_elf(true, true, 62, {{".go.buildinfo", 0x1000, endless, true}})));

  // Pointers outside every section.
  ByteWriter w(true);
  w.bytes = kMagic + '\x08' + '\x00';
  w.put(0xdeadbeef, 8);
  w.put(0xdeadbeef, 8);
  w.pad_to(32);
  EXPECT_FALSE(read_go_buildinfo(build_elf(true, true, 62, {{".data", 0x1000, w.bytes, true}})));

  // A string header whose length is huge.
  ByteWriter h(true);
  h.bytes = kMagic + '\x08' + '\x00';
  h.put(0x1000 + 32, 8);
  h.put(0x1000 + 32, 8);
  h.pad_to(32);
  h.put(0x1000, 8);
  h.put(0xffffffffffffull, 8);
  EXPECT_FALSE(read_go_buildinfo(build_elf(true, true, 62, {{".data", 0x1000, h.bytes, true}})));

  // Bad pointer size.
  auto odd = kMagic + '\x03' + '\x00' + std::string(16, '\0');
  EXPECT_FALSE(read_go_buildinfo(build_elf(true, true, 62, {{".data", 0x1000, odd, true}})));

  // Every truncation of a good binary is an answer, never a crash.
  auto good = build_elf(true, true, 62, {{".go.buildinfo", 0x500000, inline_blob("go1.21.5", kModInfo), true}});
  for (std::size_t n = 0; n < good.size(); n += 7) (void)read_go_buildinfo(std::string_view(good).substr(0, n));
}

TEST(GoBuildInfo, ModInfoLines) {
  GoBuildInfo info;
  EXPECT_TRUE(parse_go_modinfo("build\t\"weird key\"=\"a\\tb\\x41\\u00e9\"\nbuild\tplain=`raw`\n", info));
  ASSERT_EQ(info.settings.size(), 2u);
  EXPECT_EQ(info.settings[0].first, "weird key");
  EXPECT_EQ(info.settings[0].second, "a\tbA\xc3\xa9");
  EXPECT_EQ(info.settings[1].second, "raw");
  EXPECT_NE(go_version_m_text(info).find("build\t\"weird key\"=\"a\\tbA\xc3\xa9\""), std::string::npos);

  GoBuildInfo bad;
  EXPECT_FALSE(parse_go_modinfo("dep\tonly-a-path\n", bad));
  EXPECT_FALSE(parse_go_modinfo("=>\tx\tv1\th1:\n", bad));  // replacement of nothing
  EXPECT_FALSE(parse_go_modinfo("build\t=x\n", bad));
  EXPECT_FALSE(parse_go_modinfo("build\tnoequals\n", bad));
  EXPECT_FALSE(parse_go_modinfo("build\tk=\"unterminated\n", bad));
  EXPECT_FALSE(parse_go_modinfo("build\t\"k\n", bad));
  EXPECT_FALSE(parse_go_modinfo("surprise\tline\n", bad));
}

TEST(GoBuildInfo, JsonRoundTrip) {
  GoBuildInfo info;
  info.go_version = "go1.19.8";
  ASSERT_TRUE(parse_go_modinfo(kModInfo, info));
  info.arch = "amd64";
  auto back = go_buildinfo_from_json(go_buildinfo_to_json({info}));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(go_version_m_text(back->front()), go_version_m_text(info));
  EXPECT_FALSE(go_buildinfo_from_json("{"));
}

const Package* find(const CatalogResult& r, const std::string& name) {
  for (const auto& p : r.packages)
    if (p.name == name) return &p;
  return nullptr;
}

TEST(GoBinaryPackages, ModulesStdlibAndRelationships) {
  GoBuildInfo info;
  info.go_version = "go1.21.5";
  ASSERT_TRUE(parse_go_modinfo(kModInfo, info));
  info.arch = "amd64";
  auto r = go_binary_packages("/usr/bin/app", {info});
  ASSERT_EQ(r.packages.size(), 4u);
  const auto* main = find(r, "example.com/app");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->version, "v1.0.0");  // from -ldflags -X main.Version=1.0.0
  EXPECT_EQ(main->purl, "pkg:golang/example.com/app@v1.0.0");
  EXPECT_EQ(main->found_by, "go-module-binary-cataloger");
  const auto* text = find(r, "golang.org/x/text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->version, "v0.3.7");  // the replacement
  EXPECT_EQ(text->metadata.at("h1_digest"), "h1:xyz=");
  const auto* ab = find(r, "github.com/a/b");
  EXPECT_EQ(ab->purl, "pkg:golang/github.com/a/b@v1.2.3");
  EXPECT_EQ(ab->type, "go-module");
  EXPECT_EQ(ab->locations, std::vector<std::string>{"/usr/bin/app"});
  const auto* stdlib = find(r, "stdlib");
  ASSERT_NE(stdlib, nullptr);
  EXPECT_EQ(stdlib->version, "go1.21.5");
  EXPECT_EQ(stdlib->purl, "pkg:golang/stdlib@1.21.5");
  EXPECT_EQ(stdlib->cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:1.21.5:-:*:*:*:*:*:*"});
  EXPECT_EQ(stdlib->licenses, std::vector<std::string>{"BSD-3-Clause"});
  EXPECT_EQ(r.dependencies.size(), 3u);
  for (const auto& d : r.dependencies) EXPECT_EQ(r.packages[d.from].name, "example.com/app");
}

TEST(GoBinaryPackages, MainVersionFromVcsAndDevel) {
  GoBuildInfo info;
  info.go_version = "go1.22rc1 X:loopvar";
  info.main = GoModule{{"example.com/m", "(devel)", ""}, std::nullopt};
  info.settings = {{"vcs.revision", "0123456789abcdef0123"}, {"vcs.time", "2024-03-01T23:30:00+02:00"}};
  EXPECT_EQ(go_main_module_version(info), "v0.0.0-20240301213000-0123456789ab");
  info.settings = {{"vcs.revision", "abc"}, {"vcs.time", "garbage"}};
  EXPECT_EQ(go_main_module_version(info), "v0.0.0-00010101000000-abc");
  info.settings = {{"-ldflags", "-s -w -X github.com/x/y/version.gitVersion=release/v2.3.4-rc.1"}};
  // Syft's pattern stops at the first character outside [-\w] (here the ".1").
  EXPECT_EQ(go_main_module_version(info), "v2.3.4-rc");
  info.settings = {{"-ldflags", "-X main.tag=5.6.7"}};
  EXPECT_EQ(go_main_module_version(info), "v5.6.7");
  info.settings = {{"-ldflags", "-s -w"}};
  EXPECT_EQ(go_main_module_version(info), "(devel)");
  auto r = go_binary_packages("/m", {info});
  const auto* stdlib = find(r, "stdlib");
  ASSERT_NE(stdlib, nullptr);
  EXPECT_EQ(stdlib->version, "go1.22rc1");
  EXPECT_EQ(stdlib->cpes, std::vector<std::string>{"cpe:2.3:a:golang:go:1.22:rc1:*:*:*:*:*:*"});
  EXPECT_EQ(find(r, "example.com/m")->purl, "pkg:golang/example.com/m@%28devel%29");
}

TEST(GoBinaryPackages, DebianBuildWithoutModules) {
  // Debian builds with GO111MODULE=off: a package path and settings, no module lines.
  GoBuildInfo info;
  info.go_version = "go1.19.8";
  ASSERT_TRUE(parse_go_modinfo("path\tgithub.com/containers/skopeo/cmd/skopeo\nbuild\t-compiler=gc\n", info));
  auto r = go_binary_packages("/usr/bin/skopeo", {info});
  ASSERT_EQ(r.packages.size(), 2u);
  const auto* main = find(r, "github.com/containers/skopeo/cmd/skopeo");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->version, "(devel)");
  ASSERT_NE(find(r, "stdlib"), nullptr);
  EXPECT_EQ(r.dependencies.size(), 1u);
}

TEST(GoBinaryCataloger, ReadsExtractsAndReportsCorruptOnes) {
  auto elf = build_elf(true, true, 62, {{".go.buildinfo", 0x500000, inline_blob("go1.21.5", kModInfo), true}});
  auto extract = go_buildinfo_extract("/app", elf);
  ASSERT_TRUE(extract);
  EXPECT_FALSE(go_buildinfo_extract("/text", "MZ but not a PE file"));
  EXPECT_FALSE(go_buildinfo_extract("/c", build_elf(true, true, 62, {{".data", 1, "no go here", true}})));
  auto corrupt = go_buildinfo_extract(
      "/bad", build_elf(true, true, 62, {{".go.buildinfo", 1, kMagic + "\x08\x02" + std::string(16, '\0') + varint(99), true}}));
  ASSERT_TRUE(corrupt);
  auto fs = testing::make_fs({}, {{"/app", {{"go-buildinfo", *extract}}}, {"/bad", {{"go-buildinfo", *corrupt}}}});
  auto cataloger = go_module_binary_cataloger();
  ASSERT_EQ(cataloger.captures.size(), 1u);
  EXPECT_TRUE(cataloger.captures[0].executables);
  auto r = cataloger.run(fs, {});
  EXPECT_EQ(r.packages.size(), 4u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("/bad: ", 0), 0u) << r.errors[0];
}

TEST(GoMod, RequireReplaceExclude) {
  auto mods = parse_go_mod(
      "module (\n  example.com/m\n)\n\ngo 1.21\n// require fake v1\nrequire (\n"
      "\tgithub.com/a/b v1.0.0 // indirect\n\tgithub.com/c/d v0.1.0\n\tgithub.com/e/f v2.0.0\n)\n"
      "require github.com/g/h v1.1.1\n"
      "replace github.com/a/b => github.com/a/b v1.0.5\n"
      "replace github.com/c/d v0.1.0 => ../local/d\n"
      "exclude github.com/e/f v2.0.0\n"
      "retract v0.0.1\n");
  ASSERT_TRUE(mods) << mods.error().message;
  ASSERT_EQ(mods->size(), 3u);
  EXPECT_EQ((*mods)[0].path, "github.com/a/b");
  EXPECT_EQ((*mods)[0].version, "v1.0.5");
  EXPECT_EQ((*mods)[1].path, "github.com/c/d");  // replaced by ../local/d: its own name, no version
  EXPECT_EQ((*mods)[1].version, "");
  EXPECT_EQ((*mods)[2].path, "github.com/g/h");
}

TEST(GoMod, ErrorsNameTheLine) {
  auto bad = parse_go_mod("module x\n\nruire (\n a v1\n)\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 3"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parse_go_mod("require (\n a v1\n"));
  EXPECT_FALSE(parse_go_mod("require a\n"));
  EXPECT_FALSE(parse_go_mod("replace a v1 b v2\n"));
  EXPECT_FALSE(parse_go_mod("require \"unterminated v1\n"));
}

TEST(GoMod, SumAndFileCataloger) {
  auto sums = parse_go_sum("a v1.0.0 h1:AAA=\na v1.0.0/go.mod h1:BBB=\nbroken line\n\nb v2 h1:CCC=\n");
  EXPECT_EQ(sums.size(), 2u);
  EXPECT_EQ((sums[{"a", "v1.0.0"}]), "h1:AAA=");
  auto fs = testing::make_fs({{"/src/go.mod", "module m\nrequire (\n a v1.0.0\n c v3.0.0\n)\n"},
                              {"/src/go.sum", "a v1.0.0 h1:AAA=\n"},
                              {"/bad/go.mod", "nonsense here\n"}});
  auto cataloger = go_module_file_cataloger();
  EXPECT_TRUE(cataloger.run(fs, {}).packages.empty());  // images: declared modules are not reported
  CatalogContext dir;
  dir.directory_source = true;
  auto r = cataloger.run(fs, dir);
  ASSERT_EQ(r.packages.size(), 2u);
  EXPECT_EQ(r.packages[0].metadata.at("h1_digest"), "h1:AAA=");
  EXPECT_EQ(r.packages[0].found_by, "go-module-file-cataloger");
  EXPECT_EQ(r.packages[1].metadata.count("h1_digest"), 0u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind("/bad/go.mod: ", 0), 0u);
}

}  // namespace
}  // namespace cairn::sbom
