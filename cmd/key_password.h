#pragma once
// The password of a key file: CAIRN_PASSWORD, else COSIGN_PASSWORD (for pipelines moving
// from cosign), else the terminal. Never a flag value.
#include <string>

#include "attest/key_files.h"
#include "core/error.h"
#include "core/secret.h"

namespace cairn::cmd {

// `purpose` names the key in the prompt and errors ("the private key cosign.key");
// `confirm` asks twice on a terminal (a new key).
Result<SecretString> key_password(const std::string& purpose, bool confirm);

// Loads a private key file, asking for its password only if it is encrypted.
Result<attest::PrivateKey> load_signing_key(const std::string& path);

}  // namespace cairn::cmd
