#include "cmd/registry_flags.h"

namespace cairn::cmd {

void add_registry_flags(CLI::App& cmd, RegistryFlags& flags) {
  cmd.add_option("--insecure-registry", flags.insecure_registries,
                 "HOST[:PORT] reached over plain HTTP or TLS without certificate checks (loopback hosts need no flag); repeatable");
  cmd.add_option("--ca-file", flags.ca_file, "PEM file of CA certificates to trust for registries, besides the system store");
  cmd.add_option("--referrers-mode", flags.referrers_mode,
                 "auto (probe the referrers API once per registry), api, or tag (the sha256-<hex> tag schema)")
      ->capture_default_str();
  cmd.add_option("--registry-timeout", flags.timeout_seconds, "Seconds a registry may stay silent before a request fails")
      ->capture_default_str();
}

Result<oci::TargetOptions> target_options(const RegistryFlags& flags) {
  oci::TargetOptions options;
  for (const auto& host : flags.insecure_registries) options.registry.insecure_registries.insert(host);
  options.registry.transport.ca_file = flags.ca_file;
  options.registry.transport.io_timeout_seconds = flags.timeout_seconds;
  if (flags.referrers_mode == "auto") options.registry.referrers_mode = oci::ReferrersMode::Auto;
  else if (flags.referrers_mode == "api") options.registry.referrers_mode = oci::ReferrersMode::Api;
  else if (flags.referrers_mode == "tag") options.registry.referrers_mode = oci::ReferrersMode::Tag;
  else return usage_error("--referrers-mode must be auto, api or tag, not \"" + flags.referrers_mode + "\"");
  if (flags.timeout_seconds <= 0) return usage_error("--registry-timeout must be a positive number of seconds");
  return options;
}

Result<oci::Target> open_image_target(const std::string& image, const RegistryFlags& flags) {
  auto options = target_options(flags);
  if (!options) return std::unexpected(options.error());
  return oci::open_target(image, *options);
}

}  // namespace cairn::cmd
