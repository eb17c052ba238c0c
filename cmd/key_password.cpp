#include "cmd/key_password.h"

#include <cstdlib>

#include "core/password.h"

namespace cairn::cmd {

Result<SecretString> key_password(const std::string& purpose, bool confirm) {
  PasswordRequest request{"CAIRN_PASSWORD", purpose, confirm};
  if (!std::getenv("CAIRN_PASSWORD") && std::getenv("COSIGN_PASSWORD")) request.env_var = "COSIGN_PASSWORD";
  return read_password(request);
}

Result<attest::PrivateKey> load_signing_key(const std::string& path) {
  return attest::load_private_key(path, [&] { return key_password("the private key " + path, false); });
}

}  // namespace cairn::cmd
