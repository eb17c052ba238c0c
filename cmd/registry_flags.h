#pragma once
// The flags every command that talks to registries takes, turned into TargetOptions.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "oci/target.h"

namespace cairn::cmd {

struct RegistryFlags {
  std::vector<std::string> insecure_registries;
  std::string ca_file;
  std::string referrers_mode = "auto";
  int timeout_seconds = 300;
};

void add_registry_flags(CLI::App& cmd, RegistryFlags& flags);
Result<oci::TargetOptions> target_options(const RegistryFlags& flags);
// The store and reference an IMAGE argument names, under these flags.
Result<oci::Target> open_image_target(const std::string& image, const RegistryFlags& flags);

}  // namespace cairn::cmd
