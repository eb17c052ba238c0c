#include <gtest/gtest.h>

#include <string>

#include "sbom/catalogers/python_lockfiles.h"
#include "test_support.h"

namespace cairn::sbom::python_toml_locks_test {
namespace {

using cairn::testing::make_fs;

std::vector<std::string> names(const PythonLockEntry& e) {
  std::vector<std::string> out;
  for (const auto& d : e.dependencies) out.push_back(d.name + (d.version.empty() ? "" : "@" + d.version));
  return out;
}

TEST(PythonUvLock, DependenciesExtrasAndSources) {
  auto lock = parse_uv_lock(R"x(version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "Httpx", extra = ["http2"] },
    { name = "brotli", marker = "extra == 'brotli'" },
    { name = "rich", version = "13.0", marker = "sys_platform == 'linux'" },
]
[package.optional-dependencies]
cli = [{ name = "click" }]

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }
)x");
  EXPECT_TRUE(lock.problems.empty());
  ASSERT_EQ(lock.entries.size(), 2u);
  EXPECT_EQ(lock.entries[0].index, ".");
  EXPECT_EQ(lock.entries[1].index, "https://pypi.org/simple");
  EXPECT_EQ(names(lock.entries[0]), (std::vector<std::string>{"httpx", "rich@13.0", "click"}));

  auto future = parse_uv_lock("version = 2\n[[package]]\nname = \"a\"\n");
  EXPECT_TRUE(future.entries.empty());
  ASSERT_EQ(future.problems.size(), 1u);
  EXPECT_NE(future.problems[0].find("lock version 2"), std::string::npos);
}

TEST(PythonPdmLock, ExtrasEntriesMergeIntoOnePackage) {
  auto lock = parse_pdm_lock(R"x([[package]]
name = "coverage"
version = "7.4.1"
summary = "Code coverage"
[[package]]
name = "coverage"
version = "7.4.1"
extras = ["toml"]
summary = "variant"
dependencies = ["coverage==7.4.1", "tomli; python_full_version <= \"3.11.0a6\""]
[[package]]
name = "pytest-cov"
version = "4.1.0"
marker = "python_version < \"3.11\""
dependencies = ["coverage[toml]>=5.2.1"]
)x");
  EXPECT_TRUE(lock.problems.empty());
  ASSERT_EQ(lock.entries.size(), 2u);
  EXPECT_EQ(lock.entries[0].metadata.at("summary"), "Code coverage");
  EXPECT_EQ(names(lock.entries[0]), (std::vector<std::string>{"coverage", "tomli"}));
  EXPECT_EQ(lock.entries[1].metadata.at("marker"), "python_version < \"3.11\"");
}

TEST(PythonTomlLocks, InvalidTomlIsOneProblemWithLineAndColumn) {
  for (auto parse : {parse_poetry_lock, parse_uv_lock, parse_pdm_lock}) {
    auto lock = parse("[[package]]\nname = \"a\"\nname = \"b\"\n");
    EXPECT_TRUE(lock.entries.empty());
    ASSERT_EQ(lock.problems.size(), 1u);
    EXPECT_NE(lock.problems[0].find("line 3, column 1"), std::string::npos) << lock.problems[0];
  }
  EXPECT_EQ(parse_uv_lock("package = \"x\"\n").problems.size(), 1u);
  EXPECT_EQ(parse_pdm_lock("[[package]]\nversion = \"1\"\n").problems.size(), 1u);
}

TEST(PythonSetupPy, QuotedPinsAndTripleQuotedBlocks) {
  auto pins = parse_python_setup(R"x(setup(
    install_requires=['pathlib3==2.2.0;python_version<"3.6"', "mypy==v0.770", " mypy2 == v0.770", ' mypy3== v0.770'],
    extras=["%s==%s" % (a, b), "{}=={}".format(a, b), "loose>=1"],
    more="""
django==4.2.23
CairoSVG==2.7.1  # comment
  # django==9
"mypy==v0.770"
""".split(),
)
)x");
  std::vector<std::string> got;
  for (const auto& p : pins) got.push_back(p.name + " " + p.version);
  EXPECT_EQ(got, (std::vector<std::string>{"pathlib3 2.2.0", "mypy v0.770", "mypy2 v0.770", "mypy3 v0.770", "django 4.2.23",
                                           "CairoSVG 2.7.1"}));
  EXPECT_TRUE(parse_python_setup("x = '==1'\n\"\"\"\n==\n").empty());
}

TEST(PythonLockfileCataloger, ReadsUvPdmAndSetupPyOnDirectories) {
  auto fs = make_fs({{"/p/uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [{ name = \"b\" }]\n"
                                    "[[package]]\nname = \"b\"\nversion = \"2\"\n"},
                     {"/p/pdm.lock", "[[package]]\nname = \"c\"\nversion = \"3\"\n"},
                     {"/p/setup.py", "install_requires=['d==4']\n"}});
  CatalogContext ctx;
  EXPECT_TRUE(python_lockfile_cataloger().run(fs, ctx).packages.empty());
  ctx.directory_source = true;
  auto result = python_lockfile_cataloger().run(fs, ctx);
  ASSERT_EQ(result.packages.size(), 4u);
  EXPECT_EQ(result.packages[0].purl, "pkg:pypi/a@1");
  EXPECT_EQ(result.packages[3].purl, "pkg:pypi/d@4");
  EXPECT_EQ(result.packages[3].locations, std::vector<std::string>{"/p/setup.py"});
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{0, 1}}));
  EXPECT_TRUE(result.errors.empty());
}

}  // namespace
}  // namespace cairn::sbom::python_toml_locks_test
