// `cairn sign IMAGE --key K [-a k=v]... [--recursive] [--signature-format legacy|bundle|both]`:
// signs the manifest digest the image resolves to, in cosign's legacy form (the
// sha256-<hex>.sig tag) and as a Sigstore bundle referrer, on registries and OCI layouts
// alike. The work is in attest/image_signing.
#include <cstdio>
#include <filesystem>

#include "attest/cosign_signatures.h"
#include "attest/image_signing.h"
#include "cmd/commands.h"
#include "cmd/key_password.h"
#include "cmd/key_value_flags.h"
#include "cmd/registry_flags.h"
#include "core/log.h"
#include "oci/target.h"

namespace cairn::cmd {

namespace {

struct SignFlags {
  std::string image;
  std::string key;
  std::vector<std::string> annotations;
  bool recursive = false;
  std::string format = "both";
  RegistryFlags registry;
};

// What a signature's payload names as the image: the repository for registries (as
// cosign writes it), the layout's directory name for layouts.
std::string docker_reference_of(const oci::Target& target) {
  if (target.image) return target.image->repository_name();
  return std::filesystem::path(target.layout_path).filename().string();
}

int run_sign(const SignFlags& flags) {
  auto annotations = parse_key_values(flags.annotations, "-a/--annotation");
  if (!annotations) return report_error(annotations.error());
  auto target = open_image_target(flags.image, flags.registry);
  if (!target) return report_error(target.error());
  auto key = load_signing_key(flags.key);
  if (!key) return report_error(key.error());
  attest::KeySigner signer(std::move(*key));
  auto top = oci::resolve_target(*target);
  if (!top) return report_error(top.error());
  if (!target->reference.starts_with("sha256:"))
    log::warn("signing " + top->descriptor.digest.str() + ", which " + target->display +
              " names now; a tag can move, so sign by digest (IMAGE@sha256:…) to be sure what you sign");
  attest::ImageSignRequest request{docker_reference_of(*target), *annotations, flags.recursive,
                                   flags.format == "legacy"   ? attest::SignatureFormat::Legacy
                                   : flags.format == "bundle" ? attest::SignatureFormat::Bundle
                                                              : attest::SignatureFormat::Both};
  auto signed_images = attest::sign_image(*target->store, top->descriptor, top->bytes, signer, request);
  if (!signed_images) return report_error(signed_images.error());
  for (const auto& s : *signed_images) {
    std::string where;
    if (s.signature_manifest) where += "legacy signature in " + attest::signature_tag(s.digest);
    if (s.bundle_referrer) where += std::string(where.empty() ? "" : ", ") + "bundle in referrer " + s.bundle_referrer->str();
    std::fprintf(stderr, "Signed %s@%s (%s)\n", request.docker_reference.c_str(), s.digest.str().c_str(), where.c_str());
  }
  return 0;
}

}  // namespace

Action register_sign(CLI::App& app) {
  auto flags = std::make_shared<SignFlags>();
  auto* cmd = app.add_subcommand("sign", "Sign an image with a key, in cosign's signature format");
  cmd->add_option("image", flags->image, "HOST/REPO[:TAG|@DIGEST] or oci-dir:PATH[:TAG|@DIGEST]")->required();
  cmd->add_option("--key", flags->key, "Private key (cosign.key, PKCS#8, SEC1 or PKCS#1 PEM); password from CAIRN_PASSWORD")->required();
  cmd->add_option("-a,--annotation", flags->annotations, "KEY=VALUE signed into the payload (repeatable)");
  cmd->add_flag("--recursive", flags->recursive, "For an index: also sign each manifest it lists");
  cmd->add_option("--signature-format", flags->format,
                  "legacy (cosign's .sig tag), bundle (Sigstore bundle v0.3 referrer) or both (default)")
      ->check(CLI::IsMember({"legacy", "bundle", "both"}));
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_sign(*flags); };
}

}  // namespace cairn::cmd
