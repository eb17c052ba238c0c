// `cairn generate-key-pair` and `cairn public-key`: cosign-compatible key files. The
// password comes from CAIRN_PASSWORD (COSIGN_PASSWORD is honoured too, for pipelines
// moving from cosign) or the terminal, never from a flag value.
#include <cstdio>

#include "attest/key_files.h"
#include "cmd/commands.h"
#include "cmd/key_password.h"

namespace cairn::cmd {

namespace {

struct GenerateFlags {
  std::string algorithm = "ecdsa-p256";
  std::string prefix = "cosign";
  bool allow_empty_password = false;
};

int run_generate(const GenerateFlags& flags) {
  auto key = attest::PrivateKey::generate(flags.algorithm);
  if (!key) return report_error(key.error());
  auto password = key_password("the new private key " + flags.prefix + ".key", /*confirm=*/true);
  if (!password) return report_error(password.error());
  if (password->empty() && !flags.allow_empty_password)
    return report_error(Error{ErrorKind::Usage, "the password is empty; an unencrypted-in-effect key needs --allow-empty-password"});
  if (auto written = attest::write_key_pair(flags.prefix, *key, password->view()); !written) return report_error(written.error());
  std::fprintf(stderr, "Private key written to %s.key (mode 0600)\nPublic key written to %s.pub\n", flags.prefix.c_str(),
               flags.prefix.c_str());
  return 0;
}

int run_public_key(const std::string& key_path) {
  auto key = load_signing_key(key_path);
  if (!key) return report_error(key.error());
  std::fputs(key->public_key().pem().c_str(), stdout);
  return 0;
}

}  // namespace

Action register_generate_key_pair(CLI::App& app) {
  auto flags = std::make_shared<GenerateFlags>();
  auto* cmd = app.add_subcommand("generate-key-pair",
                                 "Write a new key pair: PREFIX.key (cosign's encrypted format, mode 0600) and PREFIX.pub");
  cmd->add_option("--algorithm", flags->algorithm, "ecdsa-p256 (default), ecdsa-p384, ed25519 or rsa-3072")
      ->check(CLI::IsMember({"ecdsa-p256", "ecdsa-p384", "ed25519", "rsa-3072"}));
  cmd->add_option("--output-key-prefix", flags->prefix, "Path prefix of the two files (default: cosign)");
  cmd->add_flag("--allow-empty-password", flags->allow_empty_password, "Accept an empty password (the key is then only obscured)");
  return [flags] { return run_generate(*flags); };
}

Action register_public_key(CLI::App& app) {
  auto key = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("public-key", "Print the public key (PKIX PEM) of a private key file");
  cmd->add_option("--key", *key, "Private key: cosign's encrypted format, PKCS#8, SEC1 or PKCS#1 PEM")->required();
  return [key] { return run_public_key(*key); };
}

}  // namespace cairn::cmd
