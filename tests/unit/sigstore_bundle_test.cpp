// Sigstore bundles: the exact protobuf-JSON cairn writes, reading v0.1 to v0.3 (message
// signatures and DSSE envelopes, keys and certificates), hostile bundles refused with the
// field named, and key verification of a blob: digest mismatch, other data, wrong key.
#include <gtest/gtest.h>

#include <string>

#include "attest/blob_verification.h"
#include "attest/keys.h"
#include "attest/sigstore_bundle.h"
#include "attest/strict_json.h"
#include "core/base64.h"
#include "core/stream.h"

namespace cairn::attest {
namespace {

Artifact whole(const std::string& bytes, std::vector<HashAlgorithm> algorithms = {HashAlgorithm::Sha256}) {
  MemoryStream stream(bytes, "artifact.bin");
  auto artifact = read_artifact(stream, algorithms, /*keep_bytes=*/true);
  EXPECT_TRUE(artifact) << artifact.error().message;
  return *artifact;
}

Bundle signed_bundle(const PrivateKey& key, const std::string& message) {
  HashAlgorithm algorithm = message_digest_algorithm(key.algorithm());
  auto signature = key.sign(message);
  EXPECT_TRUE(signature);
  return key_message_bundle(key.public_key(), algorithm, digest_of(algorithm, message), *signature);
}

std::string b64(const std::string& s) { return base64_encode(s); }

const std::string kDigest32 = b64(std::string(32, 'd'));
const std::string kSig = b64("sig");
const std::string kCert = b64("cert-der");

std::string message_bundle(const std::string& media_type, const std::string& material) {
  return R"({"mediaType":")" + media_type + R"(","verificationMaterial":)" + material +
         R"(,"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":")" + kDigest32 + R"("},"signature":")" + kSig + R"("}})";
}

std::string key_bundle_with(const std::string& message_signature) {
  return R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"h"}},"messageSignature":)" +
         message_signature + "}";
}

class KeyRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(KeyRoundTrip, SignedBundleWritesParsesAndVerifies) {
  auto key = PrivateKey::generate(GetParam());
  ASSERT_TRUE(key) << key.error().message;
  std::string message = "release artifact\n";
  auto text = write_bundle(signed_bundle(*key, message));
  ASSERT_TRUE(text) << text.error().message;
  auto parsed = parse_bundle(*text, "b.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->verification_material.public_key_hint, public_key_hint(key->public_key().der()));
  EXPECT_TRUE(parsed->verification_material.tlog_entries_json.empty());
  HashAlgorithm algorithm = message_digest_algorithm(key->algorithm());
  auto artifact = whole(message, {algorithm});
  auto verified = verify_bundle_with_key(*parsed, artifact, key->public_key(), "b.json");
  EXPECT_TRUE(verified) << verified.error().message;
  // Written again, the parsed bundle is byte-identical.
  EXPECT_EQ(*write_bundle(*parsed), *text);

  auto other = whole("release artifact, changed\n", {algorithm});
  auto mismatch = verify_bundle_with_key(*parsed, other, key->public_key(), "b.json");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().kind, ErrorKind::Verification);
  EXPECT_NE(mismatch.error().message.find("messageDigest"), std::string::npos) << mismatch.error().message;

  auto stranger = PrivateKey::generate(GetParam());
  auto wrong_key = verify_bundle_with_key(*parsed, artifact, stranger->public_key(), "b.json");
  ASSERT_FALSE(wrong_key);
  EXPECT_EQ(wrong_key.error().kind, ErrorKind::Verification);
  EXPECT_NE(wrong_key.error().message.find("does not verify"), std::string::npos) << wrong_key.error().message;
}

INSTANTIATE_TEST_SUITE_P(Algorithms, KeyRoundTrip, ::testing::Values("ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"));

TEST(SigstoreBundle, WritesProtobufJsonInDeclarationOrder) {
  Bundle bundle;
  bundle.verification_material.public_key_hint = "aGludA==";
  bundle.message_signature = MessageSignature{MessageDigest{HashAlgorithm::Sha384, std::string(48, '\0')}, "S"};
  auto text = write_bundle(bundle);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":"aGludA=="}},)"
                   R"("messageSignature":{"messageDigest":{"algorithm":"SHA2_384","digest":")" + b64(std::string(48, '\0')) +
                       R"("},"signature":"Uw=="}})");
}

TEST(SigstoreBundle, WritesDsseEnvelopeOmittingEmptyKeyid) {
  Bundle bundle;
  bundle.dsse_envelope = DsseEnvelope{"{}", "application/vnd.in-toto+json", {{"s1", ""}, {"s2", "k"}}};
  auto text = write_bundle(bundle);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find(R"("dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"czE="},{"sig":"czI=","keyid":"k"}]})"),
            std::string::npos)
      << *text;
  auto parsed = parse_bundle(*text, "d.json");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_TRUE(parsed->dsse_envelope);
  EXPECT_EQ(parsed->dsse_envelope->payload, "{}");
  EXPECT_EQ(parsed->dsse_envelope->signatures.at(1).keyid, "k");
  EXPECT_EQ(*write_bundle(*parsed), *text);
}

TEST(SigstoreBundle, ExactlyOneContentIsWritten) {
  Bundle neither;
  EXPECT_FALSE(write_bundle(neither));
}

TEST(SigstoreBundle, ReadsV01CertificateChainWithLogEntries) {
  std::string text = R"({"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.1","verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":")" +
                     kCert + R"("},{"rawBytes":")" + kCert + R"("}]},"tlogEntries":[{"logIndex":"1","kindVersion":{"kind":"hashedrekord","version":"0.0.1"}}],"timestampVerificationData":{"rfc3161Timestamps":[]}},)"
                     R"("messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":")" + kDigest32 + R"("},"signature":")" + kSig + R"("}})";
  auto bundle = parse_bundle(text, "v01.json");
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->verification_material.kind, VerificationMaterial::Kind::X509CertificateChain);
  EXPECT_EQ(bundle->verification_material.certificates_der.size(), 2u);
  EXPECT_EQ(bundle->verification_material.certificates_der[0], "cert-der");
  EXPECT_NE(bundle->verification_material.tlog_entries_json.find("hashedrekord"), std::string::npos);
  EXPECT_NE(bundle->verification_material.timestamp_verification_data_json.find("rfc3161Timestamps"), std::string::npos);
  EXPECT_EQ(bundle->message_signature->signature, "sig");
}

TEST(SigstoreBundle, ReadsV02AndV03Forms) {
  auto v02 = parse_bundle(message_bundle("application/vnd.dev.sigstore.bundle+json;version=0.2",
                                         R"({"x509CertificateChain":{"certificates":[{"rawBytes":")" + kCert + R"("}]}})"),
                          "v02.json");
  ASSERT_TRUE(v02) << v02.error().message;
  auto v03 = parse_bundle(message_bundle("application/vnd.dev.sigstore.bundle.v0.3+json", R"({"certificate":{"rawBytes":")" + kCert + R"("}})"),
                          "v03.json");
  ASSERT_TRUE(v03) << v03.error().message;
  EXPECT_EQ(v03->verification_material.kind, VerificationMaterial::Kind::Certificate);
  auto v03_legacy = parse_bundle(message_bundle("application/vnd.dev.sigstore.bundle+json;version=0.3", R"({"publicKey":{}})"), "v03l.json");
  ASSERT_TRUE(v03_legacy) << v03_legacy.error().message;
  EXPECT_EQ(v03_legacy->verification_material.public_key_hint, "");
  // A digest-less message signature is allowed by the spec.
  auto no_digest = parse_bundle(key_bundle_with(R"({"signature":")" + kSig + R"("})"), "n.json");
  ASSERT_TRUE(no_digest) << no_digest.error().message;
  EXPECT_FALSE(no_digest->message_signature->message_digest);
}

void expect_refused(const std::string& text, const std::string& needle) {
  auto bundle = parse_bundle(text, "bad.json");
  ASSERT_FALSE(bundle) << text;
  EXPECT_EQ(bundle.error().kind, ErrorKind::Input);
  EXPECT_EQ(bundle.error().message.rfind("bad.json: ", 0), 0u) << bundle.error().message;
  EXPECT_NE(bundle.error().message.find(needle), std::string::npos) << bundle.error().message;
}

TEST(SigstoreBundle, RefusesHostileBundlesNamingTheField) {
  expect_refused("", "not valid JSON");
  expect_refused("[]", "JSON object");
  expect_refused(R"({"verificationMaterial":{"publicKey":{}},"messageSignature":{"signature":"AA=="}})", "mediaType: missing");
  expect_refused(R"({"mediaType":7})", "mediaType: expected a string, found number");
  expect_refused(message_bundle("application/json", R"({"publicKey":{}})"), "not a Sigstore bundle media type");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"("key")"), "verificationMaterial: expected an object");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({})"), "names no key or certificate");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({"publicKey":{},"certificate":{"rawBytes":"AA=="}})"), "more than one");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({"publicKey":{"hint":5}})"), "verificationMaterial.publicKey.hint: expected a string");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({"certificate":{"rawBytes":"%%%"}})"),
                 "verificationMaterial.certificate.rawBytes: not standard base64");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({"x509CertificateChain":{"certificates":[]}})"), "certificates: missing or empty");
  expect_refused(message_bundle(std::string(kBundleMediaTypeV03), R"({"publicKey":{},"tlogEntries":{}})"), "tlogEntries: expected an array");
  expect_refused(key_bundle_with(R"({"signature":"not base64!"})"), "messageSignature.signature: not standard base64");
  expect_refused(key_bundle_with(R"({"signature":12})"), "messageSignature.signature: expected a string");
  expect_refused(key_bundle_with(R"({})"), "messageSignature.signature: missing");
  expect_refused(key_bundle_with(R"({"messageDigest":{"algorithm":"MD5","digest":"AA=="},"signature":"AA=="})"),
                 "messageSignature.messageDigest.algorithm: \"MD5\" is not a supported");
  expect_refused(key_bundle_with(R"({"messageDigest":{"algorithm":"SHA2_256","digest":"AA=="},"signature":"AA=="})"),
                 "messageSignature.messageDigest.digest: 1 bytes");
  expect_refused(R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}}})", "holds no signature");
  expect_refused(R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"messageSignature":{"signature":"AA=="},"dsseEnvelope":{}})",
                 "both messageSignature and dsseEnvelope");
  expect_refused(R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"e30=","payloadType":"t","signatures":[]}})",
                 "dsseEnvelope.signatures: missing or empty");
  expect_refused(R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{}},"dsseEnvelope":{"payload":"e30=","payloadType":"t","signatures":[{"sig":"AA==","keyid":1}]}})",
                 "dsseEnvelope.signatures[0].keyid: expected a string");
  // A duplicate key could make two verifiers read two different signatures.
  expect_refused(key_bundle_with(R"({"signature":"AA==","signature":"AQ=="})"), "\"signature\" appears twice");
  expect_refused(std::string(10000, '[') + std::string(10000, ']'), "nested more than");
  expect_refused(std::string(kMaxBundleBytes + 1, ' '), "at most");
}

TEST(SigstoreBundle, StrictJsonAllowsSameKeyInSiblingObjects) {
  auto doc = parse_strict_json(R"({"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]})", "x.json");
  EXPECT_TRUE(doc) << doc.error().message;
}

TEST(BlobVerification, DigestOnlyArtifactVerifiesEcdsaAndRsa) {
  for (const char* algorithm : {"ecdsa-p256", "ecdsa-p384", "rsa-3072"}) {
    auto key = PrivateKey::generate(algorithm);
    ASSERT_TRUE(key);
    std::string message = "digest only";
    auto bundle = signed_bundle(*key, message);
    HashAlgorithm hash = message_digest_algorithm(key->algorithm());
    Artifact digests{"artifact", {{hash, digest_of(hash, message)}}, std::nullopt};
    auto verified = verify_bundle_with_key(bundle, digests, key->public_key(), "b.json");
    EXPECT_TRUE(verified) << algorithm << ": " << verified.error().message;
    auto raw = verify_digest_signature(key->public_key(), hash, digest_of(hash, "other"), bundle.message_signature->signature);
    ASSERT_TRUE(raw);
    EXPECT_FALSE(*raw) << algorithm;
  }
}

TEST(BlobVerification, Ed25519NeedsTheWholeMessage) {
  auto key = PrivateKey::generate("ed25519");
  auto bundle = signed_bundle(*key, "m");
  Artifact digests{"artifact", {{HashAlgorithm::Sha512, digest_of(HashAlgorithm::Sha512, "m")}}, std::nullopt};
  auto verified = verify_bundle_with_key(bundle, digests, key->public_key(), "b.json");
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().kind, ErrorKind::Input);
  EXPECT_NE(verified.error().message.find("whole file"), std::string::npos) << verified.error().message;
}

TEST(BlobVerification, SignatureOverOtherDataFails) {
  auto key = PrivateKey::generate("ecdsa-p256");
  auto bundle = signed_bundle(*key, "the artifact");
  // The digest is the artifact's, but the signature was made over something else.
  bundle.message_signature->signature = *key->sign("something else");
  auto verified = verify_bundle_with_key(bundle, whole("the artifact"), key->public_key(), "b.json");
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().kind, ErrorKind::Verification);
  EXPECT_NE(verified.error().message.find("does not verify"), std::string::npos);
  bundle.message_signature->signature = "\x30\x02garbage";
  EXPECT_FALSE(verify_bundle_with_key(bundle, whole("the artifact"), key->public_key(), "b.json"));
}

TEST(BlobVerification, CertificateAndDsseBundlesAreNotKeyMessageSignatures) {
  auto key = PrivateKey::generate("ecdsa-p256");
  auto bundle = signed_bundle(*key, "a");
  bundle.verification_material.kind = VerificationMaterial::Kind::Certificate;
  bundle.verification_material.certificates_der = {"c"};
  auto certified = verify_bundle_with_key(bundle, whole("a"), key->public_key(), "b.json");
  ASSERT_FALSE(certified);
  EXPECT_NE(certified.error().message.find("certificate"), std::string::npos);
  Bundle dsse;
  dsse.dsse_envelope = DsseEnvelope{"{}", "t", {{"s", ""}}};
  auto enveloped = verify_bundle_with_key(dsse, whole("a"), key->public_key(), "b.json");
  ASSERT_FALSE(enveloped);
  EXPECT_NE(enveloped.error().message.find("DSSE"), std::string::npos);
}

TEST(BlobVerification, HintIsBase64Sha256OfSpki) {
  // sha256("") in base64.
  EXPECT_EQ(public_key_hint(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

}  // namespace
}  // namespace cairn::attest
