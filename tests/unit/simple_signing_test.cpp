// cosign's simple-signing payload: the exact bytes cosign writes, and a strict parser.
#include "attest/simple_signing.h"

#include <gtest/gtest.h>

namespace cairn::attest {
namespace {

const Digest kDigest{"sha256", "69f34b6bfa71d7e357f08a75c6643147611aece637183982d5022b25f68142c8"};

TEST(SimpleSigning, PayloadIsCosignsBytes) {
  // As cosign (Go's json.Marshal) wrote it for the lab's app image.
  EXPECT_EQ(simple_signing_payload("127.0.0.1:5000/lab/app", kDigest, {}),
            R"({"critical":{"identity":{"docker-reference":"127.0.0.1:5000/lab/app"},"image":{"docker-manifest-digest":"sha256:69f34b6bfa71d7e357f08a75c6643147611aece637183982d5022b25f68142c8"},"type":"cosign container image signature"},"optional":null})");
  // Annotations sorted by key; Go escapes <, > and &.
  EXPECT_EQ(simple_signing_payload("r", kDigest, {{"z", "1"}, {"a", "<b&c>"}}),
            R"({"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:69f34b6bfa71d7e357f08a75c6643147611aece637183982d5022b25f68142c8"},"type":"cosign container image signature"},"optional":{"a":"\u003cb\u0026c\u003e","z":"1"}})");
}

TEST(SimpleSigning, ParsesWhatItWritesAndRefusesTheRest) {
  auto claims = parse_simple_signing(simple_signing_payload("h/r", kDigest, {{"k", "v"}}), "p");
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->docker_reference, "h/r");
  EXPECT_EQ(claims->manifest_digest, kDigest.str());
  EXPECT_EQ(claims->type, kSimpleSigningType);
  EXPECT_EQ(claims->annotations.at("k"), "v");
  auto numbers = parse_simple_signing(
      R"({"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"t"},"optional":{"n":3}})", "p");
  ASSERT_TRUE(numbers);
  EXPECT_EQ(numbers->annotations.at("n"), "3");
  struct Case {
    std::string payload, expect;
  } cases[] = {
      {"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"critical":1})", "\"critical\" must be an object"},
      {R"({"critical":{"image":{}}})", "critical.identity"},
      {R"({"critical":{"identity":{"docker-reference":1},"image":{}}})", "critical.identity.docker-reference"},
      {R"({"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"}}})", "critical.type"},
      {R"({"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"t"},"optional":[]})",
       "\"optional\" must be an object or null"},
  };
  for (const auto& c : cases) {
    auto r = parse_simple_signing(c.payload, "sig layer 0");
    ASSERT_FALSE(r) << c.payload;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("sig layer 0"), 0u);
  }
}

}  // namespace
}  // namespace cairn::attest
