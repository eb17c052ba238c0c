#pragma once
// Key files as users have them, read with no import step: cosign's encrypted keys (both
// PEM labels), PKCS#8 ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), SEC1 ("EC PRIVATE KEY")
// and PKCS#1 ("RSA PRIVATE KEY", legacy Proc-Type encryption too); public keys as PKIX
// PEM or from a certificate. And a new key pair written the way cosign writes one.
#include <functional>
#include <string>
#include <string_view>

#include "attest/keys.h"
#include "core/error.h"
#include "core/secret.h"

namespace cairn::attest {

// Asked only when the key turns out to be encrypted.
using PasswordSource = std::function<Result<SecretString>()>;

Result<PrivateKey> parse_private_key(std::string_view pem, const PasswordSource& password, const std::string& where);
Result<PrivateKey> load_private_key(const std::string& path, const PasswordSource& password);
Result<PublicKey> load_public_key(const std::string& path);

// PEM text: the label's BEGIN/END lines around base64 in 64-column lines.
std::string pem_encode(std::string_view label, std::string_view der);

// Writes PREFIX.key (ENCRYPTED SIGSTORE PRIVATE KEY, mode 0600) and PREFIX.pub (PKIX PEM),
// both created exclusively: an existing file is never overwritten, and a failure leaves
// neither file behind.
Status write_key_pair(const std::string& prefix, const PrivateKey& key, std::string_view password);

}  // namespace cairn::attest
