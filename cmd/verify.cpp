// `cairn verify IMAGE --key PUB [-a k=v]... [--check-identity] [--output text|json]`: exit 0
// only if at least one signature of the image's digest verifies; the verdict says what
// was found and why each signature passed or failed. The work is in verify/.
#include <cstdio>

#include "attest/key_files.h"
#include "cmd/commands.h"
#include "cmd/key_value_flags.h"
#include "cmd/registry_flags.h"
#include "oci/target.h"
#include "verify/image_signatures.h"

namespace cairn::cmd {

namespace {

struct VerifyFlags {
  std::string image;
  std::string key;
  std::vector<std::string> annotations;
  bool check_identity = false;
  std::string output = "text";
  RegistryFlags registry;
};

int run_verify(const VerifyFlags& flags) {
  auto annotations = parse_key_values(flags.annotations, "-a/--annotation");
  if (!annotations) return report_error(annotations.error());
  auto key = attest::load_public_key(flags.key);
  if (!key) return report_error(key.error());
  auto target = open_image_target(flags.image, flags.registry);
  if (!target) return report_error(target.error());
  auto top = oci::resolve_target(*target);
  if (!top) return report_error(top.error());
  verify::ImageVerifyOptions verify_options;
  verify_options.annotations = *annotations;
  verify_options.check_identity = flags.check_identity;
  if (flags.check_identity) {
    if (!target->image) return report_error(Error{ErrorKind::Usage, "--check-identity needs a registry image (HOST/REPO...)"});
    verify_options.expected_reference = target->image->repository_name();
  }
  auto verdict =
      verify::verify_image_signatures(*target->store, target->display, top->descriptor.digest, top->bytes, *key, verify_options);
  if (!verdict) return report_error(verdict.error());
  if (flags.output == "json") {
    std::printf("%s\n", verdict->to_json().dump(2).c_str());
  } else {
    std::printf("%s\n", verdict->summary().c_str());
    for (const auto& s : verdict->signatures)
      std::printf("  %s %s: %s\n", s.form.c_str(), s.source.c_str(), s.reason.c_str());
  }
  return verdict->verified() ? 0 : 1;
}

}  // namespace

Action register_verify(CLI::App& app) {
  auto flags = std::make_shared<VerifyFlags>();
  auto* cmd = app.add_subcommand("verify", "Verify an image's signatures with a public key (exit 0 only if one verifies)");
  cmd->add_option("image", flags->image, "HOST/REPO[:TAG|@DIGEST] or oci-dir:PATH[:TAG|@DIGEST]")->required();
  cmd->add_option("--key", flags->key, "Public key (cosign.pub, PKIX PEM) or a certificate")->required();
  cmd->add_option("-a,--annotation", flags->annotations, "KEY=VALUE the signed payload must hold (repeatable)");
  cmd->add_flag("--check-identity", flags->check_identity, "The payload's docker-reference must be this repository");
  cmd->add_option("--output", flags->output, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_verify(*flags); };
}

}  // namespace cairn::cmd
