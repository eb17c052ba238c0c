#pragma once
// cosign's "simple signing" payload, the message a legacy image signature signs:
//   {"critical":{"identity":{"docker-reference":"HOST/REPO"},
//                "image":{"docker-manifest-digest":"sha256:…"},
//                "type":"cosign container image signature"},
//    "optional":null | {annotations}}
// written byte for byte as cosign's Go json.Marshal writes it (compact, struct order,
// annotation keys sorted).
#include <map>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/error.h"

namespace cairn::attest {

inline constexpr std::string_view kSimpleSigningMediaType = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::string_view kSimpleSigningType = "cosign container image signature";
inline constexpr std::string_view kCosignSignatureAnnotation = "dev.cosignproject.cosign/signature";

std::string simple_signing_payload(const std::string& docker_reference, const Digest& manifest_digest,
                                   const std::map<std::string, std::string>& annotations);

struct SimpleSigningClaims {
  std::string docker_reference;
  std::string manifest_digest;  // as written; compared with the image's digest by the verifier
  std::string type;
  // "optional": string values as they are; other JSON values as their compact JSON text.
  std::map<std::string, std::string> annotations;
};

// Strict: an object with "critical" holding the three fields as strings; `where` names
// the payload in errors.
Result<SimpleSigningClaims> parse_simple_signing(std::string_view payload, const std::string& where);

}  // namespace cairn::attest
