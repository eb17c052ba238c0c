#include "sbom/license.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace cairn::sbom {
namespace {

TEST(SpdxLicenseId, ExactAndDeprecatedIdsStay) {
  EXPECT_EQ(spdx_license_id("MIT"), "MIT");
  EXPECT_EQ(spdx_license_id("GPL-2.0-only"), "GPL-2.0-only");
  EXPECT_EQ(spdx_license_id("GPL-2.0"), "GPL-2.0");  // deprecated, still a valid id
  EXPECT_EQ(spdx_license_id("LGPL-2.1"), "LGPL-2.1");
}

TEST(SpdxLicenseId, CaseInsensitive) {
  EXPECT_EQ(spdx_license_id("mit"), "MIT");
  EXPECT_EQ(spdx_license_id("apache-2.0"), "Apache-2.0");
  EXPECT_EQ(spdx_license_id("BSD-3-clause"), "BSD-3-Clause");
  EXPECT_EQ(spdx_license_id("gpl-2.0-only"), "GPL-2.0-only");
  EXPECT_EQ(spdx_license_id("zlib"), "Zlib");
}

TEST(SpdxLicenseId, VersionsWithMoreOrFewerZeroParts) {
  EXPECT_EQ(spdx_license_id("GPL-2"), "GPL-2.0");
  EXPECT_EQ(spdx_license_id("gpl-3"), "GPL-3.0");
  EXPECT_EQ(spdx_license_id("Apache-2"), "Apache-2.0");
  EXPECT_EQ(spdx_license_id("LGPL-2.1.0"), "LGPL-2.1");
  EXPECT_EQ(spdx_license_id("MPL-2"), "MPL-2.0");
  EXPECT_EQ(spdx_license_id("GPL-2-only"), "GPL-2.0-only");
  // Dropping a non-zero part would name another license.
  EXPECT_EQ(spdx_license_id("LGPL-2"), "LGPL-2.0");
  EXPECT_EQ(spdx_license_id("MPL-1"), "MPL-1.0");
}

TEST(SpdxLicenseId, UnknownNames) {
  EXPECT_EQ(spdx_license_id(""), std::nullopt);
  EXPECT_EQ(spdx_license_id("GPL"), std::nullopt);
  EXPECT_EQ(spdx_license_id("public-domain"), std::nullopt);
  EXPECT_EQ(spdx_license_id("Artistic"), std::nullopt);
  EXPECT_EQ(spdx_license_id(std::string(1000, 'M')), std::nullopt);
}

TEST(SpdxExceptionId, CaseInsensitive) {
  EXPECT_EQ(spdx_exception_id("classpath-exception-2.0"), "Classpath-exception-2.0");
  EXPECT_EQ(spdx_exception_id("Classpath-exception-2"), "Classpath-exception-2.0");
  EXPECT_EQ(spdx_exception_id("MIT"), std::nullopt);
}

TEST(IsListedSpdxLicenseId, ExactOnly) {
  EXPECT_TRUE(is_listed_spdx_license_id("MIT"));
  EXPECT_TRUE(is_listed_spdx_license_id("GPL-2.0"));
  EXPECT_FALSE(is_listed_spdx_license_id("mit"));
  EXPECT_FALSE(is_listed_spdx_license_id("GPL-2.0+"));
  EXPECT_FALSE(is_listed_spdx_license_id("MIT OR Zlib"));
}

TEST(ToSpdxExpression, SingleIdsAndOrLater) {
  EXPECT_EQ(to_spdx_expression("MIT"), "MIT");
  EXPECT_EQ(to_spdx_expression("  mit  "), "MIT");
  EXPECT_EQ(to_spdx_expression("GPL-2+"), "GPL-2.0+");
  EXPECT_EQ(to_spdx_expression("LGPL-2.1+"), "LGPL-2.1+");
  EXPECT_EQ(to_spdx_expression("GPL-3.0-or-later"), "GPL-3.0-or-later");
}

TEST(ToSpdxExpression, OperatorsAndPrecedence) {
  EXPECT_EQ(to_spdx_expression("MIT OR Apache-2.0"), "MIT OR Apache-2.0");
  EXPECT_EQ(to_spdx_expression("mit and (apache-2.0 or gpl-2.0-only)"), "MIT AND (Apache-2.0 OR GPL-2.0-only)");
  EXPECT_EQ(to_spdx_expression("((MIT))"), "MIT");
  EXPECT_EQ(to_spdx_expression("(MIT AND Zlib) OR ISC"), "MIT AND Zlib OR ISC");
  EXPECT_EQ(to_spdx_expression("(MIT OR Zlib) AND ISC"), "(MIT OR Zlib) AND ISC");
  EXPECT_EQ(to_spdx_expression("ISC AND (MIT OR Zlib) AND 0BSD"), "ISC AND (MIT OR Zlib) AND 0BSD");
  EXPECT_EQ(to_spdx_expression("MIT OR Apache-2.0 AND Zlib"), "MIT OR Apache-2.0 AND Zlib");
  EXPECT_EQ(to_spdx_expression("(MIT)AND(Zlib)"), "MIT AND Zlib");
  EXPECT_EQ(to_spdx_expression("GPL-2+ or Artistic-2.0"), "GPL-2.0+ OR Artistic-2.0");
}

TEST(ToSpdxExpression, WithExceptions) {
  EXPECT_EQ(to_spdx_expression("GPL-2.0-or-later WITH Classpath-exception-2.0"),
            "GPL-2.0-or-later WITH Classpath-exception-2.0");
  EXPECT_EQ(to_spdx_expression("gpl-2+ with classpath-exception-2.0"), "GPL-2.0+ WITH Classpath-exception-2.0");
  EXPECT_EQ(to_spdx_expression("MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND Zlib"),
            "MIT OR GPL-2.0-only WITH Classpath-exception-2.0 AND Zlib");
  EXPECT_EQ(to_spdx_expression("(MIT OR Zlib) WITH Classpath-exception-2.0"), std::nullopt);
  EXPECT_EQ(to_spdx_expression("MIT WITH MIT"), std::nullopt);
  EXPECT_EQ(to_spdx_expression("MIT WITH"), std::nullopt);
  EXPECT_EQ(to_spdx_expression("GPL-2+ with OpenSSL exception"), std::nullopt);
}

TEST(ToSpdxExpression, DebianShortNames) {
  EXPECT_EQ(to_spdx_expression("Expat"), "MIT");
  EXPECT_EQ(to_spdx_expression("Zope-2.1"), "ZPL-2.1");
  EXPECT_EQ(to_spdx_expression("Perl"), "Artistic-1.0-Perl OR GPL-1.0+");
  EXPECT_EQ(to_spdx_expression("Perl and Expat"), "(Artistic-1.0-Perl OR GPL-1.0+) AND MIT");
  EXPECT_EQ(to_spdx_expression("Perl WITH Classpath-exception-2.0"), std::nullopt);
  EXPECT_EQ(to_spdx_expression("BSD-3-clause"), "BSD-3-Clause");
}

TEST(ToSpdxExpression, RejectsWhatIsNotAnExpression) {
  for (const char* bad : {"", "   ", "public-domain", "GPL", "Artistic", "MIT AND", "AND MIT", "MIT OR OR Zlib",
                          "(MIT", "MIT)", "()", "MIT Apache-2.0", "LicenseRef-foo", "DocumentRef-x:LicenseRef-y",
                          "MIT+ +", "+", "MIT, Zlib", "GPL-2.0 | MIT"}) {
    EXPECT_EQ(to_spdx_expression(bad), std::nullopt) << bad;
  }
}

TEST(ToSpdxExpression, HostileInputIsBounded) {
  std::string deep = std::string(200, '(') + "MIT" + std::string(200, ')');
  EXPECT_EQ(to_spdx_expression(deep), std::nullopt);
  std::string fine = std::string(20, '(') + "MIT" + std::string(20, ')');
  EXPECT_EQ(to_spdx_expression(fine), "MIT");
  std::string longest;
  for (int i = 0; i < 5000; ++i) longest += "MIT AND ";
  EXPECT_EQ(to_spdx_expression(longest + "MIT"), std::nullopt);
  EXPECT_EQ(to_spdx_expression(std::string("MIT\0OR", 6)), std::nullopt);
  EXPECT_EQ(to_spdx_expression("\xff\xfe"), std::nullopt);
}

TEST(ToSpdxExpression, OutputParsesBackUnchanged) {
  for (const char* in : {"GPL-2+", "Perl and Expat", "(MIT OR Zlib) AND ISC", "mit or (zlib and (isc or 0bsd))",
                         "gpl-2+ with classpath-exception-2.0 or MIT"}) {
    auto once = to_spdx_expression(in);
    ASSERT_TRUE(once) << in;
    EXPECT_EQ(to_spdx_expression(*once), once) << in;
  }
}

TEST(JoinWithAnd, ParenthesisesOnlyTopLevelOr) {
  EXPECT_EQ(join_with_and({}), "");
  EXPECT_EQ(join_with_and({"MIT OR Zlib"}), "MIT OR Zlib");
  EXPECT_EQ(join_with_and({"MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "ISC AND Zlib"}),
            "MIT AND GPL-2.0-only WITH Classpath-exception-2.0 AND ISC AND Zlib");
  EXPECT_EQ(join_with_and({"MIT OR Zlib", "(MIT OR Zlib) AND ISC", "LicenseRef-x"}),
            "(MIT OR Zlib) AND (MIT OR Zlib) AND ISC AND LicenseRef-x");
}

TEST(LicenseRefId, SanitisesToTheIdstringAlphabet) {
  EXPECT_EQ(license_ref_id("public-domain"), "LicenseRef-public-domain");
  EXPECT_EQ(license_ref_id("public domain"), "LicenseRef-public-domain");
  EXPECT_EQ(license_ref_id("Foo/Bar (c) 2.0"), "LicenseRef-Foo-Bar--c--2.0");
  EXPECT_EQ(license_ref_id("LicenseRef-custom"), "LicenseRef-custom");
  EXPECT_EQ(license_ref_id("caf\xc3\xa9"), "LicenseRef-caf--");
  EXPECT_EQ(license_ref_id(""), "LicenseRef-empty");
}

TEST(LicenseRefId, LongTextStaysShortAndDistinct) {
  std::string a = std::string(500, 'x') + "a";
  std::string b = std::string(500, 'x') + "b";
  const std::regex idstring("^LicenseRef-[A-Za-z0-9.-]+$");
  EXPECT_LT(license_ref_id(a).size(), 100u);
  EXPECT_NE(license_ref_id(a), license_ref_id(b));
  EXPECT_TRUE(std::regex_match(license_ref_id(a), idstring));
  EXPECT_TRUE(std::regex_match(license_ref_id("\x01\x02 \"'<>"), idstring));
}

}  // namespace
}  // namespace cairn::sbom
