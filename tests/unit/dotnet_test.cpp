// The .deps.json and NuGet packages.lock.json readers and the .NET catalogers.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sbom/catalogers/dotnet.h"
#include "sbom/catalogers/dotnet_deps.h"
#include "sbom/catalogers/nuget_packages_lock.h"
#include "test_support.h"

namespace cairn::sbom::dotnet_test {
namespace {

using cairn::testing::make_fs;

// App -> Lib (project reference) -> Pkg (claims a DLL); App -> Meta (claims nothing) ->
// Leaf (claims nothing); App -> Ref (a reference assembly without evidence).
constexpr const char* kDeps = R"({
  "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0"},
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "App/1.0.0": {"dependencies": {"Lib": "1.0.0", "Meta": "2.0.0", "Ref": "8.0.0.0"}, "runtime": {"App.dll": {}}},
      "Lib/1.0.0": {"dependencies": {"Pkg": "3.1.0"}, "runtime": {"Lib.dll": {}}},
      "Pkg/3.1.0": {"runtime": {"lib/net8.0/Pkg.dll": {"assemblyVersion": "3.1.0.0"}}},
      "Meta/2.0.0": {"dependencies": {"Leaf": "1.0.0"}},
      "Leaf/1.0.0": {},
      "Ref/8.0.0.0": {"compile": {"Ref.dll": {}}}
    }
  },
  "libraries": {
    "App/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Lib/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Pkg/3.1.0": {"type": "package", "sha512": "sha512-abc", "path": "pkg/3.1.0", "hashPath": "pkg.3.1.0.nupkg.sha512"},
    "Meta/2.0.0": {"type": "package", "sha512": "sha512-def", "path": "meta/2.0.0"},
    "Leaf/1.0.0": {"type": "package", "sha512": "sha512-ghi", "path": "leaf/1.0.0"},
    "Ref/8.0.0.0": {"type": "referenceassembly", "sha512": ""}
  }
})";

std::set<std::string> names(const DotnetDeps& deps) {
  std::set<std::string> out;
  for (const auto& l : deps.libraries) out.insert(l.name);
  return out;
}

std::set<std::pair<std::string, std::string>> edges(const DotnetDeps& deps) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& d : deps.dependencies) out.insert({deps.libraries[d.from].name, deps.libraries[d.to].name});
  return out;
}

TEST(DotnetDeps, RootName) {
  EXPECT_EQ(deps_json_root_name("/app/MyApp.deps.json"), "MyApp");
  EXPECT_EQ(deps_json_root_name("My.App.deps.json"), "My.App");
  EXPECT_EQ(deps_json_root_name("/app/deps.json"), "");
  EXPECT_EQ(deps_json_root_name("/app/x.json"), "");
}

TEST(DotnetDeps, ClaimedAssembliesSelectionSkipsOverLeftOutLibraries) {
  auto deps = parse_dotnet_deps(kDeps, "App", DotnetDepsSelection::ClaimedAssemblies);
  ASSERT_TRUE(deps.has_value()) << deps.error().message;
  ASSERT_FALSE(deps->libraries.empty());
  EXPECT_TRUE(deps->libraries[0].is_root);
  EXPECT_EQ(deps->libraries[0].name, "App");
  EXPECT_EQ(names(*deps), (std::set<std::string>{"App", "Pkg"}));
  // Lib (a project reference) is left out; its dependency becomes the root's.
  EXPECT_EQ(edges(*deps), (std::set<std::pair<std::string, std::string>>{{"App", "Pkg"}}));
  const auto& pkg = deps->libraries[1];
  EXPECT_EQ(pkg.sha512, "sha512-abc");
  EXPECT_EQ(pkg.path, "pkg/3.1.0");
  EXPECT_EQ(pkg.hash_path, "pkg.3.1.0.nupkg.sha512");
  EXPECT_EQ(pkg.type, "package");
}

TEST(DotnetDeps, AllLibrariesSelection) {
  auto deps = parse_dotnet_deps(kDeps, "App", DotnetDepsSelection::AllLibraries);
  ASSERT_TRUE(deps.has_value());
  EXPECT_EQ(names(*deps), (std::set<std::string>{"App", "Lib", "Pkg", "Meta", "Leaf"})) << "Ref is never a package";
  EXPECT_EQ(edges(*deps), (std::set<std::pair<std::string, std::string>>{
                              {"App", "Lib"}, {"App", "Meta"}, {"Lib", "Pkg"}, {"Meta", "Leaf"}}));
}

TEST(DotnetDeps, BundlersRelaxTheAssemblyClaim) {
  auto deps = parse_dotnet_deps(
      R"({"targets": {"t": {"App/1.0.0": {"dependencies": {"ILRepack.Lib.MSBuild.Task": "2.0.18", "Merged": "1.0.0"}},
                            "ILRepack.Lib.MSBuild.Task/2.0.18": {}, "Merged/1.0.0": {}}},
          "libraries": {"App/1.0.0": {"type": "project"}, "ILRepack.Lib.MSBuild.Task/2.0.18": {"type": "package"},
                        "Merged/1.0.0": {"type": "package"}}})",
      "App", DotnetDepsSelection::ClaimedAssemblies);
  ASSERT_TRUE(deps.has_value());
  EXPECT_EQ(names(*deps), (std::set<std::string>{"App", "ILRepack.Lib.MSBuild.Task", "Merged"}));
}

TEST(DotnetDeps, CorruptAndHostileDocuments) {
  EXPECT_FALSE(parse_dotnet_deps(std::string(kDeps).substr(0, 200), "App", DotnetDepsSelection::AllLibraries).has_value());
  EXPECT_FALSE(parse_dotnet_deps("[]", "App", DotnetDepsSelection::AllLibraries).has_value());
  auto bad_targets = parse_dotnet_deps(R"({"targets": []})", "App", DotnetDepsSelection::AllLibraries);
  ASSERT_FALSE(bad_targets.has_value());
  EXPECT_NE(bad_targets.error().message.find("\"targets\""), std::string::npos);
  auto bad_libraries = parse_dotnet_deps(R"({"libraries": 1})", "App", DotnetDepsSelection::AllLibraries);
  ASSERT_FALSE(bad_libraries.has_value());
  EXPECT_NE(bad_libraries.error().message.find("\"libraries\""), std::string::npos);
  // Keys without "/version", values of the wrong types, and a dependency cycle.
  auto odd = parse_dotnet_deps(
      R"({"targets": {"t": {"NoVersion": {}, "/1.0": {}, "A/1": {"dependencies": {"B": "1", "C": 3}}, "B/1": {"dependencies": {"A": "1"}}, "X/1": 5},
                        "u": 7}, "libraries": {"A/1": "x"}})",
      "", DotnetDepsSelection::ClaimedAssemblies);
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->libraries.empty()) << "nothing claims an assembly";
  auto cycle = parse_dotnet_deps(
      R"({"targets": {"t": {"A/1": {"dependencies": {"B": "1"}, "runtime": {"a.dll": {}}}, "B/1": {"dependencies": {"A": "1"}}}}})",
      "", DotnetDepsSelection::AllLibraries);
  ASSERT_TRUE(cycle.has_value());
  EXPECT_EQ(edges(*cycle), (std::set<std::pair<std::string, std::string>>{{"A", "B"}, {"B", "A"}}));
}

TEST(NugetPackagesLock, EntriesAcrossFrameworksAndEdges) {
  auto lock = parse_nuget_packages_lock(R"json({"version": 1, "dependencies": {
    "net8.0": {
      "AutoMapper": {"type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "h1",
                     "dependencies": {"Options": "6.0.0"}},
      "Options": {"type": "Transitive", "resolved": "9.0.0", "contentHash": "h2"},
      "MyLib": {"type": "Project", "dependencies": {"Options": "[9.0.0, )"}}
    },
    "net48": {"AutoMapper": {"type": "Direct", "resolved": "13.0.1"}, "log4net": {"type": "Direct", "resolved": "1.2.15"}}
  }})json");
  ASSERT_TRUE(lock.has_value()) << lock.error().message;
  ASSERT_EQ(lock->entries.size(), 3u);
  EXPECT_EQ(lock->entries[0].name, "AutoMapper");
  EXPECT_EQ(lock->entries[0].content_hash, "h1");
  EXPECT_EQ(lock->entries[2].name, "log4net");
  EXPECT_EQ(lock->dependencies, (std::vector<Dependency>{{0, 1}}));
}

TEST(NugetPackagesLock, CorruptDocuments) {
  EXPECT_FALSE(parse_nuget_packages_lock(R"({"version": 1, "dependencies": {"net8.0": {)").has_value());
  EXPECT_FALSE(parse_nuget_packages_lock(R"({"dependencies": []})").has_value());
  EXPECT_FALSE(parse_nuget_packages_lock("null").has_value());
  auto odd = parse_nuget_packages_lock(R"({"dependencies": {"a": 1, "b": {"x": 2, "y": {"resolved": 3}}}})");
  ASSERT_TRUE(odd.has_value());
  EXPECT_TRUE(odd->entries.empty());
}

TEST(DotnetCatalogers, DepsJsonInImagesAndLocksInDirectories) {
  auto fs = make_fs({{"/app/App.deps.json", kDeps},
                     {"/app/Broken.deps.json", "{\"targets\": "},
                     {"/src/packages.lock.json", R"({"dependencies": {"net8.0": {"A": {"resolved": "1.0.0"}}}})"}});
  auto result = dotnet_deps_binary_cataloger().run(fs, {});
  ASSERT_EQ(result.packages.size(), 2u);
  EXPECT_EQ(result.packages[0].purl, "pkg:nuget/App@1.0.0");
  EXPECT_EQ(result.packages[0].type, "dotnet");
  EXPECT_EQ(result.packages[0].found_by, "dotnet-deps-binary-cataloger");
  EXPECT_EQ(result.packages[1].locations, std::vector<std::string>{"/app/App.deps.json"});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("/app/Broken.deps.json"), std::string::npos);
  EXPECT_EQ(dotnet_deps_cataloger().run(fs, {}).packages.size(), 5u);

  EXPECT_TRUE(dotnet_packages_lock_cataloger().run(fs, {}).packages.empty());
  CatalogContext dir;
  dir.directory_source = true;
  auto locks = dotnet_packages_lock_cataloger().run(fs, dir);
  ASSERT_EQ(locks.packages.size(), 1u);
  EXPECT_EQ(locks.packages[0].purl, "pkg:nuget/A@1.0.0");
  EXPECT_EQ(locks.packages[0].found_by, "dotnet-packages-lock-cataloger");
}

}  // namespace
}  // namespace cairn::sbom::dotnet_test
