// `cairn discover IMAGE [--output tree|json] [--artifact-type T]`: the graph of what
// refers to an image. The work is in oci/discovery.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cmd/commands.h"
#include "cmd/registry_flags.h"
#include "core/log.h"
#include "oci/discovery.h"
#include "oci/image_writer.h"

namespace cairn::cmd {

namespace {

struct DiscoverFlags {
  std::string image;
  std::string output = "tree";
  std::string artifact_type;
  int depth = 8;
  RegistryFlags registry;
};

nlohmann::ordered_json node_json(const oci::ReferrerNode& n) {
  auto j = oci::descriptor_json(n.descriptor);
  j["source"] = n.source;
  if (!n.tag.empty()) j["tag"] = n.tag;
  j["referrers"] = nlohmann::ordered_json::array();
  for (const auto& c : n.referrers) j["referrers"].push_back(node_json(c));
  return j;
}

void print_tree(const std::vector<oci::ReferrerNode>& nodes, const std::string& prefix) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    bool last = i + 1 == nodes.size();
    const auto& n = nodes[i];
    std::string type = n.descriptor.artifact_type.empty() ? n.descriptor.media_type : n.descriptor.artifact_type;
    std::printf("%s%s %s %s  [%s]\n", prefix.c_str(), last ? "└──" : "├──", log::printable(type).c_str(),
                n.descriptor.digest.str().c_str(), log::printable(n.source).c_str());
    print_tree(n.referrers, prefix + (last ? "    " : "│   "));
  }
}

int run_discover(const DiscoverFlags& flags) {
  if (flags.output != "tree" && flags.output != "json")
    return report_error(Error{ErrorKind::Usage, "--output must be tree or json, not \"" + flags.output + "\""});
  auto target = open_image_target(flags.image, flags.registry);
  if (!target) return report_error(target.error());
  auto subject = oci::resolve_target(*target);
  if (!subject) return report_error(subject.error());
  oci::DiscoverOptions discover_options;
  discover_options.artifact_type = flags.artifact_type;
  discover_options.max_depth = flags.depth;
  auto graph = oci::discover(*target->store, *subject, discover_options);
  if (!graph) return report_error(graph.error());
  if (flags.output == "json") {
    nlohmann::ordered_json j;
    j["reference"] = target->display;
    j["mediaType"] = subject->descriptor.media_type;
    j["digest"] = subject->descriptor.digest.str();
    j["size"] = subject->descriptor.size;
    j["referrers"] = nlohmann::ordered_json::array();
    for (const auto& n : *graph) j["referrers"].push_back(node_json(n));
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s@%s\n", log::printable(target->display).c_str(), subject->descriptor.digest.str().c_str());
    print_tree(*graph, "");
  }
  return 0;
}

}  // namespace

Action register_discover(CLI::App& app) {
  auto flags = std::make_shared<DiscoverFlags>();
  auto* cmd = app.add_subcommand("discover", "Show what refers to an image: signatures, SBOMs, attestations, recursively");
  cmd->add_option("image", flags->image, "HOST/REPO[:TAG|@DIGEST] or oci-dir:PATH[:TAG|@DIGEST]")->required();
  cmd->add_option("--output", flags->output, "tree or json")->capture_default_str();
  cmd->add_option("--artifact-type", flags->artifact_type, "Show only referrers of this artifact type");
  cmd->add_option("--depth", flags->depth, "How deep to follow referrers of referrers")->capture_default_str();
  add_registry_flags(*cmd, flags->registry);
  return [flags] { return run_discover(*flags); };
}

}  // namespace cairn::cmd
