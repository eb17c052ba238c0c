#include <gtest/gtest.h>

#include <string>

#include "sbom/catalogers/rust_cargo_lock.h"
#include "test_support.h"

namespace cairn::sbom::rust_cargo_lock_test {
namespace {

using cairn::testing::make_fs;

constexpr const char* kLock = R"toml(# generated
version = 3

[[package]]
name = "app"
version = "1.0.0"
dependencies = [
 "helper",
 "regex 1.0.0 (git+https://example.test/regex.git?branch=main)",
 "missing",
]

[[package]]
name = "helper"
version = "0.1.0"

[[package]]
name = "regex"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"

[[package]]
name = "regex"
version = "1.0.0"
source = "git+https://example.test/regex.git?branch=main#0123abcd"
dependencies = ["regex-syntax 0.8.0"]

[[package]]
name = "regex-syntax"
version = "0.8.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
)toml";

TEST(CargoLock, EntriesAndSourceQualifiedDependencies) {
  auto lock = parse_cargo_lock(kLock);
  EXPECT_TRUE(lock.problems.empty());
  ASSERT_EQ(lock.entries.size(), 5u);
  EXPECT_EQ(lock.entries[2].checksum, "abc");
  EXPECT_EQ(lock.entries[0].dependencies.size(), 3u);
  // app -> helper, app -> the git regex (not the crates.io one), git regex -> regex-syntax.
  EXPECT_EQ(cargo_lock_dependencies(lock.entries), (std::vector<Dependency>{{0, 1}, {0, 3}, {3, 4}}));
}

TEST(CargoLock, CatalogerPackagesAndPurls) {
  auto fs = make_fs({{"/src/Cargo.lock", kLock}});
  CatalogContext ctx;
  EXPECT_TRUE(rust_cargo_lock_cataloger().run(fs, ctx).packages.empty()) << "lock files are read for dir: sources only";
  ctx.directory_source = true;
  auto result = rust_cargo_lock_cataloger().run(fs, ctx);
  ASSERT_EQ(result.packages.size(), 5u);
  EXPECT_EQ(result.packages[0].purl, "") << "a path crate has no purl";
  EXPECT_EQ(result.packages[2].purl, "pkg:cargo/regex@1.0.0");
  EXPECT_EQ(result.packages[3].purl, "pkg:cargo/regex@1.0.0");
  EXPECT_EQ(result.packages[3].metadata.at("source"), "git+https://example.test/regex.git?branch=main#0123abcd");
  EXPECT_EQ(result.packages[2].type, "rust-crate");
  EXPECT_EQ(result.packages[2].found_by, "rust-cargo-lock-cataloger");
  EXPECT_EQ(result.packages[2].locations, std::vector<std::string>{"/src/Cargo.lock"});
  EXPECT_EQ(result.dependencies.size(), 3u);
  EXPECT_TRUE(result.errors.empty());
}

TEST(CargoLock, HostileInputIsAProblemNamingTheField) {
  auto bad = parse_cargo_lock("[[package]]\nname = \"a\"\nversion = \"1\nx");
  EXPECT_TRUE(bad.entries.empty());
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(bad.problems[0].find("line 3"), std::string::npos) << bad.problems[0];

  auto typed = parse_cargo_lock("[[package]]\nname = 7\n[[package]]\nname = \"b\"\nversion = 2\ndependencies = \"x\"\n");
  ASSERT_EQ(typed.entries.size(), 1u);
  EXPECT_EQ(typed.entries[0].name, "b");
  EXPECT_EQ(typed.problems.size(), 4u);  // name 7, no name, version 2, dependencies not an array

  EXPECT_EQ(parse_cargo_lock("package = 1\n").problems.size(), 1u);
  EXPECT_TRUE(parse_cargo_lock("version = 3\n").problems.empty());

  // A dependency naming itself or nothing makes no edge.
  auto self = parse_cargo_lock("[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"a\", \"\", \"a 1 (\"]\n");
  EXPECT_TRUE(cargo_lock_dependencies(self.entries).empty());
}

}  // namespace
}  // namespace cairn::sbom::rust_cargo_lock_test
