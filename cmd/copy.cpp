// `cairn copy SRC DST [--with-referrers]`: copies an image or index, and optionally what
// refers to it, between registries and OCI layouts. The work is in oci/copy.
#include <cstdio>

#include "cmd/commands.h"
#include "cmd/registry_flags.h"
#include "core/log.h"
#include "oci/copy.h"

namespace cairn::cmd {

namespace {

struct CopyFlags {
  std::string source;
  std::string destination;
  bool with_referrers = false;
  unsigned parallel = 4;
  RegistryFlags registry;
};

int run_copy(const CopyFlags& flags) {
  auto options = target_options(flags.registry);
  if (!options) return report_error(options.error());
  auto source = oci::open_target(flags.source, *options);
  if (!source) return report_error(source.error());
  auto destination_options = *options;
  destination_options.create_layout = true;
  auto destination = oci::open_target(flags.destination, destination_options);
  if (!destination) return report_error(destination.error());
  oci::CopyOptions copy_options;
  copy_options.with_referrers = flags.with_referrers;
  copy_options.parallel_blobs = flags.parallel;
  auto copied = oci::copy_image(*source, *destination, copy_options);
  if (!copied) return report_error(copied.error());
  std::fprintf(stderr, "copied %s to %s: %zu manifests, %zu blobs (%zu already there), %zu referrers\n",
               log::printable(source->display).c_str(), log::printable(destination->display).c_str(), copied->manifests,
               copied->blobs_copied + copied->blobs_present, copied->blobs_present, copied->referrers);
  std::printf("%s\n", copied->top.digest.str().c_str());
  return 0;
}

}  // namespace

Action register_copy(CLI::App& app) {
  auto flags = std::make_shared<CopyFlags>();
  auto* cmd = app.add_subcommand("copy", "Copy an image or index between registries and OCI layouts, digests unchanged");
  cmd->add_option("source", flags->source, "HOST/REPO[:TAG|@DIGEST] or oci-dir:PATH[:TAG|@DIGEST]")->required();
  cmd->add_option("destination", flags->destination, "HOST/REPO[:TAG] or oci-dir:PATH[:TAG] (created if missing)")->required();
  cmd->add_flag("--with-referrers", flags->with_referrers, "Also copy signatures, SBOMs and attestations that refer to it");
  cmd->add_option("--parallel", flags->parallel, "Blobs transferred at once")->capture_default_str();
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_copy(*flags); };
}

}  // namespace cairn::cmd
