#include <cstdio>
#include <vector>

#include "cmd/commands.h"
#include "core/error.h"
#include "core/log.h"

int main(int argc, char** argv) {
  CLI::App app{"cairn: SBOMs, signatures and attestations for container images"};
  app.set_version_flag("--version", std::string("cairn ") + CAIRN_VERSION);
  app.require_subcommand(1);
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Print progress details on stderr");
  app.add_flag("-q,--quiet", quiet, "Print no warnings");

  std::vector<std::pair<CLI::App*, cairn::cmd::Action>> actions;
  for (auto register_command : {cairn::cmd::register_sbom, cairn::cmd::register_discover, cairn::cmd::register_attach,
                                 cairn::cmd::register_copy, cairn::cmd::register_login, cairn::cmd::register_logout,
                                 cairn::cmd::register_generate_key_pair, cairn::cmd::register_public_key,
                                 cairn::cmd::register_sign_blob, cairn::cmd::register_verify_blob,
                                 cairn::cmd::register_sign, cairn::cmd::register_verify}) {
    std::size_t before = app.get_subcommands({}).size();
    auto action = register_command(app);
    actions.emplace_back(app.get_subcommands({}).at(before), action);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // usage errors exit 2 (DESIGN.md)
  }
  cairn::log::set_verbose(verbose);
  cairn::log::set_quiet(quiet);
  for (auto& [sub, action] : actions)
    if (sub->parsed()) return action();
  return 2;
}
