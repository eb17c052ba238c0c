#include "sbom/layer_fs.h"

#include <gtest/gtest.h>

#include "sbom/capture.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::make_fs;

TEST(GlobMatch, SegmentsAndDoubleStar) {
  EXPECT_TRUE(glob_match("**/var/lib/dpkg/status", "/var/lib/dpkg/status"));
  EXPECT_TRUE(glob_match("**/var/lib/dpkg/status", "/x/y/var/lib/dpkg/status"));
  EXPECT_FALSE(glob_match("**/var/lib/dpkg/status", "/var/lib/dpkg/status.d/x"));
  EXPECT_TRUE(glob_match("/var/lib/dpkg/status.d/*", "/var/lib/dpkg/status.d/base"));
  EXPECT_FALSE(glob_match("/var/lib/dpkg/status.d/*", "/var/lib/dpkg/status.d/a/b"));
  EXPECT_TRUE(glob_match("/usr/share/doc/*/copyright", "/usr/share/doc/bash/copyright"));
  EXPECT_TRUE(glob_match("/var/lib/dpkg/info/*.list", "/var/lib/dpkg/info/libc6:amd64.list"));
  EXPECT_FALSE(glob_match("/var/lib/dpkg/info/*.list", "/var/lib/dpkg/info/libc6.md5sums"));
}

TEST(GlobMatch, HostilePatternsStayLinear) {
  std::string path(4000, 'a');
  EXPECT_FALSE(glob_match("/*a*a*a*a*a*a*a*a*a*a*b", "/" + path));
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "/d";
  EXPECT_FALSE(glob_match("**/**/**/**/**/x", deep));
}

TEST(NormalizePath, NeverEscapesRoot) {
  EXPECT_EQ(normalize_path("./etc/../../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(normalize_path("/a//b/./c/"), "/a/b/c");
  EXPECT_EQ(normalize_path(""), "/");
}

TEST(LayerFs, SymlinksResolveInsideRoot) {
  auto fs = make_fs({{"/etc/os-release", "->../usr/lib/os-release"},
                     {"/usr/lib/os-release", "ID=debian\n"},
                     {"/escape", "->../../../../usr/lib/os-release"},
                     {"/abs", "->/usr/lib/os-release"},
                     {"/docdir", "->usr/lib"}});
  ASSERT_NE(fs.read("/etc/os-release"), nullptr);
  EXPECT_EQ(*fs.read("/etc/os-release"), "ID=debian\n");
  EXPECT_EQ(*fs.read("/escape"), "ID=debian\n");
  EXPECT_EQ(*fs.read("/abs"), "ID=debian\n");
  EXPECT_EQ(*fs.read("/docdir/os-release"), "ID=debian\n");
  EXPECT_EQ(fs.real_path("/docdir/os-release"), "/usr/lib/os-release");
}

TEST(LayerFs, SymlinkLoopIsDetected) {
  auto fs = make_fs({{"/a", "->b"}, {"/b", "->a"}, {"/self", "->self/x"}});
  EXPECT_EQ(fs.read("/a"), nullptr);
  EXPECT_FALSE(fs.exists("/a"));
  EXPECT_FALSE(fs.exists("/self"));
}

TEST(LayerFs, WhiteoutsAndOpaqueDirectories) {
  auto fs = make_fs({{"/keep/a", "1"}, {"/gone/b", "2"}, {"/opq/old", "3"}, {"/gone-not", "4"}});
  LayerContents upper;
  upper.whiteouts.push_back("/gone");
  upper.opaque_dirs.push_back("/opq");
  Entry fresh;
  fresh.path = "/opq/new";
  fresh.content = std::make_shared<const std::string>("5");
  upper.entries.push_back(fresh);
  fs.apply(upper, 1);
  EXPECT_TRUE(fs.exists("/keep/a"));
  EXPECT_FALSE(fs.exists("/gone/b"));
  EXPECT_FALSE(fs.exists("/gone"));
  EXPECT_TRUE(fs.exists("/gone-not"));
  EXPECT_FALSE(fs.exists("/opq/old"));
  EXPECT_TRUE(fs.exists("/opq/new"));
  EXPECT_EQ(fs.layer_of("/opq/new"), 1);
  EXPECT_EQ(fs.layer_of("/keep/a"), 0);
}

TEST(LayerFs, GlobListsRegularFilesOnly) {
  auto fs = make_fs({{"/var/lib/dpkg/status.d/a", "x"}, {"/var/lib/dpkg/status.d/b", "->a"},
                     {"/var/lib/dpkg/status.d/c", "y"}});
  EXPECT_EQ(fs.glob("/var/lib/dpkg/status.d/*"),
            (std::vector<std::string>{"/var/lib/dpkg/status.d/a", "/var/lib/dpkg/status.d/c"}));
}

TEST(CapturePolicy, LargestCapWins) {
  CapturePolicy p({{"**/var/lib/dpkg/status", 10}, {"/var/lib/dpkg/*", 20}});
  EXPECT_EQ(p.cap_for("/var/lib/dpkg/status"), 20u);
  EXPECT_EQ(p.cap_for("/x/var/lib/dpkg/status"), 10u);
  EXPECT_FALSE(p.cap_for("/etc/passwd").has_value());
}

}  // namespace
}  // namespace cairn::sbom
