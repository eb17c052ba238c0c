#pragma once
// The docker credential-helper protocol (docker-credential-helpers): the program
// docker-credential-<name>, run without a shell and with a timeout, answers `get`,
// `store` and `erase` with one request on stdin. Secrets never appear in messages.
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "oci/docker_config.h"

namespace cairn::oci {

class CredentialHelper {
 public:
  // name as configured; source is "credHelpers" or "credsStore" and config_path the
  // file that named it, both for messages.
  CredentialHelper(std::string name, std::string source, std::string config_path)
      : name_(std::move(name)), source_(std::move(source)), config_path_(std::move(config_path)) {}

  std::string program() const { return "docker-credential-" + name_; }

  // The credential the helper holds under server_key; nullopt when it holds none.
  // `registry` is the name the user gave, for messages.
  Result<std::optional<Credential>> get(const std::string& server_key, const std::string& registry) const;
  // An identity token goes to the helper as the secret of the user "<token>", as docker does.
  Status store(const std::string& server_key, const Credential& credential, const std::string& registry) const;
  // False when the helper held nothing for server_key.
  Result<bool> erase(const std::string& server_key, const std::string& registry) const;

 private:
  struct Run;
  Result<Run> run(const std::string& action, const std::string& input, const std::string& registry,
                  const std::vector<std::string>& secrets) const;

  std::string name_;
  std::string source_;
  std::string config_path_;
};

}  // namespace cairn::oci
