// The gemspec and Gemfile.lock readers and the two Ruby catalogers.
#include <gtest/gtest.h>

#include <string>

#include "sbom/catalogers/gemfile_lock.h"
#include "sbom/catalogers/gemspec.h"
#include "sbom/catalogers/ruby.h"
#include "test_support.h"

namespace cairn::sbom::ruby_test {
namespace {

using cairn::testing::make_fs;

constexpr const char* kSpec = R"rb(# -*- encoding: utf-8 -*-
# stub: formatador 1.1.0 ruby lib

Gem::Specification.new do |s|
  s.name = "formatador".freeze
  s.version = "1.1.0".freeze
  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.authors = ["geemus (Wesley Beary)".freeze, "Andr\u00E9 Arko".freeze]
  s.files = ["lib/formatador.rb".freeze, "lib/formatador/table.rb".freeze]
  s.homepage = "https://github.com/geemus/#{s.name}".freeze
  s.licenses = ["MIT".freeze]
  s.rubygems_version = "3.5.22".freeze
end
)rb";

Gemspec parse_ok(const std::string& text) {
  auto parsed = parse_gemspec(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : Gemspec{};
}

TEST(Gemspec, ReadsTheFieldsSyftReads) {
  Gemspec s = parse_ok(kSpec);
  EXPECT_EQ(s.name, "formatador");
  EXPECT_EQ(s.version, "1.1.0");  // not rubygems_version or required_rubygems_version
  EXPECT_EQ(s.authors, (std::vector<std::string>{"geemus (Wesley Beary)", "Andr\xC3\xA9 Arko"}));
  EXPECT_EQ(s.files, (std::vector<std::string>{"lib/formatador.rb", "lib/formatador/table.rb"}));
  EXPECT_EQ(s.homepage, "https://github.com/geemus/formatador");
  EXPECT_EQ(s.licenses, std::vector<std::string>{"MIT"});
}

TEST(Gemspec, SingularLicenseSingleQuotesAndMultiLineArrays) {
  Gemspec s = parse_ok("Gem::Specification.new do |spec|\n  spec.name = 'rack'\n  spec.version = '3.0.8'\n"
                       "  spec.license = 'MIT'\n  spec.files = [\n    'lib/rack.rb',\n    'README.md'\n  ]\n"
                       "  spec.homepage = \"https://rack.dev/#{spec.version}/\"\nend\n");
  EXPECT_EQ(s.name, "rack");
  EXPECT_EQ(s.version, "3.0.8");
  EXPECT_EQ(s.licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(s.files, (std::vector<std::string>{"lib/rack.rb", "README.md"}));
  EXPECT_EQ(s.homepage, "https://rack.dev/3.0.8/");
}

TEST(Gemspec, UnresolvedInterpolationDropsTheHomepage) {
  Gemspec s = parse_ok("s.name = \"a\"\ns.version = \"1\"\ns.homepage = \"https://x/#{GITHUB_ORG}/a\"\n");
  EXPECT_TRUE(s.homepage.empty());
}

TEST(Gemspec, ComputedValuesAreNotGuessed) {
  Gemspec s = parse_ok("s.name = \"a\"\ns.version = \"1\"\ns.files = `git ls-files -z`.split(\"\\x0\")\n"
                       "s.authors = [\"x\", AUTHOR]\n");
  EXPECT_TRUE(s.files.empty());
  EXPECT_TRUE(s.authors.empty());
}

TEST(Gemspec, BadSpecsAreErrorsNamingTheField) {
  auto no_version = parse_gemspec("Gem::Specification.new do |s|\n  s.name = \"x\"\n  s.version = Foo::VERSION\nend\n");
  ASSERT_FALSE(no_version.has_value());
  EXPECT_NE(no_version.error().message.find("\"version\""), std::string::npos);
  auto no_name = parse_gemspec("s.version = \"1.0\"\n");
  ASSERT_FALSE(no_name.has_value());
  EXPECT_NE(no_name.error().message.find("\"name\""), std::string::npos);
  EXPECT_FALSE(parse_gemspec("").has_value());
  EXPECT_FALSE(parse_gemspec(std::string("\0\xff\xfe s.name = \"", 14)).has_value());
}

TEST(Gemspec, TruncatedAndHostileInputIsBounded) {
  // Unclosed string and array literals at the end of the file.
  EXPECT_FALSE(parse_gemspec("s.name = \"abc").has_value());
  Gemspec s = parse_ok("s.name = \"a\"\ns.version = \"1\"\ns.files = [\"x\", \"y\"");
  EXPECT_TRUE(s.files.empty());
  // Malformed \u escapes are kept as written, not read past the end.
  Gemspec u = parse_ok("s.name = \"a\\u12\"\ns.version = \"\\u{110000}\"\n");
  EXPECT_EQ(u.name, "a\\u12");
  EXPECT_EQ(u.version, "\xEF\xBF\xBD");  // beyond Unicode: U+FFFD
  // Many lines that each open an array that never closes: read in linear time.
  std::string hostile = "s.name = \"a\"\ns.version = \"1\"\n";
  for (int i = 0; i < 20000; ++i) hostile += "s.files = [\"a\",\n";
  EXPECT_TRUE(parse_gemspec(hostile).has_value());
}

TEST(GemfileLock, ReadsSpecsOfTheSectionsOfInterestWithDependencies) {
  auto entries = parse_gemfile_lock(
      "PATH\n  remote: .\n  specs:\n    mygem (0.1.0)\n      rake\n\n"
      "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.15.4-x86_64-linux)\n      racc (~> 1.4)\n"
      "    racc (1.7.1)\n    rake (13.0.6)\n    bad line here (1)\n\n"
      "BAD-SECTION\n    other (5.5.5)\n\nPLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  mygem!\n  nokogiri\n");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].name, "mygem");
  EXPECT_EQ(entries[0].dependencies, std::vector<std::string>{"rake"});
  EXPECT_EQ(entries[1].name, "nokogiri");
  EXPECT_EQ(entries[1].version, "1.15.4");
  EXPECT_EQ(entries[1].dependencies, std::vector<std::string>{"racc"});
  EXPECT_EQ(entries[2].name, "racc");
  EXPECT_EQ(entries[3].name, "rake");
}

TEST(GemfileLock, PlatformSuffixes) {
  EXPECT_EQ(strip_gem_platform("1.15.4-arm64-darwin"), "1.15.4");
  EXPECT_EQ(strip_gem_platform("9.4.3.0-java"), "9.4.3.0");
  EXPECT_EQ(strip_gem_platform("1.2.3"), "1.2.3");
  EXPECT_EQ(strip_gem_platform("1.0-beta"), "1.0-beta");
}

TEST(GemfileLock, CorruptInputYieldsNothing) {
  EXPECT_TRUE(parse_gemfile_lock("").empty());
  EXPECT_TRUE(parse_gemfile_lock(std::string(1000, '\0')).empty());
  EXPECT_TRUE(parse_gemfile_lock("GEM\n    (\n    ()\n      x\n").empty());
}

TEST(RubyCatalogers, GemspecPackageAndOwnedFiles) {
  auto fs = make_fs({{"/usr/lib/ruby/gems/3.1.0/specifications/formatador-1.1.0.gemspec", kSpec},
                     {"/usr/lib/ruby/gems/3.1.0/specifications/broken-1.0.gemspec", "s.name = \"broken\"\n"},
                     {"/usr/lib/ruby/gems/3.1.0/gems/other.gemspec", kSpec}});
  auto result = ruby_installed_gemspec_cataloger().run(fs, {});
  ASSERT_EQ(result.packages.size(), 1u);
  const Package& p = result.packages[0];
  EXPECT_EQ(p.purl, "pkg:gem/formatador@1.1.0");
  EXPECT_EQ(p.type, "gem");
  EXPECT_EQ(p.found_by, "ruby-installed-gemspec-cataloger");
  EXPECT_EQ(p.files, (std::vector<std::string>{
                         "/usr/lib/ruby/gems/3.1.0/gems/formatador-1.1.0/lib/formatador.rb",
                         "/usr/lib/ruby/gems/3.1.0/gems/formatador-1.1.0/lib/formatador/table.rb"}));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("broken-1.0.gemspec"), std::string::npos);
  EXPECT_NE(result.errors[0].find("\"version\""), std::string::npos);
}

TEST(RubyCatalogers, GemfileLockOnlyForDirectoriesWithEdges) {
  auto fs = make_fs({{"/app/Gemfile.lock", "GEM\n  specs:\n    a (1.0)\n      b (>= 1)\n      c\n    b (2.0)\n"}});
  EXPECT_TRUE(ruby_gemfile_cataloger().run(fs, {}).packages.empty());
  CatalogContext dir;
  dir.directory_source = true;
  auto result = ruby_gemfile_cataloger().run(fs, dir);
  ASSERT_EQ(result.packages.size(), 2u);
  EXPECT_EQ(result.packages[0].purl, "pkg:gem/a@1.0");
  EXPECT_EQ(result.dependencies, (std::vector<Dependency>{{0, 1}}));
  auto empty = ruby_gemfile_cataloger().run(make_fs({{"/x/Gemfile.lock", "garbage"}}), dir);
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_NE(empty.errors[0].find("/x/Gemfile.lock"), std::string::npos);
}

}  // namespace
}  // namespace cairn::sbom::ruby_test
