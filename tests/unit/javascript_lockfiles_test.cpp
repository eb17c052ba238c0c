// The YAML subset reader and the yarn, pnpm, bun and deno lock-file parsers, plus the
// JavaScript lock cataloger over them: what they read, and how they refuse hostile input.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sbom/catalogers/bun_lock.h"
#include "sbom/catalogers/deno_lock.h"
#include "sbom/catalogers/javascript.h"
#include "sbom/catalogers/pnpm_lock.h"
#include "sbom/catalogers/yarn_lock.h"
#include "sbom/yaml_subset.h"
#include "test_support.h"

namespace cairn::sbom::javascript_lockfiles_test {
namespace {

using json = nlohmann::json;
using cairn::testing::make_fs;

json yaml_one(const std::string& text, yaml::Limits limits = {}) {
  auto docs = yaml::parse_documents(text, limits);
  EXPECT_TRUE(docs.has_value()) << (docs ? "" : docs.error().message);
  if (!docs || docs->size() != 1) return nullptr;
  return docs->front();
}

std::string yaml_error(const std::string& text, yaml::Limits limits = {}) {
  auto docs = yaml::parse_documents(text, limits);
  EXPECT_FALSE(docs.has_value()) << "accepted: " << text.substr(0, 80);
  return docs ? "" : docs.error().message;
}

// "name@version" of each package, and "from -> to" of each edge.
std::set<std::string> ids(const JsLockGraph& g, bool with_dev = true) {
  std::set<std::string> out;
  for (const auto& p : g.packages)
    if (with_dev || !p.dev) out.insert(p.name + "@" + p.version);
  return out;
}

std::set<std::string> edges(const JsLockGraph& g) {
  std::set<std::string> out;
  for (const auto& [from, to] : g.depends) {
    out.insert(g.packages[from].name + "@" + g.packages[from].version + " -> " + g.packages[to].name + "@" +
               g.packages[to].version);
  }
  return out;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

const JsLockedPackage* find(const JsLockGraph& g, const std::string& name) {
  for (const auto& p : g.packages)
    if (p.name == name) return &p;
  return nullptr;
}

// ---------------------------------------------------------------- YAML subset

TEST(YamlSubset, ReadsBlockCollectionsScalarsAndComments) {
  json doc = yaml_one(R"(# a comment
lockfileVersion: '9.0'
settings:
  autoInstallPeers: true   # trailing comment
  nothing:
  tilde: ~
list:
  - a
  - "b c"
  - key: value
    other: 2
sibling:
- x
- - nested
quoted: 'it''s'
escaped: "tab\there \u00e9 \x41"
url: https://example.com/a#frag
)");
  EXPECT_EQ(doc["lockfileVersion"], "9.0");
  EXPECT_EQ(doc["settings"]["autoInstallPeers"], true);
  EXPECT_TRUE(doc["settings"]["nothing"].is_null());
  EXPECT_TRUE(doc["settings"]["tilde"].is_null());
  EXPECT_EQ(doc["list"], json::parse(R"(["a", "b c", {"key": "value", "other": 2}])"));
  EXPECT_EQ(doc["sibling"], json::parse(R"(["x", ["nested"]])"));
  EXPECT_EQ(doc["quoted"], "it's");
  EXPECT_EQ(doc["escaped"], "tab\there \xc3\xa9 A");
  EXPECT_EQ(doc["url"], "https://example.com/a#frag");
}

TEST(YamlSubset, ReadsFlowCollectionsAsPnpmWritesThem) {
  json doc = yaml_one(R"(resolution: {integrity: sha512-abc+/==, tarball: 'https://x/y.tgz'}
engines: {node: '>=18.*', npm: ">=6"}
cpu: [x64, 'arm64']
empty: {}
none: []
nested: {a: [1, {b: c}], d: null,}
)");
  EXPECT_EQ(doc["resolution"]["integrity"], "sha512-abc+/==");
  EXPECT_EQ(doc["resolution"]["tarball"], "https://x/y.tgz");
  EXPECT_EQ(doc["engines"]["node"], ">=18.*");
  EXPECT_EQ(doc["cpu"], json::parse(R"(["x64", "arm64"])"));
  EXPECT_TRUE(doc["empty"].is_object() && doc["empty"].empty());
  EXPECT_TRUE(doc["none"].is_array() && doc["none"].empty());
  EXPECT_EQ(doc["nested"], json::parse(R"({"a": [1, {"b": "c"}], "d": null})"));
}

TEST(YamlSubset, NumbersFollowTheCoreSchemaUnlessKeptAsText) {
  json core = yaml_one("a: 5.4\nb: 12\nc: 1.2.3\nd: 1e3\n");
  EXPECT_EQ(core["a"], 5.4);
  EXPECT_EQ(core["b"], 12);
  EXPECT_EQ(core["c"], "1.2.3");
  EXPECT_EQ(core["d"], 1000.0);
  yaml::Limits text;
  text.numbers_as_strings = true;
  json kept = yaml_one("a: 5.4\nb: 1.10\n", text);
  EXPECT_EQ(kept["a"], "5.4");
  EXPECT_EQ(kept["b"], "1.10");
}

TEST(YamlSubset, SplitsDocuments) {
  auto docs = yaml::parse_documents("---\na: 1\n---\nb: 2\n...\n---\n---\nc: 3\n");
  ASSERT_TRUE(docs.has_value()) << docs.error().message;
  ASSERT_EQ(docs->size(), 4u);
  EXPECT_EQ((*docs)[0]["a"], 1);
  EXPECT_EQ((*docs)[1]["b"], 2);
  EXPECT_TRUE((*docs)[2].is_null());
  EXPECT_EQ((*docs)[3]["c"], 3);
  auto none = yaml::parse_documents("# only a comment\n\n");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(YamlSubset, RefusesWhatItDoesNotUnderstandNamingLineAndColumn) {
  EXPECT_EQ(yaml_error("a: 1\nb: &anchor x\n"), "line 2, column 4: anchors (\"&\") are not supported");
  EXPECT_NE(yaml_error("a: *alias\n").find("line 1, column 4: aliases"), std::string::npos);
  EXPECT_NE(yaml_error("a: !!str x\n").find("tags"), std::string::npos);
  EXPECT_NE(yaml_error("a: |\n  text\n").find("block scalars"), std::string::npos);
  EXPECT_NE(yaml_error("a:\n\tb: 1\n").find("line 2, column 1: tab in indentation"), std::string::npos);
  EXPECT_NE(yaml_error("a:\n    b: 1\n  c: 2\n").find("line 3"), std::string::npos);
  EXPECT_NE(yaml_error("a: 1\na: 2\n").find("line 2, column 1: duplicate mapping key \"a\""), std::string::npos);
  EXPECT_NE(yaml_error("a: 'open\n").find("line 1, column 4: single-quoted scalar not closed"), std::string::npos);
  EXPECT_NE(yaml_error("a: {b: 1,\n  c: 2}\n").find("line 1"), std::string::npos);
  EXPECT_NE(yaml_error("a: b: c\n").find("mapping value is not allowed"), std::string::npos);
  EXPECT_NE(yaml_error("a: \"\\q\"\n").find("unknown escape"), std::string::npos);
  EXPECT_NE(yaml_error("? complex\n: value\n").find("line 1"), std::string::npos);
  EXPECT_NE(yaml_error("a: plain\n  continued\n").find("line 2"), std::string::npos);
  EXPECT_NE(yaml_error("%YAML 1.2\n---\na: 1\n").find("directives"), std::string::npos);
}

TEST(YamlSubset, RefusesTruncatedInput) {
  EXPECT_NE(yaml_error("packages:\n  foo@1.0.0:\n    resolution: {integrity: sha512-").find("line 3"),
            std::string::npos);
  EXPECT_NE(yaml_error("a: [1, 2").find("line 1"), std::string::npos);
  EXPECT_NE(yaml_error("a: \"abc").find("line 1, column 4"), std::string::npos);
}

TEST(YamlSubset, RefusesBadUtf8AndControlCharacters) {
  EXPECT_EQ(yaml_error("a: 1\nb: \xff\n"), "line 2, column 4: invalid UTF-8 byte 0xff; expected UTF-8 text");
  EXPECT_NE(yaml_error("a: \xc3\n").find("line 1, column 4: invalid UTF-8"), std::string::npos);
  EXPECT_NE(yaml_error("a: \xed\xa0\x80\n").find("invalid UTF-8"), std::string::npos);  // a surrogate
  EXPECT_NE(yaml_error(std::string("a: x\0y\n", 7)).find("line 1, column 5: control character 0x00"), std::string::npos);
}

TEST(YamlSubset, CapsDepthNodesDocumentsAndSize) {
  // Deep flow nesting, deep block nesting: refused, not a stack overflow.
  std::string flow = "a: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  EXPECT_NE(yaml_error(flow).find("nested deeper than 64 levels"), std::string::npos);
  std::string block;
  for (int i = 0; i < 200; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
  EXPECT_NE(yaml_error(block).find("nested deeper than 64 levels"), std::string::npos);
  std::string dashes;
  for (int i = 0; i < 200; ++i) dashes += "- ";
  EXPECT_NE(yaml_error(dashes + "x\n").find("nested deeper"), std::string::npos);

  yaml::Limits small;
  small.max_nodes = 100;
  std::string many;
  for (int i = 0; i < 200; ++i) many += "k" + std::to_string(i) + ": v\n";
  EXPECT_NE(yaml_error(many, small).find("more than 100 YAML nodes"), std::string::npos);
  small = {};
  small.max_documents = 3;
  EXPECT_NE(yaml_error("---\n---\n---\n---\n", small).find("more than 3 YAML documents"), std::string::npos);
  small = {};
  small.max_bytes = 10;
  EXPECT_NE(yaml_error("a: 0123456789\n", small).find("larger than the 10-byte cap"), std::string::npos);
}

// ---------------------------------------------------------------- yarn.lock

constexpr const char* kYarnV1 = R"(# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.10.4"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#abc"
  integrity sha512-one==
  dependencies:
    "@babel/highlight" "^7.10.4"

"@babel/highlight@^7.10.4":
  version "7.10.4"
  resolved "https://registry.yarnpkg.com/@babel/highlight/-/highlight-7.10.4.tgz#def"
  dependencies:
    js-tokens "^4.0.0"
  optionalDependencies:
    fsevents "2.0.0"

js-tokens@^4.0.0, js-tokens@4:
  version "4.0.0"
  resolved "https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#ghi"

js-tokens@^4.0.1:
  version "4.0.0"
  resolved "https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#ghi"

resize-observer-polyfill@^1.5.1:
  version "1.5.2"
  resolved "https://npm.example.org/@4lolo/resize-observer-polyfill/-/resize-observer-polyfill-1.5.2.tgz#x"

fsevents@2.0.0:
  version "2.0.0"
  resolved "https://artifacts.example/api/npm/npm-remote/fsevents/-/fsevents-2.0.0.tgz"

local@file:../local:
  version "1.0.0"
)";

TEST(YarnLock, ClassicEntriesEdgesAndDuplicates) {
  auto g = parse_yarn_lock(kYarnV1);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_TRUE(g->warnings.empty());
  EXPECT_EQ(ids(*g), (std::set<std::string>{"@babel/code-frame@7.10.4", "@babel/highlight@7.10.4", "js-tokens@4.0.0",
                                            "@4lolo/resize-observer-polyfill@1.5.2", "fsevents@2.0.0"}));
  EXPECT_EQ(g->packages.size(), 5u);  // js-tokens once, the file: entry skipped
  EXPECT_EQ(edges(*g), (std::set<std::string>{"@babel/code-frame@7.10.4 -> @babel/highlight@7.10.4",
                                              "@babel/highlight@7.10.4 -> js-tokens@4.0.0",
                                              "@babel/highlight@7.10.4 -> fsevents@2.0.0"}));
  const auto* frame = find(*g, "@babel/code-frame");
  ASSERT_NE(frame, nullptr);
  EXPECT_EQ(frame->resolved, "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#abc");
  EXPECT_EQ(frame->integrity, "sha512-one==");
}

TEST(YarnLock, BerryEntriesEdgesAndWorkspace) {
  auto g = parse_yarn_lock(R"(# generated by yarn
__metadata:
  version: 6
  cacheKey: 8

"ajv@npm:^6.10.2, ajv@npm:^6.5.5":
  version: 6.12.3
  resolution: "ajv@npm:6.12.3"
  dependencies:
    fast-deep-equal: ^3.1.1
  dependenciesMeta:
    fast-deep-equal:
      optional: true
  checksum: ca559d
  languageName: node
  linkType: hard

"fast-deep-equal@npm:^3.1.1":
  version: 3.1.3
  resolution: "fast-deep-equal@npm:3.1.3"
  checksum: e21a9d
  languageName: node
  linkType: hard

"typescript@patch:typescript@npm%3A^4#~builtin<compat/typescript>":
  version: 4.9.5
  resolution: "typescript@patch:typescript@npm%3A4.9.5#~builtin<compat/typescript>::version=4.9.5&hash=1"
  languageName: node
  linkType: hard

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    ajv: ^6.10.2
  languageName: unknown
  linkType: soft
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_TRUE(g->warnings.empty()) << g->warnings.front();
  EXPECT_EQ(ids(*g), (std::set<std::string>{"ajv@6.12.3", "fast-deep-equal@3.1.3", "app@0.0.0-use.local"}));
  EXPECT_EQ(edges(*g), (std::set<std::string>{"ajv@6.12.3 -> fast-deep-equal@3.1.3", "app@0.0.0-use.local -> ajv@6.12.3"}));
  const auto* ajv = find(*g, "ajv");
  ASSERT_NE(ajv, nullptr);
  EXPECT_EQ(ajv->resolved, "ajv@npm:6.12.3");
  EXPECT_EQ(ajv->integrity, "ca559d");
}

TEST(YarnLock, CorruptEntriesAreSkippedWithWarningsNamingTheLine) {
  auto g = parse_yarn_lock(R"(good@^1:
  version "1.0.0"

no-colon@^1
  version "1.0.0"

"unterminated@^1:
  version "1.0.0"

bad-value@^1:
  version "1.0.0
  resolved "x"

no-version@^1:
  resolved "https://example/x"

odd-indent@^1:
  version "1.0.0"
   what "is this"

noat:
  version "1.0.0"

also-good@^2:
  version "2.0.0"
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"good@1.0.0", "also-good@2.0.0"}));
  const std::vector<std::string> lines = {"line 4:", "line 7:", "line 11:", "line 14:", "line 19:", "line 21:"};
  ASSERT_EQ(g->warnings.size(), lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_TRUE(g->warnings[i].starts_with(lines[i])) << g->warnings[i];
    EXPECT_NE(g->warnings[i].find("skipped"), std::string::npos) << g->warnings[i];
  }
}

TEST(YarnLock, BadUtf8IsAnErrorNamingTheLine) {
  auto g = parse_yarn_lock("a@1:\n  version \"1\"\nb@1:\n  version \"\xc0\xaf\"\n");
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().message, "line 4, column 12: invalid UTF-8 byte 0xc0; expected UTF-8 text");
}

TEST(YarnLock, TruncatedFileKeepsWhatIsComplete) {
  auto g = parse_yarn_lock("a@^1:\n  version \"1.0.0\"\n\nb@^2:\n  version \"2.0");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(ids(*g), (std::set<std::string>{"a@1.0.0"}));
  ASSERT_EQ(g->warnings.size(), 1u);
  EXPECT_TRUE(g->warnings[0].starts_with("line 5: unterminated quote")) << g->warnings[0];
}

TEST(YarnLock, HugeCountsAreCapped) {
  std::string text;
  for (int i = 0; i < 200005; ++i) text += "p" + std::to_string(i) + "@1:\n  version \"1\"\n";
  auto g = parse_yarn_lock(text);
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->packages.size(), 200000u);
  ASSERT_FALSE(g->warnings.empty());
  EXPECT_NE(g->warnings.back().find("more than 200000 entries"), std::string::npos);

  std::string deps = "a@1:\n  version \"1\"\n  dependencies:\n";
  for (int i = 0; i < 10001; ++i) deps += "    d" + std::to_string(i) + " \"1\"\n";
  auto wide = parse_yarn_lock(deps);
  ASSERT_TRUE(wide.has_value());
  EXPECT_TRUE(wide->packages.empty());
  ASSERT_EQ(wide->warnings.size(), 1u);
  EXPECT_NE(wide->warnings[0].find("more than 10000 dependencies"), std::string::npos);
}

// ---------------------------------------------------------------- pnpm-lock.yaml

TEST(PnpmLock, V5KeysAndPeerSuffixes) {
  auto g = parse_pnpm_lock(R"(lockfileVersion: 5.4

dependencies:
  acorn-jsx: 5.3.2_acorn@8.8.0
  local: link:../local

packages:
  /acorn/8.8.0:
    resolution: {integrity: sha512-acorn}
  /acorn-jsx/5.3.2_acorn@8.8.0:
    resolution: {integrity: sha512-jsx}
    dependencies:
      acorn: 8.8.0
  /@bcoe/v8-coverage/0.2.3:
    resolution: {integrity: sha512-bcoe}
    dev: true
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"acorn@8.8.0", "acorn-jsx@5.3.2", "@bcoe/v8-coverage@0.2.3"}));
  EXPECT_EQ(ids(*g, false), (std::set<std::string>{"acorn@8.8.0", "acorn-jsx@5.3.2"}));
  EXPECT_EQ(edges(*g), (std::set<std::string>{"acorn-jsx@5.3.2 -> acorn@8.8.0"}));
  EXPECT_EQ(find(*g, "acorn-jsx")->integrity, "sha512-jsx");
}

TEST(PnpmLock, V6KeysAndParenthesisedPeers) {
  auto g = parse_pnpm_lock(R"(lockfileVersion: '6.0'
dependencies:
  react-dom:
    specifier: ^18.2.0
    version: 18.2.0(react@18.2.0)
packages:
  /react@18.2.0:
    resolution: {integrity: sha512-react}
    dev: false
  /react-dom@18.2.0(react@18.2.0):
    resolution: {integrity: sha512-dom}
    dependencies:
      react: 18.2.0
    dev: false
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"react@18.2.0", "react-dom@18.2.0"}));
  EXPECT_EQ(edges(*g), (std::set<std::string>{"react-dom@18.2.0 -> react@18.2.0"}));
}

TEST(PnpmLock, V9SnapshotsImportersAndDevReachability) {
  auto g = parse_pnpm_lock(R"(lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      cross-spawn:
        specifier: ^7.0.5
        version: 7.0.6
    devDependencies:
      vitest:
        specifier: ^1
        version: 1.0.0(@types/node@20.0.0)
packages:
  cross-spawn@7.0.6:
    resolution: {integrity: sha512-cs}
  which@2.0.2:
    resolution: {integrity: sha512-which}
  vitest@1.0.0:
    resolution: {integrity: sha512-vitest}
  tinyspy@2.0.0:
    resolution: {integrity: sha512-spy}
snapshots:
  cross-spawn@7.0.6:
    dependencies:
      which: 2.0.2
  which@2.0.2: {}
  vitest@1.0.0(@types/node@20.0.0):
    dependencies:
      tinyspy: 2.0.0
      which: 2.0.2
  tinyspy@2.0.0: {}
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g, false), (std::set<std::string>{"cross-spawn@7.0.6", "which@2.0.2"}));
  EXPECT_EQ(ids(*g).size(), 4u);
  EXPECT_EQ(edges(*g), (std::set<std::string>{"cross-spawn@7.0.6 -> which@2.0.2", "vitest@1.0.0 -> tinyspy@2.0.0",
                                              "vitest@1.0.0 -> which@2.0.2"}));
}

TEST(PnpmLock, MergesDocuments) {
  auto g = parse_pnpm_lock(R"(---
lockfileVersion: '9.0'
packages:
  pnpm@12.0.0:
    resolution: {integrity: sha512-pnpm}
---
lockfileVersion: '9.0'
packages:
  minimist@1.2.0:
    resolution: {integrity: sha512-min}
)");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"pnpm@12.0.0", "minimist@1.2.0"}));
}

TEST(PnpmLock, ErrorsNameTheLineOrDocument) {
  auto bad_yaml = parse_pnpm_lock("lockfileVersion: '9.0'\npackages:\n  a@1.0.0: &x {}\n");
  ASSERT_FALSE(bad_yaml.has_value());
  EXPECT_TRUE(bad_yaml.error().message.starts_with("line 3, column 12: anchors")) << bad_yaml.error().message;
  auto no_version = parse_pnpm_lock("packages: {}\n");
  ASSERT_FALSE(no_version.has_value());
  EXPECT_EQ(no_version.error().message, "document 1: field \"lockfileVersion\": missing or not a scalar");
  auto wrong = parse_pnpm_lock("lockfileVersion: '9.0'\npackages: [a]\n");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("field \"packages\": expected a mapping"), std::string::npos);
  auto not_map = parse_pnpm_lock("- a\n");
  ASSERT_FALSE(not_map.has_value());
  EXPECT_NE(not_map.error().message.find("document 1: expected a mapping"), std::string::npos);
}

// ---------------------------------------------------------------- bun.lock, deno.lock

TEST(BunLock, JsoncTuplesDevReachabilityAndEdges) {
  auto g = parse_bun_lock(R"({
  // bun writes trailing commas
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "app", "dependencies": { "axios": "^1" }, "devDependencies": { "eslint": "^9" }, },
  },
  "packages": {
    "app": ["app@workspace:.", {}],
    "axios": ["axios@1.6.0", "", { "dependencies": { "follow-redirects": "^1" } }, "sha512-axios"],
    "follow-redirects": ["follow-redirects@1.15.3", "", {}, "sha512-fr"],
    "eslint": ["eslint@9.0.0", "", { "dependencies": { "follow-redirects": "^1", "keys": "^4" } }, "sha512-es"],
    "eslint/keys": ["keys@4.0.0", "", { "os": ["linux", "darwin"], "cpu": "x64" }, "sha512-keys"],
    "alias": ["alias@npm:real@2.0.0", "", {}, "sha512-real"],
    /* a comment */
  },
})");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"axios@1.6.0", "follow-redirects@1.15.3", "eslint@9.0.0", "keys@4.0.0",
                                            "real@2.0.0"}));
  EXPECT_EQ(ids(*g, false), (std::set<std::string>{"axios@1.6.0", "follow-redirects@1.15.3", "real@2.0.0"}));
  EXPECT_EQ(edges(*g), (std::set<std::string>{"axios@1.6.0 -> follow-redirects@1.15.3",
                                              "eslint@9.0.0 -> follow-redirects@1.15.3", "eslint@9.0.0 -> keys@4.0.0"}));
  EXPECT_EQ(find(*g, "keys")->metadata.at("os"), "linux,darwin");
  EXPECT_EQ(find(*g, "axios")->integrity, "sha512-axios");
}

TEST(BunLock, MalformedIsAnError) {
  EXPECT_FALSE(parse_bun_lock("{\"packages\": {").has_value());
  EXPECT_FALSE(parse_bun_lock("[1, 2]").has_value());
  EXPECT_FALSE(parse_bun_lock("{\"packages\": []}").has_value());
  EXPECT_EQ(jsonc_to_json("{\"a\": \"x,//y\", /* c */ \"b\": [1,],}"), "{\"a\": \"x,//y\",   \"b\": [1 ] }");
}

TEST(DenoLock, NpmJsrRemoteAndEdges) {
  auto g = parse_deno_lock(R"({
  "version": "4",
  "specifiers": {"jsr:@std/bytes@^1.0.0": "1.0.2", "npm:chalk@5": "5.3.0"},
  "jsr": {
    "@std/bytes@1.0.2": {"integrity": "aa"},
    "@std/encoding@1.0.5": {"integrity": "bb", "dependencies": ["jsr:@std/bytes@^1.0.0", "npm:chalk@5"]}
  },
  "npm": {
    "chalk@5.3.0": {"integrity": "sha512-chalk", "dependencies": ["ansi@1.0.0_x@2"]},
    "ansi@1.0.0_x@2": {"integrity": "sha512-ansi"}
  },
  "remote": {
    "https://deno.land/std@0.140.0/path/mod.ts": "cc",
    "https://deno.land/std@0.140.0/fs/mod.ts": "dd",
    "https://example.com/unversioned.ts": "ee"
  }
})");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ids(*g), (std::set<std::string>{"@std/bytes@1.0.2", "@std/encoding@1.0.5", "chalk@5.3.0", "ansi@1.0.0",
                                            "deno.land/std@0.140.0"}));
  EXPECT_EQ(edges(*g), (std::set<std::string>{"@std/encoding@1.0.5 -> @std/bytes@1.0.2",
                                              "@std/encoding@1.0.5 -> chalk@5.3.0", "chalk@5.3.0 -> ansi@1.0.0"}));
  EXPECT_EQ(find(*g, "@std/bytes")->repository_url, "https://jsr.io");
  EXPECT_EQ(find(*g, "deno.land/std")->repository_url, "https://deno.land");
  EXPECT_EQ(find(*g, "chalk")->repository_url, "");
  EXPECT_FALSE(parse_deno_lock("{").has_value());
}

// ---------------------------------------------------------------- the cataloger

constexpr const char* kDevYarn = R"(dev-only@^1.0.0:
  version "1.0.0"

dev-pkg@^1.0.0:
  version "1.0.0"
  dependencies:
    dev-only "^1.0.0"
    shared "^1.0.0"

prod-pkg@^1.0.0:
  version "1.0.0"
  dependencies:
    shared "^1.0.0"

shared@^1.0.0:
  version "1.0.0"
)";

constexpr const char* kDevManifest =
    R"({"name": "app", "dependencies": {"prod-pkg": "^1.0.0"}, "devDependencies": {"dev-pkg": "^1.0.0"}})";

std::set<std::string> names(const CatalogResult& r) {
  std::set<std::string> out;
  for (const auto& p : r.packages) out.insert(p.name);
  return out;
}

CatalogContext dir_source() {
  CatalogContext c;
  c.directory_source = true;
  return c;
}

TEST(JavascriptLockCataloger, YarnDevDependenciesFollowThePackageJson) {
  auto fs = make_fs({{"/app/yarn.lock", kDevYarn},
                     {"/app/package.json", kDevManifest},
                     {"/app/node_modules/x/yarn.lock", "x@1:\n  version \"1\"\n"}});
  auto result = javascript_lock_cataloger().run(fs, dir_source());
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(names(result), (std::set<std::string>{"prod-pkg", "shared"}));
  ASSERT_EQ(result.dependencies.size(), 1u);
  EXPECT_EQ(result.packages[result.dependencies[0].from].name, "prod-pkg");
  EXPECT_EQ(result.packages[result.dependencies[0].to].name, "shared");
  for (const auto& p : result.packages) {
    EXPECT_EQ(p.found_by, "javascript-lock-cataloger");
    EXPECT_EQ(p.locations, std::vector<std::string>{"/app/yarn.lock"});
  }

  auto all = javascript_lock_cataloger({.include_dev_dependencies = true}).run(fs, dir_source());
  EXPECT_EQ(names(all), (std::set<std::string>{"dev-only", "dev-pkg", "prod-pkg", "shared"}));
  EXPECT_EQ(all.dependencies.size(), 3u);

  EXPECT_TRUE(javascript_lock_cataloger().run(fs, {}).packages.empty());  // images: installed packages only
}

TEST(JavascriptLockCataloger, WithoutPackageJsonNothingIsDev) {
  auto fs = make_fs({{"/yarn.lock", kDevYarn}});
  EXPECT_EQ(javascript_lock_cataloger().run(fs, dir_source()).packages.size(), 4u);
}

TEST(JavascriptLockCataloger, ErrorsAndWarningsNameTheFile) {
  auto fs = make_fs({{"/a/pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  x@1: *y\n"},
                     {"/b/yarn.lock", "ok@1:\n  version \"1\"\nbroken@1\n  version \"1\"\n"},
                     {"/b/package.json", "{not json"},
                     {"/c/bun.lock", "{"},
                     {"/d/deno.lock", "{\"npm\": {\"chalk@5.3.0\": {}}}"}});
  auto result = javascript_lock_cataloger().run(fs, dir_source());
  EXPECT_EQ(names(result), (std::set<std::string>{"ok", "chalk"}));
  std::vector<std::string> errors = result.errors;
  std::sort(errors.begin(), errors.end());
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_TRUE(errors[0].starts_with("/a/pnpm-lock.yaml: line 3, column 8: aliases")) << errors[0];
  EXPECT_TRUE(errors[1].starts_with("/b/package.json: malformed JSON")) << errors[1];
  EXPECT_TRUE(errors[2].starts_with("/b/yarn.lock: line 3: entry header")) << errors[2];
  EXPECT_TRUE(errors[3].starts_with("/c/bun.lock: malformed JSONC")) << errors[3];
}

TEST(JavascriptLockCataloger, PurlsCarryTheRegistry) {
  auto fs = make_fs({{"/deno.lock", R"({"version": "4", "jsr": {"@std/bytes@1.0.2": {}},
                                       "remote": {"https://deno.land/std@0.140.0/path/mod.ts": "cc"}})"}});
  auto result = javascript_lock_cataloger().run(fs, dir_source());
  // Compared decoded: whether '/' in a qualifier value is escaped is make_purl's choice.
  std::set<std::string> purls;
  for (const auto& p : result.packages) purls.insert(percent_decode(p.purl));
  EXPECT_EQ(purls, (std::set<std::string>{"pkg:npm/@std/bytes@1.0.2?repository_url=https://jsr.io",
                                          "pkg:npm/deno.land/std@0.140.0?repository_url=https://deno.land"}));
}

}  // namespace
}  // namespace cairn::sbom::javascript_lockfiles_test
