#include "sbom/catalogers/binary_classifier_table.h"

#include <string>

namespace cairn::sbom::binclass {
namespace {

using namespace std::string_literals;  // "\0..."s keeps the NUL bytes of anchors

// A pattern whose regex starts with its anchor, one NUL byte before it allowed.
ContentPattern at(std::string anchor, std::string regex, std::size_t after = 64) {
  return ContentPattern{std::move(anchor), std::move(regex), 1, after};
}

// A pattern whose version comes before the anchor.
ContentPattern ending_at(std::string anchor, std::string regex, std::size_t before, std::size_t after = 8) {
  return ContentPattern{std::move(anchor), std::move(regex), before, after};
}

Evidence one(ContentPattern p) { return Evidence{"", {std::move(p)}}; }

Classifier generic(std::string cls, std::vector<std::string> globs, std::vector<Evidence> any, std::string package,
                   std::vector<Classifier::Cpe> cpes, std::string purl_namespace = "") {
  Classifier c;
  c.class_name = std::move(cls);
  c.globs = std::move(globs);
  c.any = std::move(any);
  c.purl_type = "generic";
  c.purl_name = package;
  c.purl_namespace = std::move(purl_namespace);
  c.package = std::move(package);
  c.cpes = std::move(cpes);
  return c;
}

// Version shapes shared by several entries (Syft's regexes, in ECMAScript syntax).
const std::string kPythonFromName = R"(\x00({v}[-._a-zA-Z0-9]*)\x00)";
const std::string kSqlVersion = R"([0-9]+(?:\.[0-9]+)?(?:\.[0-9]+)?(?:alpha[0-9]|beta[0-9]|rc[0-9])?)";
const std::string kOtpVersion = R"([0-9]+\.[0-9]+(?:\.[0-9]+){0,2}(?:-rc[0-9])?)";
const std::string kPhpVersion = R"(X-Powered-By: PHP/([0-9]+\.[0-9]+\.[0-9]+(?:beta[0-9]+|alpha[0-9]+|RC[0-9]+)?))";
const std::string kRubyVersion = R"(ruby ([0-9]+\.[0-9]+\.[0-9]+(?:(?:p|preview|rc|dev)[0-9]*)?) )";
const std::string kOpenSslVersion = R"(\x00OpenSSL ([0-9]+\.[0-9]+\.[0-9]+(?:[a-z]+|-alpha[0-9]|-beta[0-9]|-rc[0-9])?))";

std::vector<Evidence> python_from_name(const std::string& name_regex) {
  return {Evidence{name_regex, {ContentPattern{"\0{v}"s, kPythonFromName, 0, 48}}}};
}

std::vector<Evidence> otp_sources() {
  return {one(at("/src/otp_src_", R"(/src/otp_src_()" + kOtpVersion + R"()/erts/)")),
          one(at("/usr/local/src/otp-", R"(/usr/local/src/otp-()" + kOtpVersion + R"()/erts/)"))};
}

std::vector<Classifier> build_python() {
  std::vector<Classifier::Cpe> cpes{{"python_software_foundation", "python"}, {"python", "python"}};
  auto binary = generic("python-binary", {"**/python*"},
                        python_from_name(R"((?:.*/|^)python([0-9]+(?:\.[0-9]+)+)$)"), "python", cpes);
  binary.needed_library = R"(^libpython[0-9]+(?:\.[0-9]+)+[a-z]?\.so.*$)";
  binary.library_class = "python-binary-lib";
  auto lib = generic("python-binary-lib", {"**/libpython*.so*"},
                     python_from_name(R"((?:.*/|^)libpython([0-9]+(?:\.[0-9]+)+)[a-z]?\.so.*$)"), "python", cpes);
  auto pypy = generic("pypy-binary-lib", {"**/libpypy*.so*"},
                      {one(at("[PyPy ", R"(\[PyPy ([0-9]+\.[0-9]+\.[0-9]+))"))}, "pypy", {});
  return {binary, lib, pypy};
}

std::vector<Classifier> build_java() {
  // Syft's java-binary branches, tried in this order on every file named "java".
  const std::string group = "java-binary";
  std::vector<Classifier> out;
  auto add = [&](Classifier c) {
    c.exclusive_group = group;
    out.push_back(std::move(c));
  };
  const ContentPattern openjdk_present{"openjdk", "openjdk", 0, 0, 0};
  add(generic("java-binary-graalvm", {"**/java"},
              {one(ending_at("-jvmci-", R"(\x00([0-9]+[.0-9]+[.0-9]+\+[0-9]+-jvmci-[0-9]+[.0-9]+-b[0-9]+)\x00)", 40,
                             40))},
              "graalvm", {{"oracle", "graalvm"}}, "oracle"));
  add(generic("java-binary-openjdk-zulu", {"**/java"},
              {Evidence{R"(/[^/]*zulu[^/]*/)",
                        {ContentPattern{"\0java\0"s, R"(\x00java\x00([0-9]+[.0-9]*)\x00([0-9]+[^\x00]+)\x00)", 0, 96, 2}}},
               Evidence{R"(/[^/]*zulu[^/]*/)",
                        {ContentPattern{"\0openjdk"s,
                                        R"(\x00([0-9]+[.0-9]*)\x00+([0-9]+[^\x00]+)\x00+(?:openjdk|java))", 96, 16, 2}}},
               Evidence{R"(/[^/]*zulu[^/]*/)",
                        {ContentPattern{"\0java"s, R"(\x00([0-9]+[.0-9]*)\x00+([0-9]+[^\x00]+)\x00+(?:openjdk|java))",
                                        96, 16, 2}}}},
              "zulu", {{"azul", "zulu"}}, "azul"));
  // "1.8.0_352-b08": version, with primary 1.8.0 and update 352 for the CPE.
  const std::string with_update = R"(([0-9]+[^\x00]+)_([^\x00]+)-[^\x00]+)";
  add(generic("java-binary-openjdk-with-update", {"**/java"},
              {Evidence{"",
                        {openjdk_present,
                         ContentPattern{"java\0"s, R"(java\x00([0-9]+[.0-9]*)\x00()" + with_update + R"()\x00)", 0, 96,
                                        2, 3, 4}}},
               Evidence{"",
                        {openjdk_present,
                         ContentPattern{"\0openjdk\0java"s,
                                        R"(\x00([0-9]+[.0-9]*)\x00+()" + with_update + R"()\x00+openjdk\x00java)", 96,
                                        16, 2, 3, 4}}}},
              "openjdk", {{"oracle", "openjdk"}}, "oracle"));
  add(generic("java-binary-openjdk", {"**/java"},
              {one(ContentPattern{"\0openjdk\0java\0"s,
                                  R"(\x00openjdk\x00java\x00([0-9]+[.0-9]*)\x00([0-9]+[^\x00]+)\x00)", 0, 96, 2}),
               one(ContentPattern{"\0openjdk\0java"s,
                                  R"(\x00([0-9]+[.0-9]*)\x00+([0-9]+[^\x00]+)\x00+openjdk\x00java)", 96, 16, 2})},
              "openjdk", {{"oracle", "openjdk"}}, "oracle"));
  add(generic("java-binary-ibm", {"**/java"},
              {Evidence{R"(/ibm/)", {ContentPattern{"\0java\0"s,
                                                    R"(\x00java\x00+([0-9]+[.0-9]+)\x00+([0-9]+[-._a-zA-Z0-9]+)\x00)",
                                                    0, 96, 2}}}},
              "java", {{"ibm", "java"}}, "ibm"));
  add(generic("java-binary-openjdk-fallthrough", {"**/java"},
              {Evidence{"", {openjdk_present, ending_at("+", R"(\x00([0-9]+[.0-9]+[+][-0-9]+)\x00)", 24, 24)}}}, "jre",
              {{"oracle", "jre"}}, "oracle"));
  auto oracle = generic("java-binary-oracle", {"**/java"},
                        {one(ContentPattern{"\0"s, R"(\x00([0-9]+\.[0-9]+\.[-._+a-zA-Z0-9]+)\x00)", 0, 64, 1, 0, 0,
                                            true})},
                        "jre", {{"oracle", "jre"}}, "oracle");
  add(oracle);
  return out;
}

std::vector<Classifier> build() {
  std::vector<Classifier> t = build_python();

  t.push_back(generic("go-binary", {"**/go", "**/go.exe"},
                      {one(at("go1.", R"(go([0-9]+\.[0-9]+(?:\.[0-9]+|beta[0-9]+|alpha[0-9]+|rc[0-9]+)?)\x00)", 24))},
                      "go", {{"golang", "go"}}));
  t.push_back(generic("julia-binary", {"**/libjulia-internal.so"},
                      {one(at("__init__\0"s, R"(__init__\x00([0-9]+\.[0-9]+\.[0-9]+)\x00verify)", 32))}, "julia",
                      {{"julialang", "julia"}}));
  // redis: "7.0.14buildkitsandbox-1702957741000000000" (v7), "4.0.11841ce7054bd9-1542359302000000000"
  // (v3 to v6: a 12-character build id, then a timestamp, which starts with 1 until 2033),
  // "Redis version 2.8.23" (v2).
  const std::string redis_buildkit = R"([^0-9]([0-9]+.[0-9]+\.[0-9]+)buildkitsandbox-[0-9]+)";
  t.push_back(generic(
      "redis-binary", {"**/redis-server"},
      {one(ending_at("buildkitsandbox-", redis_buildkit, 24, 24)),
       one(ending_at("-1", R"([^0-9]([0-9]+\.[0-9]+\.[0-9]+)\w{12}-1[0-9]*)", 40, 24)),
       one(at("Redis version ", R"(Redis version ([0-9]+\.[0-9]+\.[0-9]+))"))},
      "redis", {{"redislabs", "redis"}, {"redis", "redis"}}));
  t.push_back(generic("valkey-binary", {"**/valkey-server"}, {one(ending_at("buildkitsandbox-", redis_buildkit, 24, 24))},
                      "valkey",
                      {{"lfprojects", "valkey"}, {"linuxfoundation", "valkey"}, {"valkey-io", "valkey"}}));
  // cairn: also "nodejs", the real file behind Debian's /usr/bin/node symlink.
  {
    std::vector<Evidence> old_node;
    const std::string old_regex = R"(\x00(?:node )?v((?:0|4|5|6)\.[0-9]+\.[0-9]+)\x00)";
    for (const auto& anchor : {"\0node v"s, "\0v0."s, "\0v4."s, "\0v5."s, "\0v6."s})
      old_node.push_back(one(ContentPattern{anchor, old_regex, 0, 24}));
    // Syft tries the old-version shape first, then node.js/v.
    auto node = generic("nodejs-binary", {"**/node", "**/nodejs"}, std::move(old_node), "node",
                        {{"nodejs", "node.js"}});
    node.any.push_back(one(at("node.js/v", R"(node\.js/v([0-9]+\.[0-9]+\.[0-9]+))")));
    t.push_back(std::move(node));
  }
  t.push_back(generic("busybox-binary", {"**/busybox"},
                      {one(at("BusyBox", R"(BusyBox\s+v([0-9]+\.[0-9]+\.[0-9]+))"))}, "busybox",
                      {{"busybox", "busybox"}}));
  t.push_back(generic("util-linux-binary", {"**/getopt"},
                      {one(at("\0util-linux"s, R"(\x00util-linux\s([0-9]+\.[0-9]+\.[0-9]+)\x00)"))}, "util-linux",
                      {{"kernel", "util-linux"}}));
  t.push_back(generic(
      "haproxy-binary", {"**/haproxy"},
      {one(ending_at(", released 20", R"(version ([0-9]+\.[0-9]+(?:\.|-dev|-rc)[0-9]+)(?:-[a-z0-9]{7})?, released 20)",
                     48, 0)),
       one(at("HA-Proxy version ", R"(HA-Proxy version ([0-9]+\.[0-9]+(?:\.|-dev)[0-9]+))")),
       one(ending_at("HAProxy version", R"(([0-9]+\.[0-9]+(?:\.|-dev)[0-9]+)-[0-9a-zA-Z]{7}.+HAProxy version)", 160, 16))},
      "haproxy", {{"haproxy", "haproxy"}}));
  t.push_back(generic("perl-binary", {"**/perl"},
                      {one(at("/usr/local/lib/perl", R"(/usr/local/lib/perl\d/([0-9]+\.[0-9]+\.[0-9]+))"))}, "perl",
                      {{"perl", "perl"}}));
  // PHP (Syft has moved these to its PHP interpreter cataloger; the names, purls and CPEs are the same).
  t.push_back(generic("php-cli-binary", {"**/php*"},
                      {Evidence{R"((?:.*/|^)php[0-9]*$)", {at("X-Powered-By: PHP/", kPhpVersion)}}}, "php-cli",
                      {{"php", "php"}}));
  t.push_back(generic("php-fpm-binary", {"**/php-fpm*"}, {one(at("X-Powered-By: PHP/", kPhpVersion))}, "php-fpm",
                      {{"php", "php"}}));
  {
    auto libphp = generic("php-apache-binary", {"**/libphp*.so"}, {one(at("X-Powered-By: PHP/", kPhpVersion))},
                          "libphp", {{"php", "php"}});
    libphp.purl_name = "php";
    t.push_back(std::move(libphp));
  }
  // cairn: also "apache2", Debian's and Ubuntu's name for httpd.
  t.push_back(generic("httpd-binary", {"**/httpd", "**/apache2"},
                      {one(at("Apache/", R"(Apache/([0-9]+\.[0-9]+\.[0-9]+))"))}, "httpd",
                      {{"apache", "http_server"}}));
  t.push_back(generic("memcached-binary", {"**/memcached"},
                      {one(at("memcached", R"(memcached\s([0-9]+\.[0-9]+\.[0-9]+))"))}, "memcached",
                      {{"memcached", "memcached"}}));
  t.push_back(generic(
      "postgresql-binary", {"**/postgres"},
      {one(at("PostgreSQL ", R"((?:\x00|\?)PostgreSQL ([0-9]+(?:\.[0-9]+)?(?:\.[0-9]+)?(?:alpha[0-9]|beta[0-9]|rc[0-9])?))"))},
      "postgresql", {{"postgresql", "postgresql"}}));
  // cairn: the servers too (mysqld, mariadbd), not only the clients Syft looks at.
  const std::vector<std::string> mysql_globs{"**/mysql", "**/mysqld"};
  t.push_back(generic("mysql-binary", mysql_globs,
                      {one(ending_at("mysql", R"(\x00()" + kSqlVersion + R"()\x00+mysql)", 64, 8)),
                       one(at("/mysql-", R"(/mysql-()" + kSqlVersion + ")"))},
                      "mysql", {{"oracle", "mysql"}}));
  t.push_back(generic("mysql-binary", mysql_globs, {one(at("/percona-server-", R"(/percona-server-()" + kSqlVersion + ")"))},
                      "percona-server", {{"oracle", "mysql"}, {"percona", "percona_server"}}));
  t.push_back(generic("mysql-binary", mysql_globs,
                      {one(at("/Percona-XtraDB-Cluster-", R"(/Percona-XtraDB-Cluster-()" + kSqlVersion + ")"))},
                      "percona-xtradb-cluster",
                      {{"oracle", "mysql"}, {"percona", "percona_server"}, {"percona", "xtradb_cluster"}}));
  t.push_back(generic("mariadb-binary", {"**/mariadb", "**/mysql", "**/mariadbd", "**/mysqld"},
                      {one(ending_at("-MariaDB", "(" + kSqlVersion + ")-MariaDB", 40, 8))}, "mariadb",
                      {{"mariadb", "mariadb"}}));
  {
    auto ruby = generic("ruby-binary", {"**/ruby"}, {one(at("ruby ", kRubyVersion))}, "ruby", {{"ruby-lang", "ruby"}});
    ruby.needed_library = R"(^libruby\.so.*$)";
    ruby.library_class = "ruby-binary-lib";
    // Syft reads the version from the binary first and asks the library only when that fails.
    t.push_back(std::move(ruby));
    auto lib = generic("ruby-binary-lib", {"**/libruby.so*"}, {one(at("ruby ", kRubyVersion))}, "ruby",
                       {{"ruby-lang", "ruby"}});
    lib.lookup_only = true;
    t.push_back(std::move(lib));
  }
  t.push_back(generic("erlang-binary", {"**/erlexec"}, otp_sources(), "erlang", {{"erlang", "erlang/otp"}}));
  {
    auto beam = otp_sources();
    beam.push_back(one(ending_at("Erlang/OTP", R"(\x00+()" + kOtpVersion + R"()\x00+Erlang/OTP)", 48, 10)));
    beam.push_back(one(ContentPattern{"Erlang/OTP", R"(Erlang/OTP[\s\S]{1,150}\x00+()" + kOtpVersion + R"()\x00+)", 0, 200}));
    t.push_back(generic("erlang-alpine-binary", {"**/beam.smp"}, std::move(beam), "erlang", {{"erlang", "erlang/otp"}}));
  }
  {
    auto consul = generic("consul-binary", {"**/consul"},
                          {one(at("CONSUL_VERSION: ", R"(CONSUL_VERSION: (\d+\.\d+\.\d+))")),
                           one(at("GitDescribe=", R"(GitDescribe=(\d+\.\d+\.\d+)\")"))},
                          "consul", {{"hashicorp", "consul"}});
    consul.purl_type = "golang";
    consul.purl_namespace = "github.com/hashicorp";
    t.push_back(std::move(consul));
    auto vault = generic("hashicorp-vault-binary", {"**/vault"},
                         {one(at("revoke", R"(revoke([0-9]+\.[0-9]+\.[0-9]+))")),
                          one(at("state", R"(state([0-9]+\.[0-9]+\.[0-9]+-rc[0-9]))")),
                          one(at("016x", R"(016x(1.1[1,3,4].[0-9]{1,2}))"))},
                         "github.com/hashicorp/vault", {{"hashicorp", "vault"}});
    vault.purl_type = "golang";
    vault.purl_namespace = "github.com/hashicorp";
    vault.purl_name = "vault";
    t.push_back(std::move(vault));
  }
  t.push_back(generic(
      "nginx-binary", {"**/nginx"},
      {one(at("nginx version: ", R"((?:\x00|\?)nginx version: [^/]+/([0-9]+\.[0-9]+\.[0-9]+(?:\+\d+)?(?:-\d+)?))"))},
      "nginx", {{"f5", "nginx"}, {"nginx", "nginx"}}));
  t.push_back(generic(
      "bash-binary", {"**/bash"},
      {one(at("@(#)Bash version ", R"(@\(#\)Bash version ([0-9]+\.[0-9]+\.[0-9]+)\([0-9]\) [a-z0-9]+ GNU)"))}, "bash",
      {{"gnu", "bash"}}));
  {
    auto aws_lc = generic("openssl-binary-aws-lc", {"**/openssl"},
                          {one(at("AWS-LC ", R"(AWS-LC ([0-9]+\.[0-9]+\.[0-9]+)\)\x00)"))}, "aws-lc",
                          {{"amazon", "aws_libcrypto"}});
    aws_lc.exclusive_group = "openssl-binary";
    t.push_back(std::move(aws_lc));
    auto openssl = generic("openssl-binary", {"**/openssl"}, {one(at("\0OpenSSL "s, kOpenSslVersion))}, "openssl",
                           {{"openssl", "openssl"}});
    openssl.exclusive_group = "openssl-binary";
    t.push_back(std::move(openssl));
    // cairn: libcrypto carries the same version text; a copied libcrypto.so is OpenSSL too.
    t.push_back(generic("openssl-library", {"**/libcrypto*.so*"}, {one(at("\0OpenSSL "s, kOpenSslVersion))}, "openssl",
                        {{"openssl", "openssl"}}));
  }
  t.push_back(generic("openldap-search-binary", {"**/ldapsearch"},
                      {one(at("$OpenLDAP:", R"(\$OpenLDAP:\sldapsearch\s([0-9]+\.[0-9]+\.[0-9]+))"))}, "openldap",
                      {{"openldap", "openldap"}}));
  t.push_back(generic("gcc-binary", {"**/gcc"}, {one(at("GCC: (GNU) ", R"(GCC: \(GNU\) ([0-9]+\.[0-9]+\.[0-9]+))"))},
                      "gcc", {{"gnu", "gcc"}}));
  t.push_back(generic(
      "fluent-bit-binary", {"**/fluent-bit"},
      {one(ending_at("Fluent",
                     R"(\x00\x00?([0-9]+\.[0-9]+\.[0-9]+)\x00(?:\x1b\[1m\x00|\x00|\x00\x00)?(?:%s)?Fluent)", 32, 8))},
      "fluent-bit", {{"treasuredata", "fluent_bit"}}));
  t.back().purl_type = "github";
  t.back().purl_namespace = "fluent";
  t.push_back(generic("curl-binary", {"**/curl"}, {one(at("curl/", R"(curl/([0-9]+\.[0-9]+\.[0-9]+))"))}, "curl",
                      {{"haxx", "curl"}}));
  // cairn: libcurl's user agent string ("libcurl/7.88.1") names its version.
  t.push_back(generic("curl-library", {"**/libcurl*.so*"}, {one(at("curl/", R"(curl/([0-9]+\.[0-9]+\.[0-9]+))"))},
                      "curl", {{"haxx", "curl"}}));
  t.push_back(generic("lighttpd-binary", {"**/lighttpd"},
                      {one(at("\0lighttpd/"s, R"(\x00lighttpd/([0-9]+\.[0-9]+\.[0-9]+)\x00)"))}, "lighttpd",
                      {{"lighttpd", "lighttpd"}}));
  t.push_back(generic("proftpd-binary", {"**/proftpd"},
                      {one(at("\0ProFTPD Version "s, R"(\x00ProFTPD Version ([0-9]+\.[0-9]+\.[0-9]+[a-z]?)\x00)"))},
                      "proftpd", {{"proftpd", "proftpd"}}));
  t.push_back(generic("zstd-binary", {"**/zstd"}, {one(at("\0v"s, R"(\x00v([0-9]+\.[0-9]+\.[0-9]+)\x00)", 24))},
                      "zstd", {{"facebook", "zstandard"}}));
  t.push_back(generic("xz-binary", {"**/xz"},
                      {one(at("\0xz (XZ Utils) "s, R"(\x00xz \(XZ Utils\) ([0-9]+\.[0-9]+\.[0-9]+)\x00)"))}, "xz",
                      {{"tukaani", "xz"}}));
  t.push_back(generic("gzip-binary", {"**/gzip"},
                      {one(ContentPattern{"\0"s, R"(\x00([0-9]+\.[0-9]+)\x00)", 0, 16, 1, 0, 0, true})}, "gzip",
                      {{"gnu", "gzip"}}));
  t.push_back(generic("jq-binary", {"**/jq"},
                      {one(ContentPattern{"\0"s, R"(\x00([0-9]{1,3}\.[0-9]{1,3}(?:\.[0-9]+)?)\x00)", 0, 24, 1, 0, 0,
                                          true})},
                      "jq", {{"jqlang", "jq"}}));
  t.push_back(generic("ffmpeg-binary", {"**/ffmpeg"},
                      {one(at("%s version ", R"(%s version ([0-9]+\.[0-9]+(?:\.[0-9]+)?))"))}, "ffmpeg",
                      {{"ffmpeg", "ffmpeg"}}));
  t.push_back(generic("mongodb-binary", {"**/mongod"},
                      {one(ending_at("\0tcmalloc"s, R"(([0-9]+\.[0-9]+\.[0-9]+)\x00tcmalloc)", 24, 9)),
                       one(ending_at("heap_size", R"(([0-9]+\.[0-9]+\.[0-9]+)\x00+heap_size)", 40, 9)),
                       one(ending_at("cppdefines", R"(([0-9]+\.[0-9]+\.[0-9]+)\x00+cppdefines)", 40, 10))},
                      "mongodb", {{"mongodb", "mongodb"}}));
  t.push_back(generic("deno-binary", {"**/deno"}, {one(at("Deno/", R"(Deno/([0-9]+\.[0-9]+\.[0-9]+))"))}, "deno",
                      {{"deno", "deno"}}));

  for (auto& c : build_java()) t.push_back(std::move(c));
  return t;
}

}  // namespace

const std::vector<Classifier>& classifiers() {
  static const std::vector<Classifier> table = build();
  return table;
}

const Classifier* find_classifier(const std::string& class_name) {
  for (const auto& c : classifiers())
    if (c.class_name == class_name) return &c;
  return nullptr;
}

}  // namespace cairn::sbom::binclass
