#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sbom/catalogers/python.h"
#include "sbom/catalogers/python_license_file.h"
#include "sbom/catalogers/python_lockfiles.h"
#include "sbom/catalogers/python_metadata.h"
#include "test_support.h"

namespace cairn::sbom::python_test {
namespace {

using cairn::testing::make_fs;

TEST(PythonMetadata, ReadsHeadersWithContinuationLines) {
  auto m = parse_python_metadata(
      "Metadata-Version: 2.1\r\nName: Foo.Bar\nVersion: 1.0\nLicense: MIT\n  with extra words\n"
      "Requires-Dist: a (>1)\nRequires-Dist: b ; extra == 'x'\nProvides-Extra: x\n\nName: body-not-header\n");
  EXPECT_EQ(m.name, "Foo.Bar");
  EXPECT_EQ(m.version, "1.0");
  EXPECT_EQ(m.license, "MIT\nwith extra words");
  EXPECT_EQ(m.requires_dist, (std::vector<std::string>{"a (>1)", "b ; extra == 'x'"}));
  EXPECT_EQ(m.provides_extra, std::vector<std::string>{"x"});
  EXPECT_TRUE(m.problems.empty());
}

TEST(PythonMetadata, InvalidUtf8IsReplacedAndNamed) {
  auto m = parse_python_metadata("Name: caf\xC3\nAuthor: \xFF\xFE bob\n");
  EXPECT_EQ(m.name, "caf\xEF\xBF\xBD");
  EXPECT_EQ(m.author, "\xEF\xBF\xBD\xEF\xBF\xBD bob");
  ASSERT_EQ(m.problems.size(), 2u);
  EXPECT_NE(m.problems[0].find("field \"Name\": invalid UTF-8"), std::string::npos) << m.problems[0];
}

TEST(PythonMetadata, GarbageLinesAreProblemsNotCrashes) {
  auto m = parse_python_metadata(" leading continuation\nno colon here\n:\nVersion: 2\n");
  EXPECT_EQ(m.version, "2");
  EXPECT_TRUE(m.name.empty());
  EXPECT_EQ(m.problems.size(), 4u);  // continuation, two bad lines, missing Name
  EXPECT_TRUE(parse_python_metadata("").problems.size() == 1);
}

TEST(PythonMetadata, ListsAreCapped) {
  std::string text = "Name: x\n";
  for (int i = 0; i < 10050; ++i) text += "Classifier: c\n";
  auto m = parse_python_metadata(text);
  EXPECT_EQ(m.classifiers.size(), 10000u);
  EXPECT_EQ(m.problems.size(), 1u);
}

TEST(PythonRecord, ParsesCsvAndSkipsMalformedRows) {
  auto r = parse_python_record(
      "a.py,sha256=abc,10\n\"with,comma.py\",,\n<<<<<<< HEAD\nb.py,sha256=x,1,extra\n"
      "c\"d.py,,\n../../bin/tool,sha256=z,3\r\n");
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_EQ(r.entries[0].algorithm, "sha256");
  EXPECT_EQ(r.entries[0].digest, "abc");
  EXPECT_EQ(r.entries[0].size, "10");
  EXPECT_EQ(r.entries[1].path, "with,comma.py");
  EXPECT_EQ(r.entries[2].path, "../../bin/tool");
  EXPECT_EQ(r.problems.size(), 3u);
  EXPECT_NE(r.problems[0].find("line 3"), std::string::npos) << r.problems[0];
}

TEST(PythonRecord, UnterminatedQuoteStops) {
  auto r = parse_python_record("a,b,c\n\"open,,\nmore\n");
  EXPECT_EQ(r.entries.size(), 1u);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("unterminated"), std::string::npos);
}

TEST(PythonDirectUrl, ReadsVcsInfoAndRejectsGarbage) {
  auto d = parse_python_direct_url(R"({"url":"https://g/x.git","vcs_info":{"vcs":"git","commit_id":"ab"}})");
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.value.vcs, "git");
  EXPECT_EQ(d.value.commit_id, "ab");
  EXPECT_FALSE(parse_python_direct_url("[1,2").ok);
  EXPECT_FALSE(parse_python_direct_url("\"s\"").ok);
  EXPECT_TRUE(parse_python_direct_url(R"({"url":"file:///src","dir_info":{"editable":true}})").value.editable);
}

TEST(PythonNames, Pep503AndRequirements) {
  EXPECT_EQ(normalize_python_name("Foo__Bar.-baz"), "foo-bar-baz");
  EXPECT_EQ(python_requirement_name("Requests[socks] (>=2) ; python_version < '3'"), "requests");
  EXPECT_EQ(python_requirement_name("  zope.interface>=5"), "zope-interface");
  EXPECT_EQ(python_requirement_name(""), "");
  EXPECT_EQ(parse_python_top_level("a\n\n  b \r\n"), (std::vector<std::string>{"a", "b"}));
}

TEST(PythonLicenses, ExpressionThenLicenseThenClassifiers) {
  PythonMetadata m;
  m.classifiers = {"License :: OSI Approved :: MIT License", "License :: OSI Approved", "Topic :: X"};
  EXPECT_EQ(python_classifier_licenses(m), std::vector<std::string>{"MIT License"});
  EXPECT_TRUE(python_declared_licenses(m).empty());
  m.license = "UNKNOWN";
  EXPECT_TRUE(python_declared_licenses(m).empty());
  m.license = "BSD";
  EXPECT_EQ(python_declared_licenses(m), std::vector<std::string>{"BSD"});
  m.license_expression = "MIT OR Apache-2.0";
  EXPECT_EQ(python_declared_licenses(m), std::vector<std::string>{"MIT OR Apache-2.0"});
  EXPECT_EQ(identify_python_license_text("Permission is hereby granted, free of charge, to any\n person obtaining a copy"),
            "MIT");
  EXPECT_FALSE(identify_python_license_text("All rights reserved.").has_value());
}

TEST(PythonSupplier, AuthorThenMaintainer) {
  PythonMetadata m;
  m.author = "Ann";
  m.author_email = "ann@x";
  EXPECT_EQ(python_supplier(m), "Ann <ann@x>");
  m = {};
  m.author_email = "Bob <bob@x>";
  EXPECT_EQ(python_supplier(m), "Bob <bob@x>");
  m = {};
  m.maintainer = "Max";
  EXPECT_EQ(python_supplier(m), "Max");
}

const char* kSite = "/usr/lib/python3/dist-packages";

TEST(PythonCataloger, FindsDistributionsFilesAndDependencies) {
  std::string site = kSite;
  auto fs = make_fs({
      {site + "/requests-2.28.1.dist-info/METADATA",
       "Name: requests\nVersion: 2.28.1\nLicense-Expression: Apache-2.0\nAuthor: K\nAuthor-email: k@r\n"
       "Requires-Dist: Charset_Normalizer (<4)\nRequires-Dist: idna\nRequires-Dist: missing\n"},
      {site + "/requests-2.28.1.dist-info/RECORD", "requests/__init__.py,sha256=a,1\n../../../bin/x,,\n"},
      {site + "/requests-2.28.1.dist-info/INSTALLER", "pip\n"},
      {site + "/charset_normalizer-3.0.1.dist-info/METADATA", "Name: charset-normalizer\nVersion: 3.0.1\n"},
      {site + "/idna-3.3.egg-info/PKG-INFO", "Name: idna\nVersion: 3.3\nLicense: BSD-3-Clause\n"},
      {"/venv/lib/python3.11/site-packages/idna-3.4.egg-info", "Name: idna\nVersion: 3.4\n"},
  });
  auto result = python_installed_cataloger().run(fs, CatalogContext{});
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();
  ASSERT_EQ(result.packages.size(), 4u);
  auto find = [&](const std::string& location) {
    auto it = std::find_if(result.packages.begin(), result.packages.end(),
                           [&](const Package& p) { return p.locations.front() == location; });
    EXPECT_NE(it, result.packages.end()) << location;
    return static_cast<std::size_t>(it - result.packages.begin());
  };
  std::size_t requests = find(site + "/requests-2.28.1.dist-info/METADATA");
  std::size_t charset = find(site + "/charset_normalizer-3.0.1.dist-info/METADATA");
  std::size_t idna = find(site + "/idna-3.3.egg-info/PKG-INFO");
  find("/venv/lib/python3.11/site-packages/idna-3.4.egg-info");
  const Package& r = result.packages[requests];
  EXPECT_EQ(r.purl, "pkg:pypi/requests@2.28.1");
  EXPECT_EQ(r.licenses, std::vector<std::string>{"Apache-2.0"});
  EXPECT_EQ(r.supplier, "K <k@r>");
  EXPECT_EQ(r.metadata.at("installer"), "pip");
  EXPECT_EQ(r.files, (std::vector<std::string>{site + "/requests/__init__.py", "/usr/bin/x"}));
  EXPECT_EQ(result.packages[charset].name, "charset-normalizer");
  EXPECT_EQ(result.packages[idna].licenses, std::vector<std::string>{"BSD-3-Clause"});
  // The venv's idna does not satisfy the system requests.
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{requests, charset}, {requests, idna}}));
}

TEST(PythonCataloger, UnreadableAndNamelessMetadataAreErrors) {
  auto fs = make_fs({{"/site-packages/x.dist-info/METADATA", "Version: 1\n"},
                     {"/site-packages/y.dist-info/RECORD", "a,b,c\n"}});
  auto result = python_installed_cataloger().run(fs, CatalogContext{});
  EXPECT_TRUE(result.packages.empty());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], "/site-packages/x.dist-info/METADATA: field Name: missing");
}

TEST(PythonCataloger, DeclaredLicenseFileMustStayInsideTheMetadataDirectory) {
  auto fs = make_fs({{"/sp/a.dist-info/METADATA", "Name: a\nVersion: 1\nLicense-File: ../../etc/LICENSE\n"},
                     {"/etc/LICENSE", "Permission is hereby granted, free of charge, to any person obtaining a copy"}});
  auto result = python_installed_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_TRUE(result.packages[0].licenses.empty());
}

}  // namespace
}  // namespace cairn::sbom::python_test

namespace cairn::sbom::python_test {
namespace {

TEST(PythonRequirements, OnlyExactPinsHaveVersions) {
  auto rs = parse_python_requirements(
      "Flask == 4.0.0 # comment\nbar >= 1, \\\n  <= 2\n-r other.txt\n==2.3.4\n"
      "celery[redis, pytest] == 4.4.7\nx===1.0 --hash=sha256:ab\nreq[sec] == 2.8.* ; python_version < '3'\n"
      "G == 3.7.1 @ git+https://h/r@v3\n");
  ASSERT_EQ(rs.size(), 6u);
  EXPECT_EQ(rs[0].name, "Flask");
  EXPECT_EQ(rs[0].version, "4.0.0");
  EXPECT_EQ(rs[1].name, "bar");
  EXPECT_TRUE(rs[1].version.empty());
  EXPECT_EQ(rs[2].extras, (std::vector<std::string>{"redis", "pytest"}));
  EXPECT_EQ(rs[2].version, "4.4.7");
  EXPECT_EQ(rs[3].version, "1.0");
  EXPECT_TRUE(rs[4].version.empty());
  EXPECT_EQ(rs[4].markers, "python_version < '3'");
  EXPECT_EQ(rs[5].url, "git+https://h/r@v3");
  EXPECT_EQ(rs[5].version, "3.7.1");
  EXPECT_TRUE(parse_python_requirements("[unclosed\nname[unclosed == 1\n\\").empty());
}

TEST(PythonPipfileLock, DefaultSectionAndGarbage) {
  auto lock = parse_pipfile_lock(
      R"({"_meta":{"sources":[{"name":"pypi","url":"https://pypi.org/simple"}]},
          "default":{"a":{"version":"==1.0","index":"pypi"},"b":"weird"},"develop":{"c":{"version":"==2"}}})");
  ASSERT_EQ(lock.entries.size(), 2u);
  EXPECT_EQ(lock.entries[0].version, "1.0");
  EXPECT_EQ(lock.entries[0].index, "https://pypi.org/simple");
  EXPECT_TRUE(lock.entries[1].version.empty());
  EXPECT_EQ(parse_pipfile_lock("{").problems.size(), 1u);
  EXPECT_EQ(parse_pipfile_lock(R"({"default":[]})").problems.size(), 1u);
}

TEST(PythonPoetryLock, PackagesAndSources) {
  auto lock = parse_poetry_lock(
      "[[package]]\nname = \"a\"\nversion = \"1.0\"\nfiles = [\n  {file = \"x\"},\n]\n"
      "[package.dependencies]\nname = \"not-a-package\"\n[package.source]\nurl = \"https://i/simple\"\n"
      "[[package]]\nname = 'b\\q'\nversion = 3\n[[package]]\nversion = \"9\"\n[metadata]\nname = \"x\"\n");
  ASSERT_EQ(lock.entries.size(), 2u);
  EXPECT_EQ(lock.entries[0].name, "a");
  EXPECT_EQ(lock.entries[0].version, "1.0");
  EXPECT_EQ(lock.entries[0].index, "https://i/simple");
  EXPECT_EQ(lock.entries[1].name, "b\\q");
  EXPECT_TRUE(lock.entries[1].version.empty());
  EXPECT_EQ(lock.problems.size(), 2u);  // version = 3, nameless package
  EXPECT_TRUE(parse_poetry_lock("name = \"\n[[package]]\nname = \"unterminated\n").entries.empty());
}

TEST(PythonPoetryLock, DependenciesAndExtrasBecomeEdges) {
  auto fs = make_fs({{"/p/poetry.lock",
                      "[[package]]\nname = \"a\"\nversion = \"1\"\n[package.dependencies]\nB_x = \">1\"\n"
                      "c = [\n  {version = \"1\"},\n]\n[package.extras]\nt = [\n  \"a[z]\",\n  \"gone (>1)\",\n]\n"
                      "[[package]]\nname = \"b.x\"\nversion = \"2\"\n[[package]]\nname = \"c\"\nversion = \"3\"\n"}});
  CatalogContext ctx;
  ctx.directory_source = true;
  auto result = python_lockfile_cataloger().run(fs, ctx);
  ASSERT_EQ(result.packages.size(), 3u);
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{0, 0}, {0, 1}, {0, 2}}));
}

TEST(PythonLockfileCataloger, RunsOnlyOnDirectories) {
  auto fs = make_fs({{"/src/requirements.txt", "a==1\n"}});
  CatalogContext ctx;
  EXPECT_TRUE(python_lockfile_cataloger().run(fs, ctx).packages.empty());
  ctx.directory_source = true;
  auto result = python_lockfile_cataloger().run(fs, ctx);
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].purl, "pkg:pypi/a@1");
  EXPECT_EQ(result.packages[0].found_by, "python-package-cataloger");
}

}  // namespace
}  // namespace cairn::sbom::python_test
