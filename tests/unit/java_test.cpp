// Java archive reading, pom/manifest parsing and identity, including hostile archives:
// zip bombs, deep nesting, truncated and corrupt zips, huge and malformed poms.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sbom/catalogers/java.h"
#include "sbom/catalogers/java_archive_extract.h"
#include "sbom/catalogers/java_archive_name.h"
#include "sbom/catalogers/java_manifest.h"
#include "sbom/catalogers/java_pom.h"
#include "sbom/xml_subset.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive in memory, written by libarchive (deflate-compressed).
std::string make_zip(const Entries& entries) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::size_t total = 1024 * 1024;
  for (const auto& [name, data] : entries) total += name.size() + data.size() + data.size() / 8 + 1024;
  std::vector<char> buf(total);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& [name, data] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

const std::string kManifest = "Manifest-Version: 1.0\nImplementation-Title: demo\nImplementation-Version: 9.9\n";

std::string jar_with_pom(const std::string& group, const std::string& artifact, const std::string& version) {
  return make_zip({{"META-INF/MANIFEST.MF", kManifest},
                   {"META-INF/maven/" + group + "/" + artifact + "/pom.properties",
                    "groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n"}});
}

CatalogResult catalog(const std::map<std::string, std::string>& archives) {
  testing::ExtractMap extracts;
  for (const auto& [path, bytes] : archives) extracts[path]["java-archive"] = *extract_java_archive(path, bytes);
  auto fs = testing::make_fs({}, extracts);
  return java_archive_cataloger().run(fs, {});
}

bool any_error_contains(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

TEST(JavaArchive, IdentifiesFromPomProperties) {
  auto result = catalog({{"/app/lib/foo-1.2.jar", jar_with_pom("com.example", "foo", "1.2.3")}});
  ASSERT_EQ(result.packages.size(), 1u);
  const Package& p = result.packages[0];
  EXPECT_EQ(p.name, "foo");
  EXPECT_EQ(p.version, "1.2.3");
  EXPECT_EQ(p.purl, "pkg:maven/com.example/foo@1.2.3");
  EXPECT_EQ(p.type, "java-archive");
  EXPECT_EQ(p.found_by, "java-archive-cataloger");
  EXPECT_EQ(p.locations, std::vector<std::string>{"/app/lib/foo-1.2.jar"});
  EXPECT_EQ(p.metadata.at("sha1").size(), 40u);
}

TEST(JavaArchive, FallsBackToManifestAndFileName) {
  auto result = catalog({{"/opt/tool-4.5.6.jar", make_zip({{"META-INF/MANIFEST.MF", kManifest}})}});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "tool");
  EXPECT_EQ(result.packages[0].version, "4.5.6");
  EXPECT_EQ(result.packages[0].purl, "pkg:maven/tool/tool@4.5.6");
}

TEST(JavaArchive, NestedJarsInWarDependOnIt) {
  std::string war = make_zip({{"META-INF/MANIFEST.MF", kManifest},
                              {"META-INF/maven/org.app/web/pom.properties", "groupId=org.app\nartifactId=web\nversion=1\n"},
                              {"WEB-INF/lib/a-1.0.jar", jar_with_pom("org.a", "a", "1.0")},
                              {"WEB-INF/lib/b-2.0.jar", jar_with_pom("org.b", "b", "2.0")}});
  auto result = catalog({{"/srv/web.war", war}});
  ASSERT_EQ(result.packages.size(), 3u);
  EXPECT_EQ(result.packages[0].name, "web");
  EXPECT_EQ(result.packages[1].name, "a");
  EXPECT_EQ(result.packages[1].metadata.at("virtual_path"), "/srv/web.war:WEB-INF/lib/a-1.0.jar");
  EXPECT_EQ(result.packages[1].metadata.at("parent"), "web@1");
  EXPECT_EQ(result.packages[2].locations, std::vector<std::string>{"/srv/web.war"});
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{0, 1}, {0, 2}}));
}

TEST(JavaArchive, JarsInsideZipHaveNoParent) {
  auto result = catalog({{"/dist/bundle.zip", make_zip({{"lib/a-1.0.jar", jar_with_pom("org.a", "a", "1.0")}})}});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "a");
  EXPECT_TRUE(result.dependencies.empty());
}

TEST(JavaArchive, SymlinkedJarIsOnePackage) {
  testing::ExtractMap extracts;
  const std::string bytes = jar_with_pom("org.a", "a", "1.0");
  extracts["/usr/share/java/a.jar"]["java-archive"] = *extract_java_archive("a.jar", bytes);
  auto fs = testing::make_fs({{"/usr/share/java/a-1.0.jar", "->a.jar"}, {"/usr/share/maven-repo/a.jar", "->../java/a.jar"}},
                             extracts);
  auto result = java_archive_cataloger().run(fs, {});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].locations, std::vector<std::string>{"/usr/share/java/a.jar"});
}

TEST(JavaArchive, ZipBombStopsAtTheByteBudget) {
  // 64 MiB of zeros deflates to ~64 KiB; the nested "jar" inflates past the budget.
  std::string zeros(64 * 1024 * 1024, '\0');
  std::string bomb = make_zip({{"META-INF/MANIFEST.MF", kManifest}, {"lib/huge.jar", zeros}});
  ASSERT_LT(bomb.size(), 1024u * 1024);
  JavaArchiveLimits limits;
  limits.max_total_bytes = 8 * 1024 * 1024;
  JavaArchiveInfo info = scan_java_archive(bomb, limits);
  EXPECT_TRUE(info.nested.empty());
  EXPECT_TRUE(any_error_contains(info.errors, "entry \"lib/huge.jar\""));
  EXPECT_TRUE(any_error_contains(info.errors, "zip bomb"));
  // A single nested archive over its own cap is skipped the same way.
  limits = {};
  limits.max_nested_archive_bytes = 1024 * 1024;
  info = scan_java_archive(bomb, limits);
  EXPECT_TRUE(any_error_contains(info.errors, "larger than 1048576 bytes"));
}

TEST(JavaArchive, FiftyDeepNestingStopsAtTheDepthCap) {
  std::string jar = jar_with_pom("org.deep", "deep", "50");
  for (int i = 49; i >= 1; --i)
    jar = make_zip({{"META-INF/MANIFEST.MF", kManifest}, {"lib/level" + std::to_string(i) + ".jar", jar}});
  JavaArchiveInfo info = scan_java_archive(jar);
  std::size_t depth = 0;
  const JavaArchiveInfo* at = &info;
  while (!at->nested.empty()) {
    at = &at->nested[0];
    ++depth;
  }
  EXPECT_EQ(depth, JavaArchiveLimits{}.max_depth);
  EXPECT_TRUE(any_error_contains(at->errors, "nested deeper than 16"));
  auto result = catalog({{"/deep.jar", jar}});
  EXPECT_EQ(result.packages.size(), 17u);
  EXPECT_TRUE(any_error_contains(result.errors, "/deep.jar:lib/level1.jar:"));
}

TEST(JavaArchive, TruncatedZipIsAnErrorNamingTheFile) {
  std::string jar = jar_with_pom("org.a", "a", "1.0");
  auto result = catalog({{"/t/a.jar", jar.substr(0, jar.size() / 2)}});
  EXPECT_TRUE(result.packages.empty());
  ASSERT_FALSE(result.errors.empty());
  EXPECT_NE(result.errors[0].find("/t/a.jar: not a readable zip archive"), std::string::npos) << result.errors[0];
}

TEST(JavaArchive, CorruptCentralDirectoryIsAnError) {
  std::string jar = jar_with_pom("org.a", "a", "1.0");
  // Damage every central directory header signature (PK\1\2).
  for (std::size_t i = jar.find("PK\x01\x02"); i != std::string::npos; i = jar.find("PK\x01\x02", i + 1)) jar[i + 2] = 9;
  auto result = catalog({{"/c/a.jar", jar}});
  EXPECT_TRUE(result.packages.empty());
  EXPECT_TRUE(any_error_contains(result.errors, "/c/a.jar: "));
  // Garbage in an offset: the end-of-central-directory record points past the end.
  jar = jar_with_pom("org.a", "a", "1.0");
  auto eocd = jar.rfind("PK\x05\x06");
  ASSERT_NE(eocd, std::string::npos);
  jar[eocd + 16] = '\xff';
  jar[eocd + 17] = '\xff';
  result = catalog({{"/c/b.jar", jar}});
  EXPECT_TRUE(result.packages.empty());
  EXPECT_TRUE(any_error_contains(result.errors, "/c/b.jar: "));
}

TEST(JavaArchive, HugePomIsSkippedWithAnError) {
  std::string pom = "<project><artifactId>x</artifactId><description>" + std::string(5 * 1024 * 1024, 'a') +
                    "</description></project>";
  std::string jar = make_zip({{"META-INF/MANIFEST.MF", kManifest}, {"META-INF/maven/g/x/pom.xml", pom}});
  JavaArchiveInfo info = scan_java_archive(jar);
  EXPECT_TRUE(info.pom_xml.empty());
  EXPECT_TRUE(any_error_contains(info.errors, "entry \"META-INF/maven/g/x/pom.xml\": larger than"));
}

TEST(JavaArchive, MalformedPomIsReportedAndIgnored) {
  std::string jar = make_zip({{"META-INF/MANIFEST.MF", kManifest},
                              {"META-INF/maven/g/x/pom.xml", "<project><artifactId>x</groupId></project>"}});
  auto result = catalog({{"/m/x-1.0.jar", jar}});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "x");
  EXPECT_TRUE(any_error_contains(result.errors, "/m/x-1.0.jar: entry \"META-INF/maven/g/x/pom.xml\": </groupId> closes"));
}

TEST(JavaArchive, BadManifestDoesNotStopIdentification) {
  std::string manifest = std::string("\x01\x02 no colon here\n continuation without key\n:\n") + std::string(3, '\0') +
                         "\nImplementation-Version: 2.0\n";
  auto result = catalog({{"/b/thing.jar", make_zip({{"META-INF/MANIFEST.MF", manifest}})}});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].name, "thing");
  EXPECT_EQ(result.packages[0].version, "2.0");
}

TEST(JavaArchive, ExtractIsSmallAndRoundTrips) {
  std::string filler(2 * 1024 * 1024, 'c');
  std::string jar = make_zip({{"META-INF/MANIFEST.MF", kManifest + "Import-Package: " + std::string(100000, 'p') + "\n"},
                              {"com/example/Big.class", filler},
                              {"META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"}});
  auto extract = extract_java_archive("a.jar", jar);
  ASSERT_TRUE(extract);
  EXPECT_LT(extract->size(), 2048u);
  auto info = parse_java_archive_extract(*extract);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->pom_properties.at(0).artifact_id, "a");
  EXPECT_EQ(info->manifest.get("Implementation-Version"), "9.9");
  EXPECT_FALSE(parse_java_archive_extract("{not json").has_value());
}

TEST(JavaArchiveName, SplitsNameAndVersionAsSyft) {
  auto check = [](const char* path, const char* name, const char* version) {
    auto n = parse_java_archive_name(path);
    EXPECT_EQ(n.name, name) << path;
    EXPECT_EQ(n.version, version) << path;
  };
  check("/x/jackson-core-2.15.2.jar", "jackson-core", "2.15.2");
  check("my-http2-server-5.jar", "my-http2-server", "5");
  check("jetpack-build235-rc5.jar", "jetpack", "build235-rc5");
  check("ironman-r4.jar", "ironman", "r4");
  check("commons-lang3.jar", "commons-lang3", "");
  check("api-all-2.0.0-sources.jar", "api-all", "2.0.0-sources");
  check("foo_1.2.jar", "foo", "1.2");
  check("gradle.hpi", "gradle", "");
  EXPECT_EQ(artifact_from_archive_name(parse_java_archive_name("com.fasterxml.jackson.core.jackson-core-2.15.2.jar")),
            "jackson-core");
  EXPECT_EQ(artifact_from_archive_name(parse_java_archive_name("org.eclipse.osgi-3.18.jar")), "org.eclipse.osgi");
}

TEST(JavaManifest, SectionsAndContinuations) {
  auto m = parse_java_manifest("Manifest-Version: 1.0\r\nPlugin-ScmUrl: https://example.com/a\r\n -b\r\n\r\nName: x/\r\nBundle-License: MIT\r\n");
  EXPECT_EQ(m.get("Plugin-ScmUrl"), "https://example.com/a-b");
  EXPECT_EQ(m.get("Bundle-License"), "");
  EXPECT_EQ(m.field("Bundle-License"), "MIT");
  ASSERT_EQ(m.sections.size(), 1u);
  std::string many;
  for (int i = 0; i < 30000; ++i) many += "K" + std::to_string(i) + ": v\n";
  EXPECT_EQ(parse_java_manifest(many).main.size(), 20000u);
}

TEST(PomXml, InterpolatesPropertiesAndProjectFields) {
  auto pom = parse_pom_xml(R"(<?xml version="1.0"?>
<!DOCTYPE project [ <!ENTITY boom "&boom;&boom;"> ]>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.parent</groupId><artifactId>p</artifactId><version>7</version></parent>
  <artifactId>child</artifactId>
  <properties><lib.version>${base}.1</lib.version><base>2.0</base><loop>${loop}${loop}</loop></properties>
  <licenses><license><name>Apache &amp; more</name><url><![CDATA[https://x/<y>]]></url></license></licenses>
  <dependencyManagement><dependencies>
    <dependency><groupId>m</groupId><artifactId>managed</artifactId><version>3.3</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>${project.groupId}</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
    <dependency><groupId>m</groupId><artifactId>managed</artifactId><scope>test</scope></dependency>
    <dependency><groupId>u</groupId><artifactId>unknown</artifactId><version>${nope}&#x41;&boom;</version></dependency>
    <dependency><groupId>l</groupId><artifactId>loop</artifactId><version>${loop}</version></dependency>
  </dependencies>
</project>)");
  ASSERT_TRUE(pom) << pom.error().message;
  EXPECT_EQ(pom->artifact_id, "child");
  EXPECT_EQ(pom->parent.group_id, "org.parent");
  ASSERT_EQ(pom->licenses.size(), 1u);
  EXPECT_EQ(pom->licenses[0].name, "Apache & more");
  EXPECT_EQ(pom->licenses[0].url, "https://x/<y>");
  ASSERT_EQ(pom->dependencies.size(), 4u);
  EXPECT_EQ(pom->dependencies[0].group_id, "org.parent");
  EXPECT_EQ(pom->dependencies[0].version, "2.0.1");
  EXPECT_EQ(pom->dependencies[1].version, "3.3");
  EXPECT_EQ(pom->dependencies[1].scope, "test");
  EXPECT_EQ(pom->dependencies[2].version, "${nope}A&boom;");
  EXPECT_LE(pom->dependencies[3].version.size(), 4096u);
}

TEST(PomXml, MalformedAndHostileDocumentsFail) {
  EXPECT_FALSE(parse_pom_xml("").has_value());
  EXPECT_FALSE(parse_pom_xml("<project>").has_value());
  EXPECT_FALSE(parse_pom_xml("<project><a></b></project>").has_value());
  EXPECT_FALSE(parse_pom_xml("<notproject/>").has_value());
  EXPECT_FALSE(parse_pom_xml("<project a=b/>").has_value());
  EXPECT_FALSE(parse_pom_xml("<project><!-- unterminated").has_value());
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  auto r = parse_pom_xml("<project>" + deep);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("nested deeper than 256"), std::string::npos);
  XmlLimits small;
  small.max_elements = 10;
  std::string wide = "<project>";
  for (int i = 0; i < 20; ++i) wide += "<x/>";
  EXPECT_FALSE(parse_xml(wide + "</project>", small).has_value());
  small = {};
  small.max_bytes = 100;
  EXPECT_FALSE(parse_xml(wide + std::string(200, ' ') + "</project>", small).has_value());
}

TEST(PomProperties, ReadsCoordinates) {
  auto p = parse_pom_properties("#Generated by Maven\r\n! also a comment\r\nversion=1.0\r\ngroupId = g\r\nartifactId:a\r\nbad line\r\n");
  EXPECT_EQ(p.group_id, "g");
  EXPECT_EQ(p.artifact_id, "a");
  EXPECT_EQ(p.version, "1.0");
}

TEST(JavaBuildFiles, OnlyForDirectorySources) {
  auto fs = testing::make_fs({{"/src/gradle.lockfile", "a:b:1.0=compileClasspath\nempty=x\nbad\n"},
                              {"/src/pom.xml", "<project><groupId>g</groupId><artifactId>app</artifactId><version>1</version>"
                                               "<dependencies><dependency><groupId>d</groupId><artifactId>dep</artifactId>"
                                               "<version>2</version></dependency></dependencies></project>"}});
  EXPECT_TRUE(java_gradle_lockfile_cataloger().run(fs, {}).packages.empty());
  EXPECT_TRUE(java_pom_cataloger().run(fs, {}).packages.empty());
  CatalogContext dir;
  dir.directory_source = true;
  auto gradle = java_gradle_lockfile_cataloger().run(fs, dir);
  ASSERT_EQ(gradle.packages.size(), 1u);
  EXPECT_EQ(gradle.packages[0].purl, "pkg:maven/a/b@1.0");
  auto pom = java_pom_cataloger().run(fs, dir);
  ASSERT_EQ(pom.packages.size(), 2u);
  EXPECT_EQ(pom.packages[0].purl, "pkg:maven/g/app@1");
  EXPECT_EQ(pom.dependencies, (std::vector<Dependency>{{0, 1}}));
  auto broken = testing::make_fs({{"/src/pom.xml", "<project><oops></project>"}});
  auto r = java_pom_cataloger().run(broken, dir);
  EXPECT_TRUE(r.packages.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("/src/pom.xml: "), std::string::npos);
}

TEST(JavaJvm, ReleaseFileOfAnOpenJdk) {
  auto fs = testing::make_fs({{"/usr/lib/jvm/java-17/release", "IMPLEMENTOR=\"Debian\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\nJAVA_VERSION=\"17.0.15\"\n"},
                              {"/usr/lib/jvm/java-17/bin/javac", "x"},
                              {"/etc/release", "NOT_A_JVM=1\n"}});
  auto r = java_jvm_cataloger().run(fs, {});
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].name, "openjdk");
  EXPECT_EQ(r.packages[0].version, "17.0.15+6-Debian-1deb12u1");
  EXPECT_EQ(r.packages[0].cpes, std::vector<std::string>{"cpe:2.3:a:oracle:openjdk:17.0.15:*:*:*:*:*:*:*"});
  EXPECT_EQ(r.packages[0].files.size(), 2u);
}

}  // namespace
}  // namespace cairn::sbom
