// The Cargo.lock cataloger against the acceptance corpus transcribed from Syft's tests
// (shared/acceptance/catalogers/rust/lockfiles, schema in ../README.md): every case.
#include <gtest/gtest.h>

#include "corpus.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "sbom/catalogers/rust_cargo_lock.h"
#include "sbom/layer_fs.h"

namespace cairn::sbom {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path kCorpus = fs::path(CAIRN_SHARED_DIR) / "acceptance" / "catalogers" / "rust" / "lockfiles";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fixture file at the root of a directory scan.
LayerFs load_fixture(const fs::path& file, const std::string& name) {
  LayerContents layer;
  Entry e;
  e.path = "/" + name;
  e.content = std::make_shared<const std::string>(read_file(file));
  e.size = e.content->size();
  layer.entries.push_back(std::move(e));
  LayerFs image;
  image.apply(layer, 0);
  return image;
}

class RustCargoLockAcceptance : public ::testing::TestWithParam<std::string> {};

TEST_P(RustCargoLockAcceptance, MatchesSyft) {
  const fs::path case_dir = kCorpus / GetParam();
  const json expected = corpus::load_json(case_dir / "expected.json");
  const std::string fixture = expected.at("fixture");
  LayerFs image = load_fixture(case_dir / fixture, fixture);
  CatalogContext ctx;
  EXPECT_TRUE(rust_cargo_lock_cataloger().run(image, ctx).packages.empty()) << "images report no lock files";
  ctx.directory_source = true;
  CatalogResult result = rust_cargo_lock_cataloger().run(image, ctx);
  EXPECT_TRUE(result.errors.empty()) << result.errors.front();

  // name, version and source identify a package (regex 1.11.1 comes from crates.io and git).
  using Key = std::tuple<std::string, std::string, std::string>;
  std::multiset<Key> got, want;
  for (const auto& p : result.packages) {
    EXPECT_EQ(p.type, "rust-crate");
    EXPECT_EQ(p.found_by, "rust-cargo-lock-cataloger");
    EXPECT_TRUE(p.licenses.empty());
    got.insert({p.name, p.version, p.metadata.count("source") ? p.metadata.at("source") : ""});
  }
  for (const auto& w : expected.at("packages")) {
    const auto& m = w.at("metadata");
    Key key{w.at("name"), w.at("version"), m.value("Source", "")};
    want.insert(key);
    auto it = std::find_if(result.packages.begin(), result.packages.end(), [&](const Package& p) {
      return Key{p.name, p.version, p.metadata.count("source") ? p.metadata.at("source") : ""} == key;
    });
    ASSERT_NE(it, result.packages.end()) << "missing " << w.dump();
    EXPECT_EQ(it->purl, w.at("purl").get<std::string>()) << it->name;
    EXPECT_EQ(it->locations, std::vector<std::string>{"/" + w.at("locations")[0].get<std::string>()});
    EXPECT_EQ(it->metadata.count("checksum") ? it->metadata.at("checksum") : "", m.value("Checksum", ""));
    EXPECT_EQ(it->depends, m.value("Dependencies", std::vector<std::string>{}));
  }
  EXPECT_EQ(got, want);

  // Every edge is one the lock file states: the dependency is listed by the dependent and
  // is the crate that entry names. Syft resolves only bare names and "name version"; a
  // "name version (source)" entry it cannot match, so its graph lacks the edges to
  // regex and its automata from crates.io and from git, which cairn keeps, each to the
  // copy from the named source.
  auto label = [&](std::size_t i) {
    const Package& p = result.packages[i];
    std::string source = p.metadata.count("source") ? p.metadata.at("source") : "";
    return p.name + " " + p.version + (source.empty() ? "" : " (" + source.substr(0, source.find('#')) + ")");
  };
  std::set<std::string> edges;
  for (const auto& d : result.dependencies) edges.insert(label(d.to) + " -> " + label(d.from));
  std::set<std::string> want_edges;
  if (GetParam() == "cargo-lock-path-deps") {
    // The case's note: relationships memchr -> app, telemetry -> app.
    want_edges = {"memchr 2.7.4 (registry+https://github.com/rust-lang/crates.io-index) -> app 1.0.0",
                  "telemetry 0.1.0 -> app 1.0.0"};
  } else if (GetParam() == "cargo-lock") {
    const std::string reg = " (registry+https://github.com/rust-lang/crates.io-index)";
    want_edges = {"winapi 0.3.9" + reg + " -> ansi_term 0.12.1" + reg,
                  "windows-sys 0.52.0" + reg + " -> errno 0.3.9" + reg,
                  "memchr 2.3.3" + reg + " -> nom 4.2.3" + reg,
                  "version_check 0.1.5" + reg + " -> nom 4.2.3" + reg,
                  "windows-sys 0.59.0" + reg + " -> schannel 0.1.26" + reg,
                  "matches 0.1.8" + reg + " -> unicode-bidi 0.3.4" + reg,  // "bogus" names no crate
                  "winapi-i686-pc-windows-gnu 0.4.0" + reg + " -> winapi 0.3.9" + reg,
                  "winapi-x86_64-pc-windows-gnu 0.4.0" + reg + " -> winapi 0.3.9" + reg};
  } else {
    const std::string reg = " (registry+https://github.com/rust-lang/crates.io-index)";
    const std::string git = " (git+https://github.com/rust-lang/regex.git)";
    want_edges = {"memchr 2.7.4" + reg + " -> aho-corasick 1.1.3" + reg,
                  "nom-regex 0.2.0" + reg + " -> hello_world 0.1.0",
                  "regex 1.11.1" + git + " -> hello_world 0.1.0",
                  "memchr 2.7.4" + reg + " -> nom 7.1.3" + reg,
                  "minimal-lexical 0.2.1" + reg + " -> nom 7.1.3" + reg,
                  "nom 7.1.3" + reg + " -> nom-regex 0.2.0" + reg,
                  "regex 1.11.1" + reg + " -> nom-regex 0.2.0" + reg};
    for (const auto& src : {reg, git}) {
      want_edges.insert("aho-corasick 1.1.3" + reg + " -> regex 1.11.1" + src);
      want_edges.insert("memchr 2.7.4" + reg + " -> regex 1.11.1" + src);
      want_edges.insert("regex-automata 0.4.9" + src + " -> regex 1.11.1" + src);
      want_edges.insert("regex-syntax 0.8.5" + src + " -> regex 1.11.1" + src);
      want_edges.insert("aho-corasick 1.1.3" + reg + " -> regex-automata 0.4.9" + src);
      want_edges.insert("memchr 2.7.4" + reg + " -> regex-automata 0.4.9" + src);
      want_edges.insert("regex-syntax 0.8.5" + src + " -> regex-automata 0.4.9" + src);
    }
  }
  EXPECT_EQ(edges, want_edges);
}

INSTANTIATE_TEST_SUITE_P(Corpus, RustCargoLockAcceptance, ::testing::ValuesIn(corpus::cases_with_fixture(kCorpus)),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

}  // namespace
}  // namespace cairn::sbom
