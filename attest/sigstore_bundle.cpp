#include "attest/sigstore_bundle.h"

#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include "attest/strict_json.h"
#include "core/base64.h"

namespace cairn::attest {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::size_t kMaxCertificates = 16;
constexpr std::size_t kMaxDsseSignatures = 16;

// Reading one JSON object, each error naming the document and the field's path.
class Fields {
 public:
  Fields(const json& object, std::string where, std::string path) : object_(object), where_(std::move(where)), path_(std::move(path)) {}

  std::string at(const std::string& name) const {
    if (name.empty()) return path_;
    return path_.empty() ? name : path_ + "." + name;
  }
  std::unexpected<Error> error(const std::string& name, const std::string& what) const {
    return input_error(where_ + ": " + at(name) + ": " + what);
  }
  const json* find(const std::string& name) const {
    auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  Result<std::optional<std::string>> optional_string(const std::string& name) const {
    const json* v = find(name);
    if (!v) return std::optional<std::string>();
    if (!v->is_string()) return error(name, std::string("expected a string, found ") + v->type_name());
    return std::optional<std::string>(v->get<std::string>());
  }
  Result<std::string> string(const std::string& name) const {
    auto v = optional_string(name);
    if (!v) return std::unexpected(v.error());
    if (!*v || (*v)->empty()) return error(name, "missing");
    return **v;
  }
  // protobuf bytes: standard base64 with padding.
  Result<std::string> bytes(const std::string& name) const {
    auto text = string(name);
    if (!text) return std::unexpected(text.error());
    auto decoded = base64_decode(*text);
    if (!decoded) return error(name, "not standard base64 (" + decoded.error().message + ")");
    return *decoded;
  }
  Result<const json*> object(const std::string& name, bool required) const {
    const json* v = find(name);
    if (!v) {
      if (required) return error(name, "missing");
      return nullptr;
    }
    if (!v->is_object()) return error(name, std::string("expected an object, found ") + v->type_name());
    return v;
  }
  Result<const json*> array(const std::string& name) const {
    const json* v = find(name);
    if (!v) return nullptr;
    if (!v->is_array()) return error(name, std::string("expected an array, found ") + v->type_name());
    return v;
  }
  Fields sub(const json& object, const std::string& name) const { return Fields(object, where_, at(name)); }

 private:
  const json& object_;
  std::string where_;
  std::string path_;
};

Result<HashAlgorithm> parse_hash_algorithm(const Fields& f, const std::string& name) {
  auto text = f.string(name);
  if (!text) return std::unexpected(text.error());
  if (*text == "SHA2_256") return HashAlgorithm::Sha256;
  if (*text == "SHA2_384") return HashAlgorithm::Sha384;
  if (*text == "SHA2_512") return HashAlgorithm::Sha512;
  return f.error(name, "\"" + text->substr(0, 40) + "\" is not a supported digest algorithm (SHA2_256, SHA2_384, SHA2_512)");
}

Result<std::string> certificate_der(const Fields& parent, const json& value, const std::string& name) {
  if (!value.is_object()) return parent.error(name, std::string("expected an object, found ") + value.type_name());
  return parent.sub(value, name).bytes("rawBytes");
}

Result<VerificationMaterial> parse_material(const Fields& f) {
  VerificationMaterial m;
  auto key = f.object("publicKey", false);
  auto chain = f.object("x509CertificateChain", false);
  auto cert = f.object("certificate", false);
  for (auto* r : {&key, &chain, &cert})
    if (!*r) return std::unexpected(r->error());
  int present = (*key ? 1 : 0) + (*chain ? 1 : 0) + (*cert ? 1 : 0);
  if (present != 1)
    return f.error("", present == 0 ? "none of publicKey, x509CertificateChain, certificate: the bundle names no key or certificate"
                                    : "more than one of publicKey, x509CertificateChain, certificate");
  if (*key) {
    auto hint = f.sub(**key, "publicKey").optional_string("hint");
    if (!hint) return std::unexpected(hint.error());
    m.kind = VerificationMaterial::Kind::PublicKey;
    m.public_key_hint = hint->value_or("");
  } else if (*chain) {
    Fields cf = f.sub(**chain, "x509CertificateChain");
    auto certs = cf.array("certificates");
    if (!certs) return std::unexpected(certs.error());
    if (!*certs || (*certs)->empty()) return cf.error("certificates", "missing or empty");
    if ((*certs)->size() > kMaxCertificates) return cf.error("certificates", "more than " + std::to_string(kMaxCertificates) + " certificates");
    m.kind = VerificationMaterial::Kind::X509CertificateChain;
    for (std::size_t i = 0; i < (*certs)->size(); ++i) {
      auto der = certificate_der(cf, (**certs)[i], "certificates[" + std::to_string(i) + "]");
      if (!der) return std::unexpected(der.error());
      m.certificates_der.push_back(std::move(*der));
    }
  } else {
    auto der = f.sub(**cert, "certificate").bytes("rawBytes");
    if (!der) return std::unexpected(der.error());
    m.kind = VerificationMaterial::Kind::Certificate;
    m.certificates_der.push_back(std::move(*der));
  }
  auto tlog = f.array("tlogEntries");
  if (!tlog) return std::unexpected(tlog.error());
  if (*tlog && !(*tlog)->empty()) m.tlog_entries_json = (*tlog)->dump();
  auto timestamps = f.object("timestampVerificationData", false);
  if (!timestamps) return std::unexpected(timestamps.error());
  if (*timestamps && !(*timestamps)->empty()) m.timestamp_verification_data_json = (*timestamps)->dump();
  return m;
}

Result<MessageSignature> parse_message_signature(const Fields& f) {
  MessageSignature s;
  auto digest = f.object("messageDigest", false);
  if (!digest) return std::unexpected(digest.error());
  if (*digest) {
    Fields df = f.sub(**digest, "messageDigest");
    auto algorithm = parse_hash_algorithm(df, "algorithm");
    if (!algorithm) return std::unexpected(algorithm.error());
    auto bytes = df.bytes("digest");
    if (!bytes) return std::unexpected(bytes.error());
    if (bytes->size() != hash_algorithm_size(*algorithm))
      return df.error("digest", std::to_string(bytes->size()) + " bytes, but a " + std::string(hash_algorithm_name(*algorithm)) +
                                    " digest has " + std::to_string(hash_algorithm_size(*algorithm)));
    s.message_digest = MessageDigest{*algorithm, std::move(*bytes)};
  }
  auto signature = f.bytes("signature");
  if (!signature) return std::unexpected(signature.error());
  s.signature = std::move(*signature);
  return s;
}

Result<DsseEnvelope> parse_dsse(const Fields& f) {
  DsseEnvelope e;
  auto payload = f.bytes("payload");
  if (!payload) return std::unexpected(payload.error());
  auto type = f.string("payloadType");
  if (!type) return std::unexpected(type.error());
  auto signatures = f.array("signatures");
  if (!signatures) return std::unexpected(signatures.error());
  if (!*signatures || (*signatures)->empty()) return f.error("signatures", "missing or empty");
  if ((*signatures)->size() > kMaxDsseSignatures) return f.error("signatures", "more than " + std::to_string(kMaxDsseSignatures) + " signatures");
  e.payload = std::move(*payload);
  e.payload_type = std::move(*type);
  for (std::size_t i = 0; i < (*signatures)->size(); ++i) {
    std::string name = "signatures[" + std::to_string(i) + "]";
    const json& entry = (**signatures)[i];
    if (!entry.is_object()) return f.error(name, std::string("expected an object, found ") + entry.type_name());
    Fields sf = f.sub(entry, name);
    auto sig = sf.bytes("sig");
    if (!sig) return std::unexpected(sig.error());
    auto keyid = sf.optional_string("keyid");
    if (!keyid) return std::unexpected(keyid.error());
    e.signatures.push_back({std::move(*sig), keyid->value_or("")});
  }
  return e;
}

ordered_json material_json(const VerificationMaterial& m) {
  ordered_json out = ordered_json::object();
  switch (m.kind) {
    case VerificationMaterial::Kind::PublicKey: {
      ordered_json key = ordered_json::object();
      if (!m.public_key_hint.empty()) key["hint"] = m.public_key_hint;
      out["publicKey"] = key;
      break;
    }
    case VerificationMaterial::Kind::X509CertificateChain: {
      ordered_json certs = ordered_json::array();
      for (const auto& der : m.certificates_der) certs.push_back({{"rawBytes", base64_encode(der)}});
      out["x509CertificateChain"] = {{"certificates", certs}};
      break;
    }
    case VerificationMaterial::Kind::Certificate:
      out["certificate"] = {{"rawBytes", m.certificates_der.empty() ? std::string() : base64_encode(m.certificates_der.front())}};
      break;
  }
  if (!m.tlog_entries_json.empty()) out["tlogEntries"] = ordered_json::parse(m.tlog_entries_json, nullptr, false);
  if (!m.timestamp_verification_data_json.empty())
    out["timestampVerificationData"] = ordered_json::parse(m.timestamp_verification_data_json, nullptr, false);
  return out;
}

}  // namespace

std::string_view hash_algorithm_json_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::Sha256: return "SHA2_256";
    case HashAlgorithm::Sha384: return "SHA2_384";
    case HashAlgorithm::Sha512: return "SHA2_512";
  }
  return "";
}

std::string_view hash_algorithm_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::Sha256: return "sha256";
    case HashAlgorithm::Sha384: return "sha384";
    case HashAlgorithm::Sha512: return "sha512";
  }
  return "";
}

std::size_t hash_algorithm_size(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::Sha256: return 32;
    case HashAlgorithm::Sha384: return 48;
    case HashAlgorithm::Sha512: return 64;
  }
  return 0;
}

std::string public_key_hint(std::string_view spki_der) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(spki_der.data()), spki_der.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result<std::string> write_bundle(const Bundle& bundle) {
  if (bundle.message_signature.has_value() == bundle.dsse_envelope.has_value())
    return input_error("a bundle holds exactly one of a message signature and a DSSE envelope");
  for (const std::string* raw : {&bundle.verification_material.tlog_entries_json, &bundle.verification_material.timestamp_verification_data_json})
    if (!raw->empty() && json::parse(*raw, nullptr, false).is_discarded())
      return input_error("the bundle's transparency-log or timestamp data is not valid JSON");
  ordered_json out = ordered_json::object();
  out["mediaType"] = bundle.media_type;
  out["verificationMaterial"] = material_json(bundle.verification_material);
  if (bundle.message_signature) {
    const auto& s = *bundle.message_signature;
    ordered_json sig = ordered_json::object();
    if (s.message_digest)
      sig["messageDigest"] = {{"algorithm", hash_algorithm_json_name(s.message_digest->algorithm)},
                              {"digest", base64_encode(s.message_digest->digest)}};
    sig["signature"] = base64_encode(s.signature);
    out["messageSignature"] = sig;
  } else {
    const auto& e = *bundle.dsse_envelope;
    ordered_json env = ordered_json::object();
    env["payload"] = base64_encode(e.payload);
    env["payloadType"] = e.payload_type;
    ordered_json sigs = ordered_json::array();
    for (const auto& s : e.signatures) {
      ordered_json one = ordered_json::object();
      one["sig"] = base64_encode(s.sig);
      if (!s.keyid.empty()) one["keyid"] = s.keyid;
      sigs.push_back(one);
    }
    env["signatures"] = sigs;
    out["dsseEnvelope"] = env;
  }
  return out.dump();
}

Result<Bundle> parse_bundle(std::string_view json_text, const std::string& where) {
  if (json_text.size() > kMaxBundleBytes)
    return input_error(where + ": " + std::to_string(json_text.size()) + " bytes; a Sigstore bundle is at most " +
                       std::to_string(kMaxBundleBytes >> 20) + " MiB");
  auto doc = parse_strict_json(json_text, where);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->is_object()) return input_error(where + ": expected a Sigstore bundle (a JSON object), found " + doc->type_name());
  Fields root(*doc, where, "");
  Bundle bundle;
  auto media_type = root.string("mediaType");
  if (!media_type) return std::unexpected(media_type.error());
  if (*media_type != kBundleMediaTypeV03 && *media_type != kBundleMediaTypeV03Legacy && *media_type != kBundleMediaTypeV02 &&
      *media_type != kBundleMediaTypeV01)
    return root.error("mediaType", "\"" + media_type->substr(0, 100) + "\" is not a Sigstore bundle media type cairn reads (v0.1 to v0.3)");
  bundle.media_type = *media_type;
  auto material = root.object("verificationMaterial", true);
  if (!material) return std::unexpected(material.error());
  auto parsed_material = parse_material(root.sub(**material, "verificationMaterial"));
  if (!parsed_material) return std::unexpected(parsed_material.error());
  bundle.verification_material = std::move(*parsed_material);
  auto message = root.object("messageSignature", false);
  if (!message) return std::unexpected(message.error());
  auto dsse = root.object("dsseEnvelope", false);
  if (!dsse) return std::unexpected(dsse.error());
  if (*message && *dsse) return input_error(where + ": both messageSignature and dsseEnvelope; a bundle holds one");
  if (*message) {
    auto s = parse_message_signature(root.sub(**message, "messageSignature"));
    if (!s) return std::unexpected(s.error());
    bundle.message_signature = std::move(*s);
  } else if (*dsse) {
    auto e = parse_dsse(root.sub(**dsse, "dsseEnvelope"));
    if (!e) return std::unexpected(e.error());
    bundle.dsse_envelope = std::move(*e);
  } else {
    return input_error(where + ": neither messageSignature nor dsseEnvelope: the bundle holds no signature");
  }
  return bundle;
}

}  // namespace cairn::attest
