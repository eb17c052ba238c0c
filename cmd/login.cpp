// `cairn login HOST [-u USER]` and `cairn logout HOST`: credentials in the Docker config
// (or its credential helpers), checked against the registry before they are stored. The
// password comes from CAIRN_REGISTRY_PASSWORD or standard input, never from a flag.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cmd/commands.h"
#include "cmd/registry_flags.h"
#include "core/password.h"
#include "oci/docker_config.h"
#include "oci/reference.h"
#include "oci/registry_client.h"

namespace cairn::cmd {

namespace {

struct LoginFlags {
  std::string registry;
  std::string username;
  bool password_stdin = false;
  std::string config_dir;
  RegistryFlags registry_flags;
};

// "docker.io", "https://ghcr.io/v2/" → the host as references name it.
std::string normalise_host(std::string host) {
  for (const char* scheme : {"https://", "http://"})
    if (host.starts_with(scheme)) host = host.substr(std::string(scheme).size());
  if (auto slash = host.find('/'); slash != std::string::npos) host.resize(slash);
  if (host == "index.docker.io" || host == "registry-1.docker.io") host = "docker.io";
  return host;
}

Result<std::string> read_password(const LoginFlags& flags) {
  if (const char* env = std::getenv("CAIRN_REGISTRY_PASSWORD"); env && *env) return std::string(env);
  bool terminal = isatty(STDIN_FILENO);
  if (terminal && !flags.password_stdin) {
    auto typed = read_terminal_secret("Password for " + flags.username + "@" + flags.registry);
    if (!typed) return std::unexpected(typed.error());
    return std::string(typed->view());
  }
  std::string line;
  if (!std::getline(std::cin, line) && line.empty())
    return usage_error("no password: set CAIRN_REGISTRY_PASSWORD or pipe it on standard input (--password-stdin)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int run_login(const LoginFlags& flags) {
  std::string host = normalise_host(flags.registry);
  if (host.empty()) return report_error(Error{ErrorKind::Usage, "name the registry to log in to, e.g. cairn login ghcr.io"});
  if (flags.username.empty()) return report_error(Error{ErrorKind::Usage, "give the user name with -u/--username"});
  auto password = read_password(flags);
  if (!password) return report_error(password.error());
  if (password->empty()) return report_error(Error{ErrorKind::Usage, "the password is empty"});
  auto options = target_options(flags.registry_flags);
  if (!options) return report_error(options.error());
  options->registry.credential = oci::Credential{flags.username, *password, ""};
  auto client = oci::RegistryClient::create(host, options->registry);
  if (!client) return report_error(client.error());
  if (auto checked = (*client)->check_credentials(); !checked)
    return report_error(checked.error().context("logging in to " + host + " as " + flags.username));
  auto config = oci::DockerConfig::load(flags.config_dir);
  if (!config) return report_error(config.error());
  if (auto stored = config->store(host, {flags.username, *password, ""}); !stored) return report_error(stored.error());
  std::fprintf(stderr, "Login Succeeded: credentials for %s stored in %s\n", host.c_str(), config->path().c_str());
  return 0;
}

int run_logout(const std::string& registry, const std::string& config_dir) {
  std::string host = normalise_host(registry);
  auto config = oci::DockerConfig::load(config_dir);
  if (!config) return report_error(config.error());
  auto erased = config->erase(host);
  if (!erased) return report_error(erased.error());
  if (*erased) std::fprintf(stderr, "Removed the credentials for %s from %s\n", host.c_str(), config->path().c_str());
  else std::fprintf(stderr, "No credentials for %s in %s\n", host.c_str(), config->path().c_str());
  return 0;
}

}  // namespace

Action register_login(CLI::App& app) {
  auto flags = std::make_shared<LoginFlags>();
  auto* cmd = app.add_subcommand("login", "Check credentials for a registry and store them in the Docker config (mode 0600)");
  cmd->add_option("registry", flags->registry, "Registry host, e.g. ghcr.io or 127.0.0.1:5000")->required();
  cmd->add_option("-u,--username", flags->username, "User name")->required();
  cmd->add_flag("--password-stdin", flags->password_stdin,
                "Read the password from standard input (also without this flag when stdin is not a terminal); "
                "CAIRN_REGISTRY_PASSWORD takes precedence");
  cmd->add_option("--config-dir", flags->config_dir, "Docker config directory (default: $DOCKER_CONFIG or ~/.docker)");
  add_registry_flags(*cmd, flags->registry_flags);
  return [flags] { return run_login(*flags); };
}

Action register_logout(CLI::App& app) {
  auto registry = std::make_shared<std::string>();
  auto config_dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("logout", "Remove a registry's credentials from the Docker config or its credential helper");
  cmd->add_option("registry", *registry, "Registry host")->required();
  cmd->add_option("--config-dir", *config_dir, "Docker config directory (default: $DOCKER_CONFIG or ~/.docker)");
  return [registry, config_dir] { return run_logout(*registry, *config_dir); };
}

}  // namespace cairn::cmd
