// The npm package.json parser and the installed node_modules cataloger.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sbom/capture.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/npm_lock.h"
#include "sbom/catalogers/npm_package_json.h"
#include "test_support.h"

namespace cairn::sbom::javascript_test {
namespace {

using cairn::testing::make_fs;

NpmPackageJson parse_ok(const std::string& text) {
  auto parsed = parse_npm_package_json(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : NpmPackageJson{};
}

TEST(NpmPackageJson, ReadsTheFieldsSyftReads) {
  auto p = parse_ok(R"({
    "name": "express", "version": "4.18.2", "description": "web framework",
    "homepage": "http://expressjs.com/", "repository": {"type": "git", "url": "git+https://github.com/expressjs/express.git"},
    "author": {"name": "TJ Holowaychuk", "email": "tj@vision-media.ca"},
    "license": "MIT",
    "dependencies": {"accepts": "~1.3.8", "body-parser": "1.20.1"}
  })");
  EXPECT_EQ(p.name, "express");
  EXPECT_EQ(p.version, "4.18.2");
  EXPECT_EQ(p.description, "web framework");
  EXPECT_EQ(p.homepage, "http://expressjs.com/");
  EXPECT_EQ(p.repository_url, "git+https://github.com/expressjs/express.git");
  EXPECT_EQ(p.author, "TJ Holowaychuk <tj@vision-media.ca>");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"MIT"});
  ASSERT_EQ(p.dependencies.size(), 2u);
  EXPECT_EQ(p.dependencies[0], (std::pair<std::string, std::string>{"accepts", "~1.3.8"}));
  EXPECT_FALSE(p.is_private);
}

TEST(NpmPackageJson, LicenseForms) {
  EXPECT_EQ(parse_ok(R"({"license": {"type": "ISC", "url": "x"}})").licenses, std::vector<std::string>{"ISC"});
  EXPECT_EQ(parse_ok(R"({"license": ["MIT", {"type": "Apache-2.0"}]})").licenses,
            (std::vector<std::string>{"MIT", "Apache-2.0"}));
  EXPECT_EQ(parse_ok(R"({"licenses": [{"type": "MIT"}, {"type": "GPL-2.0"}]})").licenses,
            (std::vector<std::string>{"MIT", "GPL-2.0"}));
  // Syft reads the legacy array only as objects, and "license" first.
  EXPECT_TRUE(parse_ok(R"({"licenses": ["MIT"]})").licenses.empty());
  EXPECT_EQ(parse_ok(R"({"license": "BSD-2-Clause", "licenses": [{"type": "MIT"}]})").licenses,
            std::vector<std::string>{"BSD-2-Clause"});
  EXPECT_TRUE(parse_ok(R"({"license": ""})").licenses.empty());
  EXPECT_TRUE(parse_ok(R"({"license": 42})").licenses.empty());
}

TEST(NpmPackageJson, PeopleJoinedInSyftOrder) {
  auto p = parse_ok(R"({"author": "A <a@x>", "authors": ["B"], "contributors": [{"name": "C", "url": "http://c"}],
                        "maintainers": {"email": "d@x"}})");
  EXPECT_EQ(p.author, "A <a@x>, B, C (http://c), <d@x>");
  EXPECT_EQ(parse_ok(R"({"contributors": "https://example.com/graphs"})").author, "https://example.com/graphs");
}

TEST(NpmPackageJson, PrivateAndRepositoryString) {
  auto p = parse_ok(R"({"name": "x", "private": true, "repository": "github:user/x"})");
  EXPECT_TRUE(p.is_private);
  EXPECT_EQ(p.repository_url, "github:user/x");
}

TEST(NpmPackageJson, WrongTypesAreIgnored) {
  auto p = parse_ok(R"({"name": 1, "version": [], "author": 3, "dependencies": ["a"], "private": "yes"})");
  EXPECT_TRUE(p.name.empty());
  EXPECT_TRUE(p.version.empty());
  EXPECT_TRUE(p.author.empty());
  EXPECT_TRUE(p.dependencies.empty());
  EXPECT_FALSE(p.is_private);
}

TEST(NpmPackageJson, MalformedInputIsAnError) {
  const std::vector<std::string> inputs = {"",      "{",         R"({"name"node": 1})", "[1,2]",
                                           "\"str\"", "{\"a\":1} x", "{\"name\":\"\xff\"}"};
  for (const auto& bad : inputs) {
    auto parsed = parse_npm_package_json(bad);
    EXPECT_FALSE(parsed.has_value()) << bad;
  }
  // Deep nesting does not overflow the stack.
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_TRUE(parse_npm_package_json(deep).has_value());
}

TEST(NpmPurl, ScopeGoesToTheNamespace) {
  EXPECT_EQ(npm_purl("@babel/code-frame", "7.10.4"), "pkg:npm/%40babel/code-frame@7.10.4");
  EXPECT_EQ(npm_purl("express", "4.18.2"), "pkg:npm/express@4.18.2");
  EXPECT_EQ(npm_purl("ipaddr.js", "1.9.1"), "pkg:npm/ipaddr.js@1.9.1");
  EXPECT_EQ(npm_purl("", "1"), "");
}

TEST(JavascriptCataloger, InstalledManifestPaths) {
  EXPECT_TRUE(is_installed_package_json("/app/node_modules/express/package.json"));
  EXPECT_TRUE(is_installed_package_json("/app/node_modules/@babel/core/package.json"));
  EXPECT_TRUE(is_installed_package_json("/node_modules/a/node_modules/b/package.json"));
  EXPECT_FALSE(is_installed_package_json("/app/package.json"));
  EXPECT_FALSE(is_installed_package_json("/app/node_modules/express/lib/package.json"));
  EXPECT_FALSE(is_installed_package_json("/app/node_modules/@babel/package.json"));
  EXPECT_FALSE(is_installed_package_json("/app/node_modules/.bin/package.json"));
  EXPECT_FALSE(is_installed_package_json("/app/node_modules/@babel/core/test/package.json"));
}

const Package* find(const CatalogResult& r, const std::string& name, const std::string& version) {
  for (const auto& p : r.packages)
    if (p.name == name && p.version == version) return &p;
  return nullptr;
}

std::size_t index_of(const CatalogResult& r, const Package* p) { return static_cast<std::size_t>(p - r.packages.data()); }

TEST(JavascriptCataloger, NestedModulesAndNodeLookup) {
  auto fs = make_fs({
      {"/app/package.json", R"({"name": "app", "version": "1.0.0", "dependencies": {"send": "*"}})"},
      {"/app/node_modules/send/package.json",
       R"({"name": "send", "version": "0.19.0", "license": "MIT", "dependencies": {"ms": "2.1.3", "debug": "2"}})"},
      {"/app/node_modules/send/node_modules/ms/package.json", R"({"name": "ms", "version": "2.1.3"})"},
      {"/app/node_modules/ms/package.json", R"({"name": "ms", "version": "2.0.0"})"},
      {"/app/node_modules/debug/package.json", R"({"name": "debug", "version": "2.6.9", "dependencies": {"ms": "2.0.0"}})"},
      {"/app/node_modules/@types/node/package.json", R"({"name": "@types/node", "version": "20.1.0"})"},
      {"/app/node_modules/send/lib/package.json", R"({"name": "not-a-package", "version": "0"})"},
      {"/srv/workspace/package.json", R"({"private": true, "workspaces": ["a"]})"},
  });
  auto cataloger = javascript_package_cataloger();
  EXPECT_EQ(cataloger.name, "javascript-package-cataloger");
  CatalogContext dir_source;
  dir_source.directory_source = true;
  EXPECT_TRUE(cataloger.run(fs, dir_source).packages.empty());
  auto r = cataloger.run(fs, {});
  EXPECT_TRUE(r.errors.empty());
  // The app's own package.json is the sixth (as Syft); the workspace root has no name.
  ASSERT_EQ(r.packages.size(), 6u);
  const Package* app = find(r, "app", "1.0.0");
  ASSERT_TRUE(app);
  const Package* send = find(r, "send", "0.19.0");
  const Package* ms_nested = find(r, "ms", "2.1.3");
  const Package* ms_top = find(r, "ms", "2.0.0");
  const Package* debug = find(r, "debug", "2.6.9");
  const Package* types = find(r, "@types/node", "20.1.0");
  ASSERT_TRUE(send && ms_nested && ms_top && debug && types);
  EXPECT_EQ(types->purl, "pkg:npm/%40types/node@20.1.0");
  EXPECT_EQ(send->type, "npm");
  EXPECT_EQ(send->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(send->locations, std::vector<std::string>{"/app/node_modules/send/package.json"});
  std::vector<Dependency> want = {{index_of(r, app), index_of(r, send)},
                                  {index_of(r, send), index_of(r, ms_nested)},
                                  {index_of(r, send), index_of(r, debug)},
                                  {index_of(r, debug), index_of(r, ms_top)}};
  auto got = r.dependencies;
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, want);
}

TEST(JavascriptCataloger, BadManifestsAreReportedAndSkipped) {
  auto fs = make_fs({
      {"/node_modules/broken/package.json", "{\"name\": "},
      {"/node_modules/nameless/package.json", R"({"version": "1.0.0"})"},
      {"/node_modules/good/package.json", R"({"name": "good", "version": "1.0.0", "private": true})"},
  });
  auto r = javascript_package_cataloger().run(fs, {});
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].metadata.at("private"), "true");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find("/node_modules/broken/package.json"), std::string::npos);
  EXPECT_NE(r.errors[1].find("\"name\""), std::string::npos);
}

TEST(JavascriptCataloger, CaptureCapRefusesHugeManifests) {
  CapturePolicy policy(javascript_package_cataloger().captures);
  auto cap = policy.cap_for("/app/node_modules/x/package.json");
  ASSERT_TRUE(cap.has_value());
  EXPECT_LT(*cap, 100u * 1024 * 1024);
  EXPECT_TRUE(policy.cap_for("/app/node_modules/x/node_modules/@s/y/package.json").has_value());
  // A listed but uncaptured manifest (what the reader leaves of an oversized one).
  LayerContents layer;
  Entry e;
  e.path = "/app/node_modules/huge/package.json";
  e.type = EntryType::File;
  e.size = 100u * 1024 * 1024;
  layer.entries.push_back(e);
  LayerFs image;
  image.apply(layer, 0);
  auto r = javascript_package_cataloger().run(image, {});
  EXPECT_TRUE(r.packages.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("/app/node_modules/huge/package.json"), std::string::npos);
}

std::vector<std::string> ids(const std::vector<NpmLockEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.name + "@" + e.version);
  return out;
}

TEST(NpmLock, Version1NestedTreeWithoutDevAndWithAliases) {
  auto entries = parse_npm_lock(R"({"lockfileVersion": 1, "dependencies": {
    "a": {"version": "1.0.0", "resolved": "https://r/a.tgz", "integrity": "sha512-a",
          "dependencies": {"b": {"version": "2.0.0"}, "a2": {"version": "npm:@s/real@3.1.0"}}},
    "b": {"version": "2.0.0"},
    "dev-tool": {"version": "9.0.0", "dev": true, "dependencies": {"under-dev": {"version": "1.0.0"}}}
  }})");
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  EXPECT_EQ(ids(*entries), (std::vector<std::string>{"@s/real@3.1.0", "a@1.0.0", "b@2.0.0"}));
  EXPECT_EQ((*entries)[1].resolved, "https://r/a.tgz");
  EXPECT_EQ((*entries)[1].integrity, "sha512-a");
}

TEST(NpmLock, Version2And3PackagesMap) {
  for (int version : {2, 3}) {
    auto entries = parse_npm_lock(R"({"lockfileVersion": )" + std::to_string(version) + R"(, "packages": {
      "": {"name": "root", "version": "1.0.0", "license": "ISC"},
      "node_modules/x": {"version": "1.2.3", "license": ["MIT", "Apache2"]},
      "node_modules/x/node_modules/@s/y": {"version": "0.1.0"},
      "node_modules/alias": {"name": "real", "version": "2.0.0"},
      "node_modules/devonly": {"version": "5.0.0", "dev": true}
    }})");
    ASSERT_TRUE(entries.has_value()) << entries.error().message;
    EXPECT_EQ(ids(*entries), (std::vector<std::string>{"@s/y@0.1.0", "real@2.0.0", "root@1.0.0", "x@1.2.3"}));
    EXPECT_EQ((*entries)[3].licenses, (std::vector<std::string>{"MIT", "Apache2"}));
  }
}

TEST(NpmLock, BadInputIsAnErrorNamingTheField) {
  EXPECT_FALSE(parse_npm_lock("{").has_value());
  EXPECT_FALSE(parse_npm_lock("[]").has_value());
  auto missing = parse_npm_lock(R"({"dependencies": {}})");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("lockfileVersion"), std::string::npos);
  EXPECT_FALSE(parse_npm_lock(R"({"lockfileVersion": 7})").has_value());
  // Wrong types inside are skipped, not fatal.
  auto odd = parse_npm_lock(R"({"lockfileVersion": 2, "packages": {"node_modules/a": 1, "": {"version": "1"}}})");
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->empty());
}

TEST(NpmLock, DeepNestingIsBounded) {
  std::string deep = R"({"lockfileVersion": 1, "dependencies": )";
  for (int i = 0; i < 5000; ++i) deep += R"({"p": {"version": "1", "dependencies": )";
  deep += "{}";
  for (int i = 0; i < 5000; ++i) deep += "}}";
  deep += "}";
  auto entries = parse_npm_lock(deep);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  EXPECT_EQ(entries->size(), 1u);  // one name@version, however deep
}

TEST(JavascriptLockCataloger, OnlyForDirectorySources) {
  auto fs = make_fs({
      {"/src/package-lock.json", R"({"lockfileVersion": 3, "packages": {"node_modules/x": {"version": "1.0.0"}}})"},
      {"/src/node_modules/x/package.json", R"({"name": "x", "version": "1.0.0", "license": "MIT"})"},
      {"/src/node_modules/x/package-lock.json", R"({"lockfileVersion": 3, "packages": {"node_modules/z": {"version": "1"}}})"},
  });
  auto lock = javascript_lock_cataloger();
  EXPECT_EQ(lock.name, "javascript-lock-cataloger");
  EXPECT_TRUE(lock.run(fs, {}).packages.empty());
  CatalogContext dir;
  dir.directory_source = true;
  auto r = lock.run(fs, dir);
  ASSERT_EQ(r.packages.size(), 1u);
  EXPECT_EQ(r.packages[0].name, "x");
  EXPECT_EQ(r.packages[0].licenses, std::vector<std::string>{"MIT"});  // from the installed copy
  EXPECT_EQ(r.packages[0].locations, std::vector<std::string>{"/src/package-lock.json"});
}

}  // namespace
}  // namespace cairn::sbom::javascript_test
