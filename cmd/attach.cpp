// `cairn attach IMAGE --artifact FILE --artifact-type T [--annotation k=v]...`: attaches
// a file as a referrer and prints the referrer's descriptor. The work is in oci/attach.
#include <cstdio>

#include "cmd/commands.h"
#include "cmd/key_value_flags.h"
#include "cmd/registry_flags.h"
#include "oci/attach.h"
#include "oci/image_writer.h"

namespace cairn::cmd {

namespace {

struct AttachFlags {
  std::string image;
  std::vector<std::string> artifacts;
  std::string artifact_type;
  std::string media_type = "application/octet-stream";
  std::vector<std::string> annotations;
  RegistryFlags registry;
};

int run_attach(const AttachFlags& flags) {
  auto annotations = parse_key_values(flags.annotations, "--annotation");
  if (!annotations) return report_error(annotations.error());
  auto target = open_image_target(flags.image, flags.registry);
  if (!target) return report_error(target.error());
  auto subject = oci::resolve_target(*target);
  if (!subject) return report_error(subject.error());
  oci::AttachRequest request;
  request.artifact_type = flags.artifact_type;
  request.annotations = *annotations;
  for (const auto& path : flags.artifacts) request.files.push_back({path, "", flags.media_type, ""});
  auto attached = oci::attach_artifact(*target->store, subject->descriptor, request);
  if (!attached) return report_error(attached.error());
  std::printf("%s\n", oci::descriptor_json(attached->manifest).dump().c_str());
  return 0;
}

}  // namespace

Action register_attach(CLI::App& app) {
  auto flags = std::make_shared<AttachFlags>();
  auto* cmd = app.add_subcommand("attach", "Attach files to an image as an OCI 1.1 referrer; prints its descriptor");
  cmd->add_option("image", flags->image, "HOST/REPO[:TAG|@DIGEST] or oci-dir:PATH[:TAG|@DIGEST]")->required();
  cmd->add_option("--artifact", flags->artifacts, "File to attach (repeatable: one layer each)")->required();
  cmd->add_option("--artifact-type", flags->artifact_type, "The referrer's artifactType")->required();
  cmd->add_option("--media-type", flags->media_type, "Media type of the attached files' layers")->capture_default_str();
  cmd->add_option("--annotation", flags->annotations, "KEY=VALUE annotation on the referrer manifest (repeatable)");
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_attach(*flags); };
}

}  // namespace cairn::cmd
