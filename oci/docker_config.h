#pragma once
// Registry credentials where docker, podman, skopeo, cosign and oras keep them: the
// Docker config file ($DOCKER_CONFIG/config.json, else ~/.docker/config.json) with its
// "auths", "credsStore" and "credHelpers", the latter two through docker-credential-*
// programs speaking the credential-helper protocol (get/store/erase on stdin/stdout).
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::oci {

class DockerConfig;

// Parses config bytes as read from `path` (which error messages name) without running
// any program: load() reads the file and calls this; the fuzzer calls it directly.
Result<DockerConfig> parse_docker_config(std::string_view bytes, const std::string& path);

// The pseudo-user whose "password" is a token: credential helpers mark an identity
// (refresh) token so, and a Credential carries a config's "registrytoken" so.
inline constexpr std::string_view kTokenUsername = "<token>";

struct Credential {
  std::string username;
  std::string password;        // or a registry token when username is "<token>"
  std::string identity_token;  // an OAuth2 refresh token (config "identitytoken")

  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

class DockerConfig {
 public:
  // Reads the config in `dir` (empty: $DOCKER_CONFIG, else $HOME/.docker). A missing
  // file is an empty config; a malformed one is an error naming the file and field.
  static Result<DockerConfig> load(const std::string& dir = "");

  // The credential for a registry ("ghcr.io", "127.0.0.1:5000", "docker.io"):
  // credHelpers[registry], else credsStore, else auths. nullopt when there is none.
  // Docker Hub is looked up under its historical key https://index.docker.io/v1/.
  Result<std::optional<Credential>> lookup(const std::string& registry) const;

  // cairn login: stores through the registry's helper or credsStore when configured,
  // else in "auths" (base64 user:password). The file is rewritten atomically with mode
  // 0600, keeping every other field as it was.
  Status store(const std::string& registry, const Credential& credential);

  // cairn logout: removes the registry's credential wherever it is kept. Returns false
  // when there was none.
  Result<bool> erase(const std::string& registry);

  const std::string& path() const { return path_; }

 private:
  friend Result<DockerConfig> parse_docker_config(std::string_view bytes, const std::string& path);

  std::string path_;
  std::string json_text_;  // the file as read, so store/erase keep unknown fields
  // What lookup needs, decoded once by parse_docker_config.
  std::string creds_store_;                                 // "credsStore"
  std::map<std::string, std::string> cred_helpers_;         // "credHelpers": registry -> helper
  std::map<std::string, Credential> auths_;                 // "auths", by key as written
};

}  // namespace cairn::oci
