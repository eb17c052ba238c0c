#include "sbom/release.h"

#include <gtest/gtest.h>

#include "sbom/capture.h"
#include "sbom/catalogers/catalogers.h"
#include "sbom/key_value_file.h"
#include "sbom/release_fallbacks.h"
#include "test_support.h"

namespace cairn::sbom {
namespace {

using cairn::testing::make_fs;

TEST(KeyValueFile, ShellQuotingCommentsAndControlCharacters) {
  auto v = parse_key_value_file(
      "# a comment\n"
      "  # indented comment\n"
      "A=\"double quoted\"\n"
      "B='single quoted'\n"
      "C=plain words kept\n"
      "D=value # trailing comment\n"
      "E=\"escaped \\\"quote\\\" and \\\\ and \\$HOME\"\n"
      "F=\"with CR\"\r\n"
      "G = spaced \n"
      "H=\"unterminated\n"
      "no equals sign\n"
      "=no key\n"
      "I=\"a\"\"b\"\n"
      "J=\x01\x02ok\x7f\n");
  EXPECT_EQ(v["A"], "double quoted");
  EXPECT_EQ(v["B"], "single quoted");
  EXPECT_EQ(v["C"], "plain words kept");
  EXPECT_EQ(v["D"], "value");
  EXPECT_EQ(v["E"], "escaped \"quote\" and \\ and $HOME");
  EXPECT_EQ(v["F"], "with CR");
  EXPECT_EQ(v["G"], "spaced");
  EXPECT_EQ(v["H"], "unterminated");
  EXPECT_EQ(v["I"], "ab");
  EXPECT_EQ(v["J"], "ok");
  EXPECT_EQ(v.count(""), 0u);
  EXPECT_EQ(v.size(), 10u);
}

TEST(KeyValueFile, CapsTheNumberOfKeys) {
  std::string content;
  for (int i = 0; i < 1000; ++i) content += "K" + std::to_string(i) + "=v\n";
  EXPECT_EQ(parse_key_value_file(content, 256).size(), 256u);
}

TEST(OsRelease, AllFields) {
  auto r = parse_os_release(
      "NAME=\"Fedora Linux\"\nVERSION=\"36 (Container Image)\"\nID=fedora\nID_LIKE=\"rhel  centos\"\n"
      "VERSION_ID=36\nVERSION_CODENAME=\"\"\nPRETTY_NAME=\"Fedora Linux 36 (Container Image)\"\n"
      "CPE_NAME=\"cpe:/o:fedoraproject:fedora:36\"\nHOME_URL=\"https://fedoraproject.org/\"\n"
      "SUPPORT_URL=s\nBUG_REPORT_URL=b\nPRIVACY_POLICY_URL=p\nSUPPORT_END=2023-05-16\n"
      "VARIANT=\"Container Image\"\nVARIANT_ID=container\nBUILD_ID=7\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "Fedora Linux");
  EXPECT_EQ(r->id, "fedora");
  EXPECT_EQ(r->id_like, (std::vector<std::string>{"rhel", "centos"}));
  EXPECT_EQ(r->version, "36 (Container Image)");
  EXPECT_EQ(r->version_id, "36");
  EXPECT_EQ(r->version_codename, "");
  EXPECT_EQ(r->pretty_name, "Fedora Linux 36 (Container Image)");
  EXPECT_EQ(r->cpe_name, "cpe:/o:fedoraproject:fedora:36");
  EXPECT_EQ(r->home_url, "https://fedoraproject.org/");
  EXPECT_EQ(r->support_url, "s");
  EXPECT_EQ(r->bug_report_url, "b");
  EXPECT_EQ(r->privacy_policy_url, "p");
  EXPECT_EQ(r->support_end, "2023-05-16");
  EXPECT_EQ(r->variant, "Container Image");
  EXPECT_EQ(r->variant_id, "container");
  EXPECT_EQ(r->build_id, "7");
}

TEST(OsRelease, EmptyOrCommentsOnlyIsNothing) {
  EXPECT_FALSE(parse_os_release(""));
  EXPECT_FALSE(parse_os_release("# nothing\n\nOTHER_KEY=1\n"));
  EXPECT_FALSE(parse_os_release(std::string("\0\0\0", 3)));
}

TEST(OsRelease, MissingIdStillIdentifiesSomething) {
  auto r = parse_os_release("NAME=\"Debian GNU/Linux\"\nID_LIKE=debian\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "");
  EXPECT_EQ(r->name, "Debian GNU/Linux");
  EXPECT_EQ(r->id_like, std::vector<std::string>{"debian"});
}

TEST(SystemReleaseCpe, Centos6AndBad) {
  auto r = parse_system_release_cpe("cpe:/o:centos:linux:6:GA\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "centos");
  EXPECT_EQ(r->name, "centos");
  EXPECT_EQ(r->pretty_name, "centos");
  EXPECT_EQ(r->id_like, std::vector<std::string>{"centos"});
  EXPECT_EQ(r->version, "6");
  EXPECT_EQ(r->version_id, "6");
  EXPECT_EQ(r->cpe_name, "cpe:/o:centos:linux:6:GA");
  EXPECT_FALSE(parse_system_release_cpe("cpe:/o:centos:6:GA"));
  EXPECT_FALSE(parse_system_release_cpe("no cpe here"));
  EXPECT_FALSE(parse_system_release_cpe(""));
}

TEST(RedhatRelease, FamilyIdsAndVersions) {
  auto centos = parse_redhat_release("CentOS release 5.7 (Final)\n");
  ASSERT_TRUE(centos);
  EXPECT_EQ(centos->id, "centos");
  EXPECT_EQ(centos->name, "CentOS");
  EXPECT_EQ(centos->pretty_name, "CentOS release 5.7 (Final)");
  EXPECT_EQ(centos->id_like, (std::vector<std::string>{"centos", "rhel"}));
  EXPECT_EQ(centos->version, "5.7");
  EXPECT_EQ(centos->version_id, "5.7");

  auto rhel = parse_redhat_release("Red Hat Enterprise Linux release 8.10 (Ootpa)");
  ASSERT_TRUE(rhel);
  EXPECT_EQ(rhel->id, "rhel");
  EXPECT_EQ(rhel->id_like, std::vector<std::string>{"rhel"});
  EXPECT_EQ(rhel->version, "8.10 (Ootpa)");
  EXPECT_EQ(rhel->version_id, "8.10");

  auto rocky = parse_redhat_release("Rocky Linux release 8.10 (Green Obsidian)");
  ASSERT_TRUE(rocky);
  EXPECT_EQ(rocky->id, "rocky");
  EXPECT_EQ(rocky->name, "Rocky Linux");
  EXPECT_EQ(rocky->id_like, (std::vector<std::string>{"rocky", "rhel"}));

  auto rhel10 = parse_redhat_release("Red Hat Enterprise Linux release 10.0 (Coughlan)");
  ASSERT_TRUE(rhel10);
  EXPECT_EQ(rhel10->version_id, "10.0");

  EXPECT_FALSE(parse_redhat_release("CentOS release 5 (Final)"));
  EXPECT_FALSE(parse_redhat_release("release 8.1"));
  EXPECT_FALSE(parse_redhat_release(""));
}

TEST(LsbRelease, Ubuntu) {
  auto r = parse_lsb_release(
      "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\nDISTRIB_DESCRIPTION=\"Ubuntu 20.04.6 LTS\"\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "ubuntu");
  EXPECT_EQ(r->name, "Ubuntu");
  EXPECT_EQ(r->version_id, "20.04");
  EXPECT_EQ(r->version_codename, "focal");
  EXPECT_EQ(r->pretty_name, "Ubuntu 20.04.6 LTS");
  EXPECT_FALSE(parse_lsb_release("DISTRIB_RELEASE=1\n"));
}

TEST(DebianVersion, PointReleaseOrCodename) {
  EXPECT_EQ(debian_point_release("10.8\n"), "10.8");
  EXPECT_EQ(debian_point_release("13"), "13");
  EXPECT_EQ(debian_point_release("bookworm/sid"), "");
  EXPECT_EQ(debian_point_release("1.2.3"), "");
  EXPECT_EQ(debian_point_release("1."), "");
  auto r = parse_debian_version("12.5\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "debian");
  EXPECT_EQ(r->version_id, "12.5");
  auto sid = parse_debian_version("trixie/sid\n");
  ASSERT_TRUE(sid);
  EXPECT_EQ(sid->version_id, "");
  EXPECT_EQ(sid->version_codename, "trixie");
  EXPECT_FALSE(parse_debian_version("\x01\x02 garbage"));
  EXPECT_FALSE(parse_debian_version(""));
}

TEST(AlpineRelease, Version) {
  auto r = parse_alpine_release("3.18.4\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "alpine");
  EXPECT_EQ(r->version_id, "3.18.4");
  EXPECT_EQ(r->pretty_name, "Alpine Linux v3.18");
  EXPECT_FALSE(parse_alpine_release("not a version"));
  EXPECT_FALSE(parse_alpine_release(""));
}

TEST(Busybox, BannerInBinary) {
  std::string binary("\x7f" "ELF\0\0junk...BusyBox v1.31.1more junk", 37);
  auto r = parse_busybox(binary);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pretty_name, "BusyBox v1.31.1");
  EXPECT_EQ(r->id, "busybox");
  EXPECT_EQ(r->name, "busybox");
  EXPECT_EQ(r->id_like, std::vector<std::string>{"busybox"});
  EXPECT_EQ(r->version_id, "1.31.1");
  EXPECT_FALSE(parse_busybox("BusyBox vX"));
  EXPECT_FALSE(parse_busybox(""));
}

TEST(IdentifyRelease, OsReleaseWinsAndFollowsSymlinks) {
  auto fs = make_fs({{"/etc/os-release", "->../usr/lib/os-release"},
                     {"/usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"},
                     {"/etc/alpine-release", "3.0.0\n"},
                     {"/bin/busybox", "BusyBox v1.36.1"}});
  auto r = identify_release(fs);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "alpine");
  EXPECT_EQ(r->version_id, "3.19.1");
}

TEST(IdentifyRelease, EmptyOsReleaseFallsThrough) {
  auto fs = make_fs({{"/etc/os-release", ""}, {"/etc/redhat-release", "CentOS release 6.10 (Final)"}});
  auto r = identify_release(fs);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "centos");
  EXPECT_EQ(r->version_id, "6.10");
}

TEST(IdentifyRelease, BusyboxComesAfterDistroFiles) {
  auto fs = make_fs({{"/etc/alpine-release", "3.18.4\n"}, {"/bin/busybox", "BusyBox v1.36.1"}});
  auto r = identify_release(fs);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, "alpine");
  auto only_busybox = make_fs({{"/usr/bin/busybox", "BusyBox v1.36.1"}, {"/bin", "->usr/bin"}});
  auto b = identify_release(only_busybox);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->id, "busybox");
}

TEST(IdentifyRelease, DebianPointReleaseFromDebianVersion) {
  auto fs = make_fs({{"/etc/os-release", "ID=debian\nVERSION_ID=\"13\"\nVERSION=\"13 (trixie)\"\n"},
                     {"/etc/debian_version", "13.5\n"}});
  auto r = identify_release(fs);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version_id, "13.5");
  EXPECT_EQ(r->version, "13 (trixie)");
  auto ubuntu = make_fs({{"/etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\n"}, {"/etc/debian_version", "bookworm/sid\n"}});
  EXPECT_EQ(identify_release(ubuntu)->version_id, "22.04");
}

TEST(IdentifyRelease, NothingWithoutFiles) {
  EXPECT_FALSE(identify_release(make_fs({})));
  EXPECT_FALSE(identify_release(make_fs({{"/etc/os-release", "\n\n# x\n"}})));
}

TEST(ReleaseCaptureRules, CoverEveryIdentityFileWithCaps) {
  CapturePolicy policy(release_capture_rules());
  for (const char* path : {"/etc/os-release", "/usr/lib/os-release", "/etc/system-release-cpe", "/etc/redhat-release",
                           "/etc/lsb-release", "/etc/debian_version", "/etc/alpine-release", "/bin/busybox",
                           "/usr/bin/busybox", "/etc/system-release"}) {
    auto cap = policy.cap_for(path);
    ASSERT_TRUE(cap) << path;
    EXPECT_LE(*cap, 8u * 1024 * 1024) << path;
  }
  EXPECT_LE(*policy.cap_for("/etc/os-release"), 64u * 1024);
  EXPECT_FALSE(policy.cap_for("/etc/passwd"));
  EXPECT_FALSE(policy.cap_for("/opt/etc/os-release"));
}

}  // namespace
}  // namespace cairn::sbom
