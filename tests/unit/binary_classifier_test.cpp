#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sbom/catalogers/binary_classifier.h"
#include "sbom/catalogers/binary_classifier_match.h"
#include "test_support.h"

namespace cairn::sbom::binary_classifier_test {
namespace {

using namespace std::string_literals;
using binclass::classify;
using cairn::testing::make_fs;

// A version string among junk bytes, as it sits in a real executable (Syft's snippets).
std::string snippet(const std::string& evidence) {
  return "\x7f" "ELF\x02\x01\x01\0\0\0junk\xff\xfe tables \x01\x02"s + evidence + "\0\0more junk \x90\x90\0"s;
}

struct Case {
  std::string path;
  std::string evidence;
  std::string class_name;
  std::string package;
  std::string version;
};

// One positive case per classifier, with the shapes Syft's classifier comments show.
const std::vector<Case>& positive_cases() {
  static const std::vector<Case> cases{
      {"/usr/bin/python3.11", "c_debug\0" "3.11.2\0strict"s, "python-binary", "python", "3.11.2"},
      {"/usr/local/lib/libpython3.9.so.1.0", "x\0" "3.9.16\0y"s, "python-binary-lib", "python", "3.9.16"},
      {"/opt/pypy/bin/libpypy3.9-c.so", "[PyPy 7.3.11 with GCC 10.2.1]", "pypy-binary-lib", "pypy", "7.3.11"},
      {"/usr/local/go/bin/go", "from Go version go1.1\" on\0go1.21.3\0runtime"s, "go-binary", "go", "1.21.3"},
      {"/opt/julia/lib/julia/libjulia-internal.so", "__init__\0" "1.9.3\0verify"s, "julia-binary", "julia",
       "1.9.3"},
      {"/usr/local/bin/redis-server", "\x01" "7.0.14buildkitsandbox-1702957741000000000", "redis-binary", "redis",
       "7.0.14"},
      {"/usr/local/bin/redis-server", "\x01" "4.0.11841ce7054bd9-1542359302000000000", "redis-binary", "redis",
       "4.0.11"},
      {"/usr/local/bin/redis-server", "Server started, Redis version 2.8.23", "redis-binary", "redis", "2.8.23"},
      {"/usr/local/bin/valkey-server", "x9.0.0buildkitsandbox-1764887574000000000", "valkey-binary", "valkey",
       "9.0.0"},
      {"/usr/local/bin/node", "\0node v0.10.48\0"s, "nodejs-binary", "node", "0.10.48"},
      {"/usr/local/bin/node", "\0v4.9.1\0"s, "nodejs-binary", "node", "4.9.1"},
      {"/usr/local/bin/node", "https://node.js/v22.9.0/docs", "nodejs-binary", "node", "22.9.0"},
      {"/usr/bin/nodejs", "node.js/v18.19.0", "nodejs-binary", "node", "18.19.0"},
      {"/bin/busybox", "BusyBox v1.36.1 (2023-07-27 17:12:24 UTC)", "busybox-binary", "busybox", "1.36.1"},
      {"/usr/bin/getopt", "\0util-linux 2.38.1\0"s, "util-linux-binary", "util-linux", "2.38.1"},
      {"/usr/sbin/haproxy", "HA-Proxy version 1.5.14 2015/07/02", "haproxy-binary", "haproxy", "1.5.14"},
      {"/usr/sbin/haproxy", "HAProxy version 2.7.3-1065b10, released 2023/02/14", "haproxy-binary", "haproxy",
       "2.7.3"},
      {"/usr/sbin/haproxy", "1.8.22-1a2b3c4 2019/08/16 HAProxy version", "haproxy-binary", "haproxy", "1.8.22"},
      {"/usr/local/bin/perl", "/usr/local/lib/perl5/5.36.0/x86_64-linux", "perl-binary", "perl", "5.36.0"},
      {"/usr/local/bin/php", "X-Powered-By: PHP/8.2.1\0"s, "php-cli-binary", "php-cli", "8.2.1"},
      {"/usr/bin/php82", "X-Powered-By: PHP/8.2.0RC1\0"s, "php-cli-binary", "php-cli", "8.2.0RC1"},
      {"/usr/local/sbin/php-fpm", "X-Powered-By: PHP/8.2.1\0"s, "php-fpm-binary", "php-fpm", "8.2.1"},
      {"/usr/local/lib/libphp.so", "X-Powered-By: PHP/8.2.1\0"s, "php-apache-binary", "libphp", "8.2.1"},
      {"/usr/local/apache2/bin/httpd", "Apache/2.4.54 (Unix)", "httpd-binary", "httpd", "2.4.54"},
      {"/usr/sbin/apache2", "Apache/2.4.57 (Debian)", "httpd-binary", "httpd", "2.4.57"},
      {"/usr/local/bin/memcached", "memcached 1.6.18", "memcached-binary", "memcached", "1.6.18"},
      {"/usr/lib/postgresql/15/bin/postgres",
       "upgrading to PostgreSQL 9.1.\0\0\0PostgreSQL 15.18 (Debian 15.18-0+deb12u1)"s, "postgresql-binary",
       "postgresql", "15.18"},
      {"/usr/local/bin/postgres", "\0PostgreSQL 15beta4\0"s, "postgresql-binary", "postgresql", "15beta4"},
      {"/usr/bin/mysql", "shutdown\0" "8.0.37\0\0\0\0\0mysql_real_esc"s, "mysql-binary", "mysql", "8.0.37"},
      {"/usr/sbin/mysqld", "/export/home/pb2/build/sb_0-1/release/mysql-8.0.4-rc/mysys_ssl/my_default.cc",
       "mysql-binary", "mysql", "8.0.4"},
      {"/usr/bin/mariadb", "\0" "10.6.15-MariaDB\0"s, "mariadb-binary", "mariadb", "10.6.15"},
      {"/usr/sbin/mariadbd", "\0" "11.2.2-MariaDB\0"s, "mariadb-binary", "mariadb", "11.2.2"},
      {"/usr/local/bin/ruby", "ruby 3.2.1 (2023-02-08 revision 31819e82c8) [x86_64-linux]", "ruby-binary", "ruby",
       "3.2.1"},
      {"/usr/local/bin/ruby", "ruby 2.7.7p221 (2022-11-24 revision 168ec2b1e5)", "ruby-binary", "ruby", "2.7.7p221"},
      {"/usr/local/lib/erlang/erts-13.2/bin/erlexec", "<artificial>\0/usr/src/otp_src_25.3.2.6/erts/emulator"s,
       "erlang-binary", "erlang", "25.3.2.6"},
      {"/usr/lib/erlang/erts-14.1/bin/beam.smp", "\0\0" "26.1.2\0\0\0\0\0\0Erlang/OTP"s, "erlang-alpine-binary",
       "erlang", "26.1.2"},
      {"/usr/lib/erlang/erts-6.4/bin/beam.smp",
       "Erlang/OTP 17%s [erts-6.4.1.6] [source] [64-bit]\0" "17.5.6.9\0\0\0"s, "erlang-alpine-binary", "erlang",
       "17.5.6.9"},
      {"/bin/consul", "GitDescribe=1.12.9\"", "consul-binary", "consul", "1.12.9"},
      {"/bin/vault", "revoke1.18.0", "hashicorp-vault-binary", "github.com/hashicorp/vault", "1.18.0"},
      {"/usr/sbin/nginx", "\0nginx version: nginx/1.25.1\0"s, "nginx-binary", "nginx", "1.25.1"},
      {"/usr/local/openresty/nginx/sbin/nginx", "\0nginx version: openresty/1.21.4.1\0"s, "nginx-binary", "nginx",
       "1.21.4"},
      {"/bin/bash", "@(#)Bash version 5.2.15(1) release GNU", "bash-binary", "bash", "5.2.15"},
      {"/usr/bin/openssl", "\0OpenSSL 3.1.4 24 Oct 2023"s, "openssl-binary", "openssl", "3.1.4"},
      {"/usr/bin/openssl", "\0OpenSSL 1.1.1w  11 Sep 2023"s, "openssl-binary", "openssl", "1.1.1w"},
      {"/usr/bin/openssl", "\0OpenSSL 1.1.1 (compatible; AWS-LC 1.69.0)\0"s, "openssl-binary-aws-lc", "aws-lc",
       "1.69.0"},
      {"/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "\0OpenSSL 3.0.19 27 Jan 2026\0"s, "openssl-library",
       "openssl", "3.0.19"},
      {"/usr/bin/ldapsearch", "$OpenLDAP: ldapsearch 2.4.45", "openldap-search-binary", "openldap", "2.4.45"},
      {"/usr/bin/gcc", "GCC: (GNU) 12.3.0", "gcc-binary", "gcc", "12.3.0"},
      {"/fluent-bit/bin/fluent-bit", "\0" "3.0.2\0%sFluent Bit"s, "fluent-bit-binary", "fluent-bit", "3.0.2"},
      {"/usr/bin/curl", "curl/7.88.1", "curl-binary", "curl", "7.88.1"},
      {"/usr/lib/libcurl.so.4.8.0", "libcurl/8.5.0", "curl-library", "curl", "8.5.0"},
      {"/usr/sbin/lighttpd", "\0lighttpd/1.4.76\0"s, "lighttpd-binary", "lighttpd", "1.4.76"},
      {"/usr/sbin/proftpd", "\0ProFTPD Version 1.3.8b\0"s, "proftpd-binary", "proftpd", "1.3.8b"},
      {"/usr/bin/zstd", "\0v1.5.5\0"s, "zstd-binary", "zstd", "1.5.5"},
      {"/usr/bin/xz", "\0xz (XZ Utils) 5.4.1\0"s, "xz-binary", "xz", "5.4.1"},
      {"/bin/gzip", "\0" "1.12\0"s, "gzip-binary", "gzip", "1.12"},
      {"/usr/bin/jq", "\0" "1.7.1\0"s, "jq-binary", "jq", "1.7.1"},
      {"/usr/bin/ffmpeg", "%s version 7.1.1", "ffmpeg-binary", "ffmpeg", "7.1.1"},
      {"/usr/bin/mongod", "6.0.27\0tcmalloc"s, "mongodb-binary", "mongodb", "6.0.27"},
      {"/usr/bin/deno", "Deno/2.6.3", "deno-binary", "deno", "2.6.3"},
      {"/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "\0openjdk\0java\0" "0.0\0" "17.0.15+6-Debian-1deb12u1\0"s,
       "java-binary-openjdk", "openjdk", "17.0.15+6-Debian-1deb12u1"},
      {"/opt/java/bin/java", "\0" "0.0\0\0\0\0\0" "11.0.22+7\0\0\0\0openjdk\0java\0"s, "java-binary-openjdk",
       "openjdk", "11.0.22+7"},
      {"/usr/lib/jvm/java-8/bin/java", "\0openjdk\0java\0" "1.8\0" "1.8.0_352-b08\0"s,
       "java-binary-openjdk-with-update", "openjdk", "1.8.0_352-b08"},
      {"/opt/graalvm/bin/java", "\0" "17.0.8+7-jvmci-23.0-b15\0"s, "java-binary-graalvm", "graalvm",
       "17.0.8+7-jvmci-23.0-b15"},
      {"/usr/lib/jvm/zulu17/bin/java", "\0java\0" "17\0" "17.0.9+8-LTS\0"s, "java-binary-openjdk-zulu", "zulu",
       "17.0.9+8-LTS"},
      {"/opt/ibm/java/bin/java", "\0java\0" "1.8\0\0\0" "1.8.0-foreman_2022_01_20_09_33-b00\0"s, "java-binary-ibm",
       "java", "1.8.0-foreman_2022_01_20_09_33-b00"},
      {"/opt/jdk/bin/java", "built by openjdk\0" "19.0.1+10-21\0"s, "java-binary-openjdk-fallthrough", "jre",
       "19.0.1+10-21"},
      {"/opt/oracle/bin/java", "\0" "19.0.1+10-21\0"s, "java-binary-oracle", "jre", "19.0.1+10-21"},
  };
  return cases;
}

TEST(BinaryClassifier, EveryClassifierFindsItsVersionInJunk) {
  for (const auto& c : positive_cases()) {
    SCOPED_TRACE(c.path + " " + c.class_name);
    auto result = classify(c.path, snippet(c.evidence));
    ASSERT_EQ(result.matches.size(), 1u);
    EXPECT_EQ(result.matches[0].class_name, c.class_name);
    EXPECT_EQ(result.matches[0].package, c.package);
    EXPECT_EQ(result.matches[0].version, c.version);
  }
}

TEST(BinaryClassifier, EveryReportedClassifierHasACase) {
  std::set<std::string> tested;
  for (const auto& c : positive_cases()) tested.insert(c.class_name);
  for (const auto& c : binclass::classifiers()) {
    if (c.lookup_only || c.class_name == "mysql-binary") continue;  // percona variants share the class
    EXPECT_TRUE(tested.contains(c.class_name)) << c.class_name;
  }
  EXPECT_GE(tested.size(), 20u);
}

TEST(BinaryClassifier, NearMissesAndTruncatedVersionsAreNotMatches) {
  const std::vector<std::pair<std::string, std::string>> misses{
      {"/bin/busybox", "BusyBox v1.36"},                             // truncated: no patch number
      {"/bin/busybox", "BusyBox"},                                   // truncated at the end of the file
      {"/usr/bin/openssl", " OpenSSL 3.0.19"},                       // needs the NUL before it
      {"/usr/bin/python3.11", "\0" "3.12.1\0"s},                     // another Python than the name says
      {"/usr/bin/python3.11", "\0" "3.11.2 (main)"s},                // not NUL-terminated
      {"/usr/bin/python3", "\0" "3.11.2\0"s},                        // no version in the name, no libpython
      {"/usr/local/bin/php-config", "X-Powered-By: PHP/8.2.1"},      // php* but not the interpreter
      {"/usr/local/bin/node", "node.js/v20"},                        // two-part version
      {"/usr/local/bin/node", "\0v20.1.0\0"s},                       // the bare form is only for old nodes
      {"/usr/local/bin/redis-server", "7.0buildkitsandbox-17"},      // two-part version
      {"/usr/local/go/bin/go", "go1.21.3 "},                         // not NUL-terminated
      {"/usr/lib/postgresql/15/bin/postgres", "upgrading to PostgreSQL 9.1."},  // prose, not the banner
      {"/bin/bash", "@(#)Bash version 5.2.15 release GNU"},          // no "(1)"
      {"/usr/lib/jvm/x/bin/java", "\0openjdk\0java\0" "17\0"s},      // version cut off
      {"/bin/ls", "BusyBox v1.36.1"},                                // name no classifier applies to
      {"/usr/bin/curl", "curl/"},
  };
  for (const auto& [path, evidence] : misses) {
    SCOPED_TRACE(path + " " + evidence);
    EXPECT_TRUE(classify(path, snippet(evidence)).matches.empty());
  }
}

TEST(BinaryClassifier, OnlyNamedFilesAreCandidates) {
  EXPECT_TRUE(binclass::is_candidate("/usr/bin/python3.11"));
  EXPECT_TRUE(binclass::is_candidate("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"));
  EXPECT_TRUE(binclass::is_candidate("/opt/java/openjdk/bin/java"));
  EXPECT_FALSE(binclass::is_candidate("/usr/bin/ls"));
  EXPECT_FALSE(binclass::is_candidate("/usr/lib/x86_64-linux-gnu/libz.so.1"));
  EXPECT_FALSE(binary_classifier_extract("/usr/bin/ls", snippet("BusyBox v1.36.1")).has_value());
  EXPECT_FALSE(binary_classifier_extract("/bin/busybox", snippet("nothing here")).has_value());
}

TEST(BinaryClassifier, BranchesOfOneBinaryAreAlternatives) {
  // AWS-LC also writes "OpenSSL 1.1.1": only the first branch counts, as in Syft.
  auto r = classify("/usr/bin/openssl", snippet("\0OpenSSL 1.1.1 (compatible; AWS-LC 1.69.0)\0"s));
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].package, "aws-lc");
  // An OpenJDK launcher also has a bare "\0<version>\0": java-binary-oracle must not add a second package.
  r = classify("/usr/lib/jvm/j/bin/java", snippet("\0openjdk\0java\0" "0.0\0" "21.0.2+13-LTS\0"s));
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].class_name, "java-binary-openjdk");
}

TEST(BinaryClassifier, JavaUpdateIsSplitForTheCpe) {
  auto r = classify("/usr/lib/jvm/java-8/bin/java", snippet("\0openjdk\0java\0" "1.8\0" "1.8.0_352-b08\0"s));
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].primary, "1.8.0");
  EXPECT_EQ(r.matches[0].update, "352");
}

TEST(BinaryClassifier, FindPatternHonoursTheWindow) {
  binclass::ContentPattern p{"-MariaDB", "([0-9]+\\.[0-9]+\\.[0-9]+)-MariaDB", 12, 0};
  EXPECT_EQ(binclass::find_pattern("xx 10.6.15-MariaDB", p).version, "10.6.15");
  p.before = 3;  // the window cuts the version: what remains is no version
  EXPECT_FALSE(binclass::find_pattern("xx 10.6.15-MariaDB", p).found);
  EXPECT_FALSE(binclass::find_pattern("", p).found);
  EXPECT_FALSE(binclass::find_pattern("-Mari", p).found);
}

TEST(BinaryClassifier, HostileFileFullOfAnchorsStaysBounded) {
  // 4 MiB of anchors that never complete a version: the window budget ends the search
  // (speed belongs in benchmarks; ctest's timeout catches a hang).
  std::string hostile;
  hostile.reserve(4u << 20);
  while (hostile.size() < (4u << 20)) hostile += "\0v4.\0node v\0"s;
  auto r = classify("/usr/local/bin/node", hostile);
  EXPECT_TRUE(r.matches.empty());
}

// A minimal ELF64 little-endian file: header, .dynstr, .dynamic, section headers.
std::string elf_with_needed(const std::vector<std::string>& libs) {
  std::string dynstr(1, '\0');
  std::vector<std::uint64_t> offsets;
  for (const auto& l : libs) {
    offsets.push_back(dynstr.size());
    dynstr += l + '\0';
  }
  auto put = [](std::string& s, std::size_t at, std::uint64_t v, int width) {
    for (int i = 0; i < width; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  std::string dynamic;
  for (auto off : offsets) {
    std::string e(16, '\0');
    put(e, 0, 1, 8);  // DT_NEEDED
    put(e, 8, off, 8);
    dynamic += e;
  }
  dynamic += std::string(16, '\0');  // DT_NULL
  std::string f(64, '\0');
  f[0] = 0x7f, f[1] = 'E', f[2] = 'L', f[3] = 'F', f[4] = 2, f[5] = 1, f[6] = 1;
  const std::size_t dynstr_off = f.size();
  f += dynstr;
  const std::size_t dynamic_off = f.size();
  f += dynamic;
  const std::size_t shoff = f.size();
  std::string sh(64 * 3, '\0');  // null, .dynstr (3 = STRTAB), .dynamic (6, link 1)
  put(sh, 64 + 4, 3, 4), put(sh, 64 + 0x18, dynstr_off, 8), put(sh, 64 + 0x20, dynstr.size(), 8);
  put(sh, 128 + 4, 6, 4), put(sh, 128 + 0x18, dynamic_off, 8), put(sh, 128 + 0x20, dynamic.size(), 8);
  put(sh, 128 + 0x28, 1, 4);
  f += sh;
  put(f, 0x28, shoff, 8);
  put(f, 0x3A, 64, 2);
  put(f, 0x3C, 3, 2);
  return f;
}

TEST(BinaryClassifier, ReadsNeededLibrariesOfElfFiles) {
  auto elf = elf_with_needed({"libpython3.11.so.1.0", "libc.so.6"});
  EXPECT_EQ(binclass::elf_needed_libraries(elf), (std::vector<std::string>{"libpython3.11.so.1.0", "libc.so.6"}));
  // Every truncation of it is handled (nothing, or the names wholly inside the bytes).
  for (std::size_t n = 0; n < elf.size(); ++n) (void)binclass::elf_needed_libraries(elf.substr(0, n));
  // Section offsets pointing outside the file.
  auto broken = elf;
  broken[0x28] = '\xff', broken[0x2f] = '\x7f';
  EXPECT_TRUE(binclass::elf_needed_libraries(broken).empty());
  EXPECT_TRUE(binclass::elf_needed_libraries("MZ not an elf").empty());
}

TEST(BinaryClassifier, PythonRecordsItsLibpythonForTheLookup) {
  auto r = classify("/usr/local/bin/python3", elf_with_needed({"libpython3.12.so.1.0", "libc.so.6"}));
  EXPECT_TRUE(r.matches.empty());
  ASSERT_EQ(r.needed.size(), 1u);
  EXPECT_EQ(r.needed[0].library, "libpython3.12.so.1.0");
}

TEST(BinaryClassifierExtract, RoundTripsAndRejectsGarbage) {
  binclass::Classification c;
  c.matches.push_back({"java-binary-openjdk-with-update", "openjdk", "1.8.0_352-b08", "1.8.0", "352"});
  c.needed.push_back({"python-binary", "libpython3.11.so.1.0"});
  auto decoded = decode_classification(encode_classification(c));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->matches, c.matches);
  EXPECT_EQ(decoded->needed, c.needed);
  for (const char* bad : {"", "[]", "{}", "{\"matches\":1,\"needed\":[]}", "{\"matches\":[{\"class\":2}],\"needed\":[]}",
                          "{\"matches\":[{\"class\":\"x\",\"package\":\"p\"}],\"needed\":[]}", "{\"matches\":["})
    EXPECT_FALSE(decode_classification(bad).has_value()) << bad;
}

using Extracts = cairn::testing::ExtractMap;

std::string extract_of(const std::string& path, const std::string& evidence) {
  auto e = binary_classifier_extract(path, snippet(evidence));
  EXPECT_TRUE(e.has_value()) << path;
  return e.value_or("");
}

const Package* find(const CatalogResult& r, const std::string& name) {
  for (const auto& p : r.packages)
    if (p.name == name) return &p;
  return nullptr;
}

TEST(BinaryClassifierCataloger, ReportsPackagesAsSyftDoes) {
  auto fs = make_fs({}, Extracts{
                            {"/usr/local/bin/python3.11", {{"binary-classifier", extract_of("/usr/local/bin/python3.11",
                                                                                            "\0" "3.11.2\0"s)}}},
                            {"/bin/consul", {{"binary-classifier", extract_of("/bin/consul", "GitDescribe=1.12.9\"")}}},
                            {"/usr/lib/jvm/j8/bin/java",
                             {{"binary-classifier", extract_of("/usr/lib/jvm/j8/bin/java",
                                                               "\0openjdk\0java\0" "1.8\0" "1.8.0_352-b08\0"s)}}},
                        });
  auto result = binary_classifier_cataloger().run(fs, CatalogContext{});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.packages.size(), 3u);
  const Package* python = find(result, "python");
  ASSERT_NE(python, nullptr);
  EXPECT_EQ(python->version, "3.11.2");
  EXPECT_EQ(python->type, "binary");
  EXPECT_EQ(python->found_by, "binary-classifier-cataloger");
  EXPECT_EQ(python->purl, "pkg:generic/python@3.11.2");
  EXPECT_EQ(python->cpes, (std::vector<std::string>{"cpe:2.3:a:python_software_foundation:python:3.11.2:*:*:*:*:*:*:*",
                                                    "cpe:2.3:a:python:python:3.11.2:*:*:*:*:*:*:*"}));
  EXPECT_EQ(python->locations, std::vector<std::string>{"/usr/local/bin/python3.11"});
  const Package* consul = find(result, "consul");
  ASSERT_NE(consul, nullptr);
  EXPECT_EQ(consul->type, "go-module");
  EXPECT_EQ(consul->purl, "pkg:golang/github.com/hashicorp/consul@1.12.9");
  const Package* jdk = find(result, "openjdk");
  ASSERT_NE(jdk, nullptr);
  EXPECT_EQ(jdk->purl, "pkg:generic/oracle/openjdk@1.8.0_352-b08");
  EXPECT_EQ(jdk->cpes, std::vector<std::string>{"cpe:2.3:a:oracle:openjdk:1.8.0:update352:*:*:*:*:*:*"});
}

TEST(BinaryClassifierCataloger, PythonVersionComesFromItsLibpython) {
  const std::string lib = "/usr/local/lib/libpython3.12.so.1.0";
  auto python = binary_classifier_extract("/usr/local/bin/python3", elf_with_needed({"libpython3.12.so.1.0"}));
  ASSERT_TRUE(python.has_value());
  auto fs = make_fs({{"/usr/local/lib/libpython3.12.so", "->libpython3.12.so.1.0"}},
                    Extracts{{"/usr/local/bin/python3", {{"binary-classifier", *python}}},
                             {lib, {{"binary-classifier", extract_of(lib, "\0" "3.12.1\0"s)}}}});
  auto result = binary_classifier_cataloger().run(fs, CatalogContext{});
  // One package: the binary is the primary location, the library supporting evidence,
  // and the library's own match merges into it.
  ASSERT_EQ(result.packages.size(), 1u);
  EXPECT_EQ(result.packages[0].version, "3.12.1");
  EXPECT_EQ(result.packages[0].locations, (std::vector<std::string>{"/usr/local/bin/python3", lib}));
}

TEST(BinaryClassifierCataloger, SamePackageInTwoFilesIsOnePackage) {
  auto fs = make_fs({}, Extracts{{"/usr/bin/openssl", {{"binary-classifier", extract_of("/usr/bin/openssl",
                                                                                          "\0OpenSSL 3.0.19 27 Jan\0"s)}}},
                                 {"/usr/lib/libcrypto.so.3", {{"binary-classifier", extract_of("/usr/lib/libcrypto.so.3",
                                                                                                 "\0OpenSSL 3.0.19 27\0"s)}}},
                                 {"/usr/local/lib/libphp.so", {{"binary-classifier", extract_of("/usr/local/lib/libphp.so",
                                                                                                  "X-Powered-By: PHP/8.2.1")}}}});
  auto result = binary_classifier_cataloger().run(fs, CatalogContext{});
  ASSERT_EQ(result.packages.size(), 2u);
  const Package* openssl = find(result, "openssl");
  ASSERT_NE(openssl, nullptr);
  EXPECT_EQ(openssl->locations, (std::vector<std::string>{"/usr/bin/openssl", "/usr/lib/libcrypto.so.3"}));
  const Package* libphp = find(result, "libphp");
  ASSERT_NE(libphp, nullptr);
  EXPECT_EQ(libphp->purl, "pkg:generic/php@8.2.1");
}

TEST(BinaryClassifierCataloger, CorruptExtractIsAnErrorNamingTheFile) {
  auto fs = make_fs({}, Extracts{{"/bin/busybox", {{"binary-classifier", "{not json"}}}});
  auto result = binary_classifier_cataloger().run(fs, CatalogContext{});
  EXPECT_TRUE(result.packages.empty());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("/bin/busybox"), std::string::npos);
}

}  // namespace
}  // namespace cairn::sbom::binary_classifier_test
