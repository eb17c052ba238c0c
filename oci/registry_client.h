#pragma once
// The distribution API v2 client for one registry host: picks https (or plain http for
// loopback and --insecure-registry hosts), authenticates (anonymous, Basic, Bearer tokens
// cached per scope and renewed on 401, credentials from the Docker config), follows
// redirects, retries 429/5xx/broken connections with backoff and Retry-After, resumes
// broken downloads with Range, and turns failures into errors that name the registry,
// repository, operation, HTTP status and the registry's error code.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/http.h"
#include "oci/docker_config.h"
#include "oci/registry_auth.h"

namespace cairn::oci {

enum class ReferrersMode { Auto, Api, Tag };

struct RegistryOptions {
  http::TransportOptions transport;
  std::set<std::string> insecure_registries;  // HOST or HOST:PORT: plain HTTP or unverified TLS allowed
  ReferrersMode referrers_mode = ReferrersMode::Auto;
  int max_attempts = 5;                       // per request, for transient failures
  double max_backoff_seconds = 30;
  std::string docker_config_dir;              // empty: $DOCKER_CONFIG or ~/.docker
  std::shared_ptr<http::Transport> transport_override;  // tests and --offline
  std::optional<Credential> credential;       // used instead of the Docker config (cairn login checks these)
};

struct RegistryCall {
  std::string operation;    // for errors: "fetching manifest latest", "uploading blob sha256:…"
  std::string method = "GET";
  std::string repository;   // the repository the scope is for
  std::string path;         // "/v2/…", or an absolute URL (upload locations)
  http::Headers headers;
  std::string body;
  std::function<Result<std::unique_ptr<ByteStream>>()> body_stream;
  std::uint64_t body_size = 0;
  std::string actions = "pull";           // scope actions on `repository`
  std::vector<std::string> extra_scopes;  // e.g. "repository:other:pull" for a cross-repository mount
  const http::BodySink* sink = nullptr;   // streams a 2xx body (GET resumes with Range)
  bool retry = true;                      // false for requests that cannot be repeated (chunk PATCH)
};

class RegistryClient {
 public:
  // `registry` as in references: "ghcr.io", "127.0.0.1:5000", "docker.io".
  static Result<std::shared_ptr<RegistryClient>> create(const std::string& registry, const RegistryOptions& options);

  // Performs the call; any status comes back as a Response (the caller decides what a
  // 404 means) except 401/403 after authenticating, which are errors naming the
  // registry and what to do.
  Result<http::Response> call(const RegistryCall& call);

  // Proves the credential works: Basic on /v2/, or a token for the registry's service
  // (as docker login does). A registry that asks for no authentication passes.
  Status check_credentials();

  // "HTTP 404 MANIFEST_UNKNOWN: manifest unknown" for error messages.
  static std::string describe_failure(const http::Response& response);
  // An error for an unexpected answer: "<operation> (registry/repo): HTTP …".
  Error failure(const RegistryCall& call, const http::Response& response) const;

  const std::string& registry() const { return registry_; }
  const RegistryOptions& options() const { return options_; }

  // What the referrers probe found, remembered per registry (nullopt: not probed yet).
  std::optional<bool> referrers_api() const;
  void set_referrers_api(bool supported);

 private:
  RegistryClient(std::string registry, RegistryOptions options, std::shared_ptr<http::Transport> transport);
  Status ensure_pinged();
  Result<std::string> authorization_for(const std::vector<std::string>& scopes, bool force_refresh);
  Result<std::string> fetch_token(const std::vector<std::string>& scopes);
  Result<std::optional<Credential>> credential();
  Result<http::Response> send_following_redirects(http::Request request, const http::BodySink* sink,
                                                  const http::HeadCheck* head_check, const RegistryCall& call);
  std::string where(const RegistryCall& call) const;

  std::string registry_;
  std::string api_host_;
  RegistryOptions options_;
  std::shared_ptr<http::Transport> transport_;

  mutable std::mutex mutex_;
  bool pinged_ = false;
  std::string scheme_;
  std::optional<Challenge> challenge_;
  bool credential_loaded_ = false;
  std::optional<Credential> credential_;
  struct CachedToken {
    std::string header;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, CachedToken> tokens_;  // by the space-joined scopes
  std::string refresh_token_;
  std::optional<bool> referrers_api_;
};

}  // namespace cairn::oci
