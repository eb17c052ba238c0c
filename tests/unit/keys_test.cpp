// Keys: generation, signing and verification for every algorithm; cosign's encrypted
// format; every PEM form a key may come in; writing a key pair. Hostile key files get an
// error that names the file and what is wrong.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "attest/cosign_key.h"
#include "attest/key_files.h"
#include "attest/keys.h"
#include "core/base64.h"

namespace cairn::attest {
namespace {

namespace fs = std::filesystem;

PasswordSource fixed(std::string password) {
  return [password] { return Result<SecretString>(SecretString(password)); };
}

PasswordSource never_asked() {
  return []() -> Result<SecretString> {
    ADD_FAILURE() << "the password was asked for an unencrypted key";
    return usage_error("not asked");
  };
}

// PEM text of a key written by OpenSSL itself, in a chosen form.
std::string openssl_pem(const PrivateKey& key, const std::string& form, const std::string& password = "") {
  auto der = key.pkcs8_der();
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der->size()));
  BIO* bio = BIO_new(BIO_s_mem());
  if (form == "pkcs8") PEM_write_bio_PKCS8PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  if (form == "pkcs8-encrypted")
    PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_256_cbc(), password.data(), static_cast<int>(password.size()), nullptr, nullptr);
  if (form == "traditional") PEM_write_bio_PrivateKey_traditional(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return out;
}

// PKCS#8 PEM of a key OpenSSL made (taking ownership of it).
std::string pkcs8_pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PKCS8PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return out;
}

// A self-signed certificate for the key, as PEM.
std::string certificate_pem(const PrivateKey& key) {
  auto der = key.pkcs8_der();
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der->size()));
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, pkey);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("t"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  X509_sign(cert, pkey, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(pkey);
  return out;
}

std::string cosign_pem(const PrivateKey& key, const std::string& password, std::string_view label = kSigstoreKeyLabel) {
  auto json = encrypt_cosign_key(key.pkcs8_der()->view(), password);
  return pem_encode(label, *json);
}

TEST(Keys, EveryAlgorithmSignsAndVerifies) {
  for (const char* algorithm : {"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"}) {
    auto key = PrivateKey::generate(algorithm);
    ASSERT_TRUE(key) << algorithm << ": " << key.error().message;
    auto signature = key->sign("payload");
    ASSERT_TRUE(signature) << signature.error().message;
    auto pub = key->public_key();
    EXPECT_TRUE(*pub.verify("payload", *signature)) << algorithm;
    EXPECT_FALSE(*pub.verify("payloaD", *signature)) << algorithm;
    std::string flipped = *signature;
    flipped[flipped.size() / 2] ^= 0x01;
    EXPECT_FALSE(*pub.verify("payload", flipped)) << algorithm;
    EXPECT_FALSE(*pub.verify("payload", "")) << algorithm;
    auto other = PrivateKey::generate(algorithm);
    EXPECT_FALSE(*other->public_key().verify("payload", *signature)) << algorithm;
    auto reread = PublicKey::from_pem(pub.pem(), "pub");
    ASSERT_TRUE(reread);
    EXPECT_EQ(reread->der(), pub.der());
  }
  EXPECT_FALSE(PrivateKey::generate("dsa"));
}

TEST(Keys, DigestFollowsTheAlgorithm) {
  EXPECT_EQ(digest_name(PrivateKey::generate("ecdsa-p256")->algorithm()), "sha256");
  EXPECT_EQ(digest_name(PrivateKey::generate("ecdsa-p384")->algorithm()), "sha384");
  EXPECT_EQ(digest_name(PrivateKey::generate("ed25519")->algorithm()), "");
}

TEST(CosignKey, EncryptsInCosignsFormAndDecrypts) {
  auto key = PrivateKey::generate("ecdsa-p256");
  auto json = encrypt_cosign_key(key->pkcs8_der()->view(), "s3cret");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->find(R"({"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":")"), 0u) << *json;
  EXPECT_NE(json->find(R"("cipher":{"name":"nacl/secretbox","nonce":")"), std::string::npos);
  auto der = decrypt_cosign_key(*json, "s3cret", "k");
  ASSERT_TRUE(der) << der.error().message;
  EXPECT_EQ(der->view(), key->pkcs8_der()->view());
  auto wrong = decrypt_cosign_key(*json, "S3cret", "cosign.key");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("cosign.key: wrong password"), std::string::npos) << wrong.error().message;
}

TEST(CosignKey, HostileDocumentsAreRefusedBeforeAnyWork) {
  std::string nonce = base64_encode(std::string(24, 'n')), ct = base64_encode(std::string(64, 'c')), salt = base64_encode("salt");
  auto doc = [&](const std::string& params, const std::string& nonce_b64 = "") {
    return R"({"kdf":{"name":"scrypt","params":)" + params + R"(,"salt":")" + salt + R"("},"cipher":{"name":"nacl/secretbox","nonce":")" +
           (nonce_b64.empty() ? nonce : nonce_b64) + R"("},"ciphertext":")" + ct + R"("})";
  };
  ASSERT_TRUE(parse_cosign_key_document(doc(R"({"N":32768,"r":8,"p":1})"), "k"));
  struct Case {
    std::string text, expect;
  } cases[] = {
      {doc(R"({"N":1073741824,"r":8,"p":1})"), "outside what cairn accepts"},
      {doc(R"({"N":1000,"r":8,"p":1})"), "outside what cairn accepts"},
      {doc(R"({"N":32768,"r":8,"p":-1})"), "kdf.params.p must be a positive integer"},
      {doc(R"({"N":"32768","r":8,"p":1})"), "kdf.params.N must be a positive integer"},
      {doc(R"({"N":32768,"r":8,"p":1})", base64_encode("short")), "cipher.nonce is 5 bytes"},
      {doc(R"({"N":32768,"r":8,"p":1})", "!!notbase64!!"), "cipher.nonce"},
      {R"({"kdf":{"name":"argon2"},"cipher":{}})", "kdf.name must be \"scrypt\""},
      {R"({"kdf":{"name":7},"cipher":{}})", "kdf.name must be \"scrypt\""},
      {R"({"kdf":{"name":"scrypt"},"cipher":{"name":"aes"}})", "cipher.name must be \"nacl/secretbox\""},
      {"[]", "not a JSON object"},
      {"{", "not a JSON object"},
  };
  for (const auto& c : cases) {
    auto r = parse_cosign_key_document(c.text, "bad.key");
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("bad.key"), 0u) << r.error().message;
  }
}

TEST(KeyFiles, EveryPemFormLoads) {
  auto ec = PrivateKey::generate("ecdsa-p256");
  auto rsa = PrivateKey::generate("rsa-3072");
  auto ed = PrivateKey::generate("ed25519");
  struct Case {
    std::string name, pem;
    PasswordSource password;
    const PrivateKey* key;
  } cases[] = {
      {"cosign 2 (SIGSTORE label)", cosign_pem(*ec, "pw"), fixed("pw"), &*ec},
      {"older cosign (COSIGN label)", cosign_pem(*ec, "pw", kCosignKeyLabel), fixed("pw"), &*ec},
      {"cosign, ed25519", cosign_pem(*ed, "pw"), fixed("pw"), &*ed},
      {"PKCS#8", openssl_pem(*ec, "pkcs8"), never_asked(), &*ec},
      {"encrypted PKCS#8", openssl_pem(*rsa, "pkcs8-encrypted", "pw"), fixed("pw"), &*rsa},
      {"SEC1 EC PRIVATE KEY", openssl_pem(*ec, "traditional"), never_asked(), &*ec},
      {"PKCS#1 RSA PRIVATE KEY", openssl_pem(*rsa, "traditional"), never_asked(), &*rsa},
  };
  for (const auto& c : cases) {
    auto loaded = parse_private_key(c.pem, c.password, c.name);
    ASSERT_TRUE(loaded) << c.name << ": " << loaded.error().message;
    EXPECT_EQ(loaded->public_key().der(), c.key->public_key().der()) << c.name;
  }
  EXPECT_NE(openssl_pem(*ec, "traditional").find("BEGIN EC PRIVATE KEY"), std::string::npos);
  EXPECT_NE(openssl_pem(*rsa, "traditional").find("BEGIN RSA PRIVATE KEY"), std::string::npos);
}

TEST(KeyFiles, BadKeyFilesAreNamedErrors) {
  auto ec = PrivateKey::generate("ecdsa-p256");
  std::string good = cosign_pem(*ec, "pw");
  std::string truncated = good.substr(0, good.size() / 2);
  std::string corrupt = good;
  corrupt[good.find('\n') + 10] = corrupt[good.find('\n') + 10] == 'A' ? 'B' : 'A';
  std::string secp256k1 = pkcs8_pem_of(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  std::string rsa1024 = pkcs8_pem_of(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024)));

  struct Case {
    std::string name, pem, expect;
    PasswordSource password;
  } cases[] = {
      {"wrong password", good, "wrong password", fixed("nope")},
      {"truncated", truncated, "empty or has no END line", fixed("pw")},
      {"corrupt ciphertext", corrupt, "", fixed("pw")},
      {"not PEM", "hello", "no PEM block", fixed("pw")},
      {"public key", ec->public_key().pem(), "not a private key", fixed("pw")},
      {"unknown label", pem_encode("OPENSSH PRIVATE KEY", "x"), "not a private key cairn reads", fixed("pw")},
      {"secp256k1", secp256k1, "curve secp256k1", never_asked()},
      {"RSA 1024", rsa1024, "RSA key of 1024 bits", never_asked()},
      {"no password source", good, "password", nullptr},
  };
  for (const auto& c : cases) {
    auto r = parse_private_key(c.pem, c.password, "key.pem");
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().message.find("key.pem"), 0u) << c.name << ": " << r.error().message;
    EXPECT_NE(r.error().message.find(c.expect), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(KeyFiles, PublicKeyFromPkixOrCertificate) {
  auto key = PrivateKey::generate("ecdsa-p256");
  auto from_cert = PublicKey::from_pem(certificate_pem(*key), "cert.pem");
  ASSERT_TRUE(from_cert) << from_cert.error().message;
  EXPECT_EQ(from_cert->der(), key->public_key().der());
  auto garbage = PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "pub.pem");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().message.find("pub.pem"), 0u);
  auto der = key->public_key().der();
  EXPECT_FALSE(PublicKey::from_der(der + "x", "trailing"));
  EXPECT_FALSE(PublicKey::from_der(der.substr(0, der.size() - 1), "short"));
}

TEST(KeyFiles, KeyPairIsWrittenExclusivelyWithPrivateMode) {
  auto dir = fs::temp_directory_path() / ("cairn-keys-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string prefix = (dir / "release").string();
  auto key = PrivateKey::generate("ecdsa-p384");
  ASSERT_TRUE(write_key_pair(prefix, *key, "pw"));
  struct stat st {};
  ASSERT_EQ(::stat((prefix + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = load_private_key(prefix + ".key", fixed("pw"));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->public_key().der(), key->public_key().der());
  auto pub = load_public_key(prefix + ".pub");
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->der(), key->public_key().der());

  // Never overwritten: the second write fails and both files keep their content.
  auto before = loaded->public_key().der();
  auto again = write_key_pair(prefix, *PrivateKey::generate("ecdsa-p384"), "pw");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(load_private_key(prefix + ".key", fixed("pw"))->public_key().der(), before);

  // A .pub in the way: no .key is left behind either.
  std::ofstream(dir / "other.pub") << "x";
  ASSERT_FALSE(write_key_pair((dir / "other").string(), *key, "pw"));
  EXPECT_FALSE(fs::exists(dir / "other.key"));

  auto priv_as_pub = load_public_key(prefix + ".key");
  ASSERT_FALSE(priv_as_pub);
  EXPECT_NE(priv_as_pub.error().message.find("holds a private key"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cairn::attest
