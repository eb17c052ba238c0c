// The PHP serialize() reader, PEAR registry entries, Composer files and the PHP catalogers.
#include <gtest/gtest.h>

#include <string>

#include "sbom/catalogers/composer_json.h"
#include "sbom/catalogers/pear_registry.h"
#include "sbom/catalogers/php.h"
#include "sbom/catalogers/php_serialized.h"
#include "test_support.h"

namespace cairn::sbom::php_test {
namespace {

using cairn::testing::make_fs;

constexpr const char* kRegV6 =
    R"(a:6:{s:4:"name";s:9:"memcached";s:7:"channel";s:12:"pecl.php.net";s:4:"date";s:10:"2022-01-11";)"
    R"(s:4:"time";s:8:"15:23:47";s:7:"version";a:2:{s:7:"release";s:5:"3.2.0";s:3:"api";s:5:"3.2.0";})"
    R"(s:7:"license";a:2:{s:7:"attribs";a:1:{s:3:"uri";s:26:"http://www.php.net/license";}s:8:"_content";s:11:"PHP License";}})";

TEST(PhpSerialized, ReadsEveryScalarAndNestedArrays) {
  auto v = parse_php_serialized(R"(a:6:{i:0;N;i:1;b:1;i:-2;i:-42;s:1:"d";d:0.5;s:3:"a"b";s:2:"\"";i:9;a:0:{}})");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  ASSERT_EQ(v->kind, PhpValue::Kind::Array);
  ASSERT_EQ(v->entries.size(), 6u);
  EXPECT_EQ(v->find("0")->kind, PhpValue::Kind::Null);
  EXPECT_TRUE(v->find("1")->boolean);
  EXPECT_EQ(v->find("-2")->integer, -42);
  EXPECT_DOUBLE_EQ(v->find("d")->number, 0.5);
  EXPECT_EQ(v->string_at("a\"b"), "\\\"") << "lengths, not quotes, delimit strings";
  EXPECT_EQ(v->find("9")->kind, PhpValue::Kind::Array);
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(PhpSerialized, HostileLengthsAndCountsAreRefusedBeforeAllocating) {
  for (const char* bad : {
           R"(s:999999999:"abc";)",            // longer than the data
           R"(s:-1:"";)",                      // negative length
           R"(s:99999999999999999999999:"";)",  // overflows
           R"(s:3:"abcd";)",                   // declared length does not end at the quote
           R"(a:2147483647:{i:0;N;})",          // more elements than bytes could hold
           R"(a:-1:{})",
           R"(a:2:{i:0;N;})",  // fewer elements than declared
           R"(a:1:{d:1;N;})",  // a float key
           R"(O:8:"stdClass":0:{})",
           R"(r:1;)",
           R"(b:2;)",
           R"(i:;)",
           R"(i:12)",
           "",
           "a:1:{",
       }) {
    auto v = parse_php_serialized(bad);
    EXPECT_FALSE(v.has_value()) << bad;
    if (!v) {
      EXPECT_NE(v.error().message.find("byte"), std::string::npos) << v.error().message;
    }
  }
}

TEST(PhpSerialized, NestingIsCapped) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "a:1:{i:0;";
  deep += "N;";
  for (int i = 0; i < 100; ++i) deep += "}";
  auto v = parse_php_serialized(deep);
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("nested"), std::string::npos);
}

TEST(PearRegistry, V6AndV5Entries) {
  auto e = parse_pear_registry(kRegV6);
  ASSERT_TRUE(e.has_value()) << e.error().message;
  EXPECT_EQ(e->name, "memcached");
  EXPECT_EQ(e->channel, "pecl.php.net");
  EXPECT_EQ(e->version, "3.2.0");
  EXPECT_EQ(e->licenses, std::vector<std::string>{"PHP License"});
  auto v5 = parse_pear_registry(R"(a:3:{s:4:"name";s:3:"Log";s:7:"version";a:1:{s:7:"release";s:5:"1.9.0";}s:7:"license";s:3:"MIT";})");
  ASSERT_TRUE(v5.has_value()) << v5.error().message;
  EXPECT_EQ(pear_purl(*v5), "pkg:pear/pecl.php.net/Log@1.9.0");
  EXPECT_EQ(v5->licenses, std::vector<std::string>{"MIT"});
}

TEST(PearRegistry, ErrorsNameTheField) {
  auto no_name = parse_pear_registry(R"(a:1:{s:7:"channel";s:1:"x";})");
  ASSERT_FALSE(no_name.has_value());
  EXPECT_NE(no_name.error().message.find("\"name\""), std::string::npos);
  EXPECT_FALSE(parse_pear_registry(R"(s:3:"abc";)").has_value());
  EXPECT_FALSE(parse_pear_registry(std::string(kRegV6).substr(0, 100)).has_value());  // truncated
}

constexpr const char* kInstalledV2 = R"({"packages": [
  {"name": "psr/container", "version": "2.0.2", "license": ["MIT"],
   "source": {"type": "git", "url": "https://github.com/php-fig/container.git", "reference": "c71ecc"},
   "dist": {"type": "zip", "url": "https://api.github.com/zip/c71ecc", "reference": "c71ecc", "shasum": ""},
   "require": {"php": ">=7.4.0"}, "authors": [{"name": "PHP-FIG", "homepage": "https://www.php-fig.org/"}],
   "type": "library", "description": "Common Container Interface", "homepage": "https://github.com/php-fig/container"},
  {"name": "acme/app-kit", "version": "1.0.0", "license": "GPL-2.0-or-later",
   "require": {"psr/container": "^2.0", "psr/log-implementation": "1.0"}},
  {"name": "monolog/monolog", "version": "3.4.0", "provide": {"psr/log-implementation": "3.0.0"}},
  {"version": "9.9.9"}
], "dev": true})";

TEST(ComposerJson, InstalledV1AndV2) {
  auto v2 = parse_composer_installed(kInstalledV2);
  ASSERT_TRUE(v2.has_value()) << v2.error().message;
  ASSERT_EQ(v2->size(), 3u) << "the nameless entry is skipped";
  const ComposerPackage& p = (*v2)[0];
  EXPECT_EQ(p.source.url, "https://github.com/php-fig/container.git");
  EXPECT_EQ(p.dist.type, "zip");
  EXPECT_EQ(p.authors, std::vector<std::string>{"PHP-FIG"});
  EXPECT_EQ((*v2)[1].licenses, std::vector<std::string>{"GPL-2.0-or-later"});
  EXPECT_EQ((*v2)[2].provides, std::vector<std::string>{"psr/log-implementation"});
  auto v1 = parse_composer_installed(R"([{"name": "a/b", "version": "1.0.0"}])");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->size(), 1u);
}

TEST(ComposerJson, LockLeavesDevPackagesOut) {
  auto lock = parse_composer_lock(R"({"packages": [{"name": "a/b", "version": "1.0.0"}],
                                      "packages-dev": [{"name": "phpunit/phpunit", "version": "9.0.0"}]})");
  ASSERT_TRUE(lock.has_value());
  ASSERT_EQ(lock->size(), 1u);
  EXPECT_EQ((*lock)[0].name, "a/b");
}

TEST(ComposerJson, CorruptDocumentsAreErrorsNamingTheField) {
  EXPECT_FALSE(parse_composer_installed(R"({"packages": [{"name": "a/b")").has_value());  // truncated
  EXPECT_FALSE(parse_composer_installed("\xff\xfe").has_value());
  auto wrong = parse_composer_installed(R"({"packages": {"name": "a/b"}})");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("\"packages\""), std::string::npos);
  EXPECT_FALSE(parse_composer_installed(R"({"other": 1})").has_value());
  EXPECT_FALSE(parse_composer_lock("[]").has_value());
  std::string deep(100000, '[');
  EXPECT_FALSE(parse_composer_lock(deep).has_value());
}

TEST(ComposerJson, Purls) {
  EXPECT_EQ(composer_purl("asm89/stack-cors", "1.3.0"), "pkg:composer/asm89/stack-cors@1.3.0");
  EXPECT_EQ(composer_purl("a/b/c", "1"), "pkg:composer/a/b-c@1");
  EXPECT_EQ(composer_purl("solo", "1"), "pkg:composer/solo@1");
}

TEST(PhpCatalogers, InstalledJsonForImagesWithRequireEdges) {
  auto fs = make_fs({{"/app/vendor/composer/installed.json", kInstalledV2}});
  CatalogContext dir;
  dir.directory_source = true;
  EXPECT_TRUE(php_composer_installed_cataloger().run(fs, dir).packages.empty());
  auto result = php_composer_installed_cataloger().run(fs, {});
  ASSERT_EQ(result.packages.size(), 3u);
  EXPECT_EQ(result.packages[0].found_by, "php-composer-installed-cataloger");
  EXPECT_EQ(result.packages[0].type, "php-composer");
  EXPECT_EQ(result.packages[0].purl, "pkg:composer/psr/container@2.0.2");
  // acme/app-kit requires psr/container (by name) and psr/log-implementation (provided
  // by monolog); "php" is a platform requirement, not a package.
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{1, 0}, {1, 2}}));
}

TEST(PhpCatalogers, PearAndPeclRegistries) {
  auto fs = make_fs({{"/usr/local/lib/php/.registry/.channel.pecl.php.net/memcached.reg", kRegV6},
                     {"/usr/local/lib/php/.registry/console_getopt.reg",
                      R"(a:2:{s:4:"name";s:14:"Console_Getopt";s:7:"channel";s:12:"pear.php.net";})"},
                     {"/usr/local/lib/php/.registry/broken.reg", R"(a:1:{s:4:"name";s:99:"x";})"}});
  auto pear = php_pear_serialized_cataloger().run(fs, {});
  ASSERT_EQ(pear.packages.size(), 2u);
  EXPECT_EQ(pear.packages[0].purl, "pkg:pear/pecl.php.net/memcached@3.2.0");
  EXPECT_EQ(pear.packages[0].type, "php-pear");
  EXPECT_EQ(pear.packages[1].purl, "pkg:pear/pear.php.net/Console_Getopt");
  ASSERT_EQ(pear.errors.size(), 1u);
  EXPECT_NE(pear.errors[0].find("broken.reg"), std::string::npos);
  auto pecl = php_pecl_serialized_cataloger().run(fs, {});
  ASSERT_EQ(pecl.packages.size(), 1u);
  EXPECT_EQ(pecl.packages[0].type, "php-pecl");
  EXPECT_EQ(pecl.packages[0].found_by, "php-pecl-serialized-cataloger");
}

}  // namespace
}  // namespace cairn::sbom::php_test
