// The registry protocol's small parsers: image references, WWW-Authenticate challenges,
// token answers, URLs, base64, and the OCI documents cairn writes.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/http.h"
#include "oci/image_model.h"
#include "oci/image_writer.h"
#include "oci/media_types.h"
#include "oci/reference.h"
#include "oci/registry_auth.h"
#include "oci/registry_store.h"

namespace cairn::oci {
namespace {

TEST(ImageReference, DockerHubNamesGetTheirRegistryAndLibrary) {
  auto r = ImageReference::parse("alpine");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->registry, "docker.io");
  EXPECT_EQ(r->repository, "library/alpine");
  EXPECT_EQ(r->tag, "latest");
  EXPECT_EQ(r->api_host(), "registry-1.docker.io");
  EXPECT_EQ(r->str(), "docker.io/library/alpine:latest");
  auto org = ImageReference::parse("index.docker.io/org/app:1.2");
  ASSERT_TRUE(org);
  EXPECT_EQ(org->registry, "docker.io");
  EXPECT_EQ(org->repository, "org/app");
}

TEST(ImageReference, HostsPortsTagsAndDigests) {
  std::string digest = "sha256:" + std::string(64, 'a');
  auto r = ImageReference::parse("127.0.0.1:5000/lab/app:v1@" + digest);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->registry, "127.0.0.1:5000");
  EXPECT_EQ(r->repository, "lab/app");
  EXPECT_EQ(r->tag, "v1");
  EXPECT_EQ(r->digest, digest);
  EXPECT_EQ(r->reference(), digest);
  auto local = ImageReference::parse("localhost/app");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->registry, "localhost");
  EXPECT_EQ(local->repository, "app");
  auto port_only = ImageReference::parse("localhost:5000/app@" + digest);
  ASSERT_TRUE(port_only);
  EXPECT_EQ(port_only->tag, "");
  EXPECT_EQ(port_only->reference(), digest);
}

TEST(ImageReference, BadReferencesNameTheWrongPart) {
  for (const char* bad : {"", "UPPER/case", "ghcr.io/", "app:tag with space", "app@sha256:short", "app:-dash", "a//b",
                          "ghcr.io/org/app:"}) {
    auto r = ImageReference::parse(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::Usage);
    }
  }
  auto r = ImageReference::parse("ghcr.io/Org/app");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("\"Org\""), std::string::npos) << r.error().message;
}

TEST(Challenges, BearerWithQuotedParametersAndSeveralChallenges) {
  auto c = parse_challenges(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push", Basic realm="x")");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].params.at("realm"), "https://auth.example/token");
  EXPECT_EQ((*c)[0].params.at("service"), "registry.example");
  EXPECT_EQ((*c)[0].params.at("scope"), "repository:a/b:pull,push");
  EXPECT_EQ((*c)[1].scheme, "basic");
  EXPECT_EQ((*c)[1].params.at("realm"), "x");
}

TEST(Challenges, EscapesUnquotedValuesAndMalformedHeaders) {
  auto c = parse_challenges(R"(Basic realm="a \"quoted\" realm", charset=UTF-8)");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ((*c)[0].params.at("realm"), "a \"quoted\" realm");
  EXPECT_EQ((*c)[0].params.at("charset"), "UTF-8");
  EXPECT_FALSE(parse_challenges(""));
  EXPECT_FALSE(parse_challenges(R"(Bearer realm="unterminated)"));
  EXPECT_FALSE(parse_challenges("=broken"));
  EXPECT_FALSE(parse_challenges(std::string(20000, 'a')));
}

TEST(TokenAnswer, TokenOrAccessTokenAndExpiryBounds) {
  auto a = parse_token_answer(R"({"token":"t1","expires_in":5})", "test");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->token, "t1");
  EXPECT_EQ(a->expires_in, 60);  // the token spec's minimum
  auto b = parse_token_answer(R"({"access_token":"t2","refresh_token":"r","expires_in":600})", "test");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->token, "t2");
  EXPECT_EQ(b->refresh_token, "r");
  EXPECT_EQ(b->expires_in, 600);
  EXPECT_FALSE(parse_token_answer(R"({"token":""})", "test"));
  EXPECT_FALSE(parse_token_answer("not json", "test"));
  EXPECT_FALSE(parse_token_answer(R"({"token":42})", "test"));
}

TEST(Urls, ParseResolveAndLoopback) {
  auto u = http::Url::parse("https://Registry.example:8443/v2/a/blobs/uploads/x?state=1");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "Registry.example");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->target, "/v2/a/blobs/uploads/x?state=1");
  EXPECT_EQ(u->authority(), "Registry.example:8443");
  auto v6 = http::Url::parse("http://[::1]:5000/v2/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->origin(), "http://[::1]:5000");
  auto moved = http::resolve_url(*u, "/v2/b");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->str(), "https://Registry.example:8443/v2/b");
  auto other = http::resolve_url(*u, "https://blobs.example/x?sig=1");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->origin(), "https://blobs.example");
  EXPECT_FALSE(http::Url::parse("ftp://x/"));
  EXPECT_FALSE(http::Url::parse("https://user:pw@host/"));
  EXPECT_FALSE(http::Url::parse("https://host:99999/"));
  EXPECT_FALSE(http::Url::parse("https:///nohost"));
  EXPECT_TRUE(http::is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(http::is_loopback_host("localhost"));
  EXPECT_TRUE(http::is_loopback_host("::1"));
  EXPECT_FALSE(http::is_loopback_host("127.0.0.1.example.com"));
  EXPECT_FALSE(http::is_loopback_host("10.0.0.1"));
}

TEST(Base64, RoundTripsAndRefusesJunk) {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    auto decoded = base64_decode(base64_encode(s));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, s);
  }
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_FALSE(base64_decode("abc"));
  EXPECT_FALSE(base64_decode("ab!d"));
  EXPECT_FALSE(base64_decode("a==="));
  EXPECT_FALSE(base64_decode("ab=c"));
}

TEST(ImageWriter, EmptyDescriptorIsTheOneTheSpecFixes) {
  auto d = empty_config_descriptor();
  EXPECT_EQ(d.media_type, "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(d.digest.str(), "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_EQ(d.size, 2u);
}

TEST(ImageWriter, ArtifactManifestRoundTripsThroughTheStrictParser) {
  ArtifactManifest m;
  m.artifact_type = "application/spdx+json";
  m.layers.push_back(describe_bytes("application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}"));
  m.subject = describe_bytes(std::string(media::kOciManifest), "{}");
  m.annotations["org.opencontainers.image.created"] = "2026-01-01T00:00:00Z";
  auto bytes = write_manifest(m);
  EXPECT_TRUE(bytes.starts_with(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":)")) << bytes;
  auto parsed = parse_manifest(bytes, "test");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->artifact_type, "application/spdx+json");
  ASSERT_TRUE(parsed->subject);
  EXPECT_EQ(parsed->subject->digest, m.subject->digest);
  auto listed = referrer_descriptor(*parsed, describe_bytes(std::string(media::kOciManifest), bytes));
  EXPECT_EQ(listed.artifact_type, "application/spdx+json");
  EXPECT_EQ(listed.annotations.at("org.opencontainers.image.created"), "2026-01-01T00:00:00Z");
}

TEST(ImageWriter, ReferrersIndexHasTheFormOfSigstoreOci) {
  Descriptor entry = describe_bytes(std::string(media::kOciManifest), "x");
  entry.artifact_type = "application/vnd.dev.sigstore.bundle.v0.3+json";
  entry.annotations["dev.sigstore.bundle.content"] = "message-signature";
  auto bytes = write_index({entry});
  EXPECT_TRUE(bytes.starts_with(R"({"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2,"manifests":[{"mediaType":)"))
      << bytes;
  auto parsed = parse_index(bytes, "test");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->manifests.size(), 1u);
  EXPECT_EQ(parsed->manifests[0].artifact_type, entry.artifact_type);
  EXPECT_EQ(referrers_tag(entry.digest), "sha256-" + entry.digest.hex);
}

TEST(ImageWriter, CreationTimeFollowsSourceDateEpoch) {
  setenv("SOURCE_DATE_EPOCH", "86400", 1);
  EXPECT_EQ(creation_timestamp(), "1970-01-02T00:00:00Z");
  unsetenv("SOURCE_DATE_EPOCH");
}

}  // namespace
}  // namespace cairn::oci
