#include "oci/registry_client.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "core/base64.h"
#include "core/log.h"

namespace cairn::oci {

namespace {

bool retryable_status(int status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }
bool redirect_status(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// Retry-After: delta-seconds or an HTTP-date; nullopt when absent or unreadable.
std::optional<double> retry_after_seconds(const std::string& value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }) && value.size() < 9)
    return std::stod(value);
  std::tm tm{};
  if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
    auto when = timegm(&tm);
    auto now = std::time(nullptr);
    return when > now ? static_cast<double>(when - now) : 0.0;
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

void sleep_seconds(double seconds) { std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(seconds * 1000))); }

double jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 0.25)(rng);
}

}  // namespace

RegistryClient::RegistryClient(std::string registry, RegistryOptions options, std::shared_ptr<http::Transport> transport)
    : registry_(std::move(registry)), options_(std::move(options)), transport_(std::move(transport)) {
  api_host_ = registry_ == "docker.io" ? "registry-1.docker.io" : registry_;
}

Result<std::shared_ptr<RegistryClient>> RegistryClient::create(const std::string& registry, const RegistryOptions& options) {
  std::shared_ptr<http::Transport> transport = options.transport_override;
  if (!transport) {
    auto transport_options = options.transport;
    for (const auto& host : options.insecure_registries) transport_options.unverified_tls.insert(host);
    transport = http::make_transport(transport_options);
  }
  return std::shared_ptr<RegistryClient>(new RegistryClient(registry, options, std::move(transport)));
}

std::optional<bool> RegistryClient::referrers_api() const {
  std::lock_guard lock(mutex_);
  return referrers_api_;
}

void RegistryClient::set_referrers_api(bool supported) {
  std::lock_guard lock(mutex_);
  referrers_api_ = supported;
}

std::string RegistryClient::where(const RegistryCall& call) const {
  return call.operation + " (" + registry_ + (call.repository.empty() ? "" : "/" + call.repository) + ")";
}

std::string RegistryClient::describe_failure(const http::Response& response) {
  std::string out = "HTTP " + std::to_string(response.status);
  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  if (!doc.is_discarded() && doc.is_object() && doc.contains("errors") && doc["errors"].is_array()) {
    int shown = 0;
    for (const auto& e : doc["errors"]) {
      if (!e.is_object() || ++shown > 3) break;
      std::string code = e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
      std::string message = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
      out += (shown == 1 ? " " : "; ") + code + (message.empty() ? "" : ": " + message);
    }
  } else if (!response.body.empty() && response.body.size() < 300) {
    out += ": " + response.body;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return log::printable(out);
}

Error RegistryClient::failure(const RegistryCall& call, const http::Response& response) const {
  return Error{ErrorKind::Input, where(call) + ": " + describe_failure(response), retryable_status(response.status)};
}

Status RegistryClient::ensure_pinged() {
  std::lock_guard lock(mutex_);
  if (pinged_) return {};
  bool may_be_plain = http::is_loopback_host(api_host_.substr(0, api_host_.rfind(':') == std::string::npos ? api_host_.size() : api_host_.rfind(':'))) ||
                      options_.insecure_registries.count(registry_) || options_.insecure_registries.count(api_host_);
  std::vector<std::string> schemes = {"https"};
  if (may_be_plain) schemes.push_back("http");
  Error last;
  for (const auto& scheme : schemes) {
    auto url = http::Url::parse(scheme + "://" + api_host_ + "/v2/");
    if (!url) return std::unexpected(url.error());
    http::Request request;
    request.url = *url;
    Result<http::Response> response = std::unexpected(Error{});
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      response = transport_->send(request);
      if (response || !response.error().transient || scheme == "https") break;
      sleep_seconds(std::min(options_.max_backoff_seconds, 0.2 * attempt));
    }
    if (!response) {
      last = response.error();
      // Plain HTTP is tried only when TLS did not happen at all (the server speaks HTTP);
      // a certificate that fails verification is reported, never worked around.
      if (!last.transient) break;
      continue;
    }
    scheme_ = scheme;
    pinged_ = true;
    if (response->status == 401) {
      auto header = response->header("WWW-Authenticate");
      auto challenges = parse_challenges(header);
      if (!challenges) return std::unexpected(challenges.error().context("registry " + registry_));
      for (const auto& c : *challenges)
        if (c.scheme == "bearer" || (c.scheme == "basic" && !challenge_)) challenge_ = c;
    }
    return {};
  }
  std::string hint = may_be_plain ? "" : " (plain HTTP is used only for loopback hosts and hosts named with --insecure-registry)";
  return std::unexpected(Error{ErrorKind::Input, "cannot reach registry " + registry_ + ": " + last.message + hint, last.transient});
}

Result<std::optional<Credential>> RegistryClient::credential() {
  if (credential_loaded_) return credential_;
  if (options_.credential) {
    credential_ = options_.credential;
    credential_loaded_ = true;
    return credential_;
  }
  auto config = DockerConfig::load(options_.docker_config_dir);
  if (!config) return std::unexpected(config.error());
  auto found = config->lookup(registry_);
  if (!found) return std::unexpected(found.error());
  credential_ = *found;
  credential_loaded_ = true;
  return credential_;
}

Result<std::string> RegistryClient::fetch_token(const std::vector<std::string>& scopes) {
  const auto& params = challenge_->params;
  auto realm_it = params.find("realm");
  if (realm_it == params.end() || realm_it->second.empty())
    return input_error("registry " + registry_ + " asks for a bearer token but names no realm in its WWW-Authenticate challenge");
  auto realm = http::Url::parse(realm_it->second);
  if (!realm) return std::unexpected(realm.error().context("registry " + registry_ + " token realm"));
  auto cred = credential();
  if (!cred) return std::unexpected(cred.error());
  bool realm_plain_ok = http::is_loopback_host(realm->host) || options_.insecure_registries.count(realm->authority()) ||
                        options_.insecure_registries.count(realm->host);
  if (realm->scheme == "http" && *cred && !realm_plain_ok)
    return input_error("registry " + registry_ + " sends its token requests to " + realm->origin() +
                       " over plain HTTP; cairn will not send credentials there");
  std::string service = params.count("service") ? params.at("service") : "";
  http::Request request;
  if (*cred && !(*cred)->identity_token.empty()) {
    // OAuth2 refresh-token grant, as docker does with an identity token.
    request.method = "POST";
    request.url = *realm;
    request.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    request.body = "grant_type=refresh_token&client_id=cairn&service=" + url_encode(service) +
                   "&scope=" + url_encode(join(scopes, " ")) + "&refresh_token=" + url_encode((*cred)->identity_token);
  } else {
    std::string query = "service=" + url_encode(service);
    for (const auto& s : scopes) query += "&scope=" + url_encode(s);
    request.url = *realm;
    request.url.target += (request.url.target.find('?') == std::string::npos ? "?" : "&") + query;
    if (*cred) request.headers.emplace("Authorization", "Basic " + base64_encode((*cred)->username + ":" + (*cred)->password));
  }
  Result<http::Response> response = std::unexpected(Error{});
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    response = transport_->send(request);
    bool again = response ? retryable_status(response->status) : response.error().transient;
    if (!again || attempt == options_.max_attempts) break;
    sleep_seconds(std::min(options_.max_backoff_seconds, 0.25 * (1 << attempt)) + jitter());
  }
  std::string where = "token server " + realm->origin() + " for registry " + registry_;
  if (!response) return std::unexpected(response.error().context(where));
  if (response->status == 401 || response->status == 403)
    return input_error(where + " refused " + (*cred ? "the stored credentials" : "an anonymous request") + " (" +
                       describe_failure(*response) + ")" +
                       (*cred ? "; log in again with `cairn login " + registry_ + "`" : "; log in with `cairn login " + registry_ + "`"));
  if (response->status != 200) return input_error(where + ": " + describe_failure(*response));
  auto answer = parse_token_answer(response->body, where);
  if (!answer) return std::unexpected(answer.error());
  auto key = join(scopes, " ");
  tokens_[key] = {"Bearer " + answer->token,
                  std::chrono::steady_clock::now() + std::chrono::seconds(std::max(answer->expires_in - 10, 30))};
  return tokens_[key].header;
}

Status RegistryClient::check_credentials() {
  if (auto pinged = ensure_pinged(); !pinged) return pinged;
  {
    std::lock_guard lock(mutex_);
    if (!challenge_) return {};
    if (challenge_->scheme == "bearer") {
      auto token = fetch_token({});
      if (!token) return std::unexpected(token.error());
      return {};
    }
  }
  RegistryCall call;
  call.operation = "logging in";
  call.path = "/v2/";
  auto response = this->call(call);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return std::unexpected(failure(call, *response));
  return {};
}

Result<std::string> RegistryClient::authorization_for(const std::vector<std::string>& scopes, bool force_refresh) {
  std::lock_guard lock(mutex_);
  if (!challenge_) return std::string();
  if (challenge_->scheme == "basic") {
    auto cred = credential();
    if (!cred) return std::unexpected(cred.error());
    if (!*cred) return std::string();
    return "Basic " + base64_encode((*cred)->username + ":" + (*cred)->password);
  }
  if (challenge_->scheme != "bearer")
    return input_error("registry " + registry_ + " asks for \"" + challenge_->scheme +
                       "\" authentication, which cairn does not speak (it speaks Basic and Bearer)");
  auto key = join(scopes, " ");
  auto it = tokens_.find(key);
  if (!force_refresh && it != tokens_.end() && it->second.expires > std::chrono::steady_clock::now()) return it->second.header;
  return fetch_token(scopes);
}

Result<http::Response> RegistryClient::send_following_redirects(http::Request request, const http::BodySink* sink,
                                                                 const http::HeadCheck* head_check, const RegistryCall& call) {
  for (int hop = 0;; ++hop) {
    // The body goes to the sink only for the final answer; redirects carry none worth keeping.
    auto response = transport_->send(request, sink, head_check);
    if (!response) return response;
    if (!redirect_status(response->status)) return response;
    if (hop >= 5) return input_error(where(call) + ": more than 5 redirects");
    auto location = response->header("Location");
    if (location.empty()) return input_error(where(call) + ": HTTP " + std::to_string(response->status) + " without a Location");
    auto next = http::resolve_url(request.url, location);
    if (!next) return std::unexpected(next.error().context(where(call) + ": redirect"));
    if (next->scheme == "http" && request.url.scheme == "https")
      return input_error(where(call) + ": the registry redirects from HTTPS to plain HTTP (" + next->origin() + "); refused");
    // Credentials for the registry are not for the blob store it redirects to.
    if (next->origin() != request.url.origin()) request.headers.erase("Authorization");
    if (response->status == 303) {
      request.method = "GET";
      request.body.clear();
      request.body_stream = nullptr;
    }
    request.url = *next;
  }
}

Result<http::Response> RegistryClient::call(const RegistryCall& call) {
  if (auto pinged = ensure_pinged(); !pinged) return std::unexpected(pinged.error());
  std::vector<std::string> scopes;
  if (!call.repository.empty()) scopes.push_back("repository:" + call.repository + ":" + call.actions);
  scopes.insert(scopes.end(), call.extra_scopes.begin(), call.extra_scopes.end());
  auto auth = authorization_for(scopes, false);
  if (!auth) return std::unexpected(auth.error());

  http::Request request;
  request.method = call.method;
  if (call.path.find("://") != std::string::npos) {
    auto url = http::Url::parse(call.path);
    if (!url) return std::unexpected(url.error().context(where(call)));
    request.url = *url;
  } else {
    auto url = http::Url::parse(scheme_ + "://" + api_host_ + call.path);
    if (!url) return std::unexpected(url.error().context(where(call)));
    request.url = *url;
  }
  request.headers = call.headers;
  request.body = call.body;
  request.body_stream = call.body_stream;
  request.body_size = call.body_size;

  // A download that breaks is resumed where it stopped with a Range request; a server
  // that ignores the Range (200) has its first `skip` bytes dropped.
  std::uint64_t delivered = 0;
  std::uint64_t skip = 0;
  http::BodySink counting = [&](const char* data, std::size_t size) {
    if (skip) {
      auto drop = std::min<std::uint64_t>(skip, size);
      skip -= drop;
      data += drop;
      size -= drop;
      if (!size) return true;
    }
    delivered += size;
    return (*call.sink)(data, size);
  };

  bool reauthenticated = false;
  for (int attempt = 1;; ++attempt) {
    http::Request r = request;
    if (!auth->empty()) r.headers.erase("Authorization"), r.headers.emplace("Authorization", *auth);
    if (call.sink && delivered) r.headers.emplace("Range", "bytes=" + std::to_string(delivered) + "-");
    bool resumed = call.sink && delivered;
    std::uint64_t resume_at = delivered;
    http::HeadCheck check = [&](const http::Response& head) {
      if (!resumed) return true;
      if (head.status == 200) skip = resume_at;  // the server ignored the Range
      if (head.status == 206) {
        auto range = head.header("Content-Range");  // "bytes START-END/TOTAL"
        return range.starts_with("bytes " + std::to_string(resume_at) + "-");
      }
      return true;
    };
    auto response = send_following_redirects(r, call.sink ? &counting : nullptr, &check, call);
    if (!response) {
      if (call.retry && response.error().transient && attempt < options_.max_attempts) {
        double wait = std::min(options_.max_backoff_seconds, 0.25 * (1 << attempt)) + jitter();
        log::info(where(call) + ": " + response.error().message + "; retrying in " + std::to_string(wait).substr(0, 4) + " s (attempt " +
                  std::to_string(attempt + 1) + " of " + std::to_string(options_.max_attempts) + ")");
        sleep_seconds(wait);
        continue;
      }
      return std::unexpected(response.error().context(where(call)));
    }
    if (response->status == 401 && !reauthenticated) {
      reauthenticated = true;
      {
        std::lock_guard lock(mutex_);
        auto challenges = parse_challenges(response->header("WWW-Authenticate"));
        if (challenges)
          for (const auto& c : *challenges)
            if (c.scheme == "bearer" || c.scheme == "basic") challenge_ = c;
      }
      auth = authorization_for(scopes, true);
      if (!auth) return std::unexpected(auth.error());
      continue;
    }
    if (response->status == 401 || response->status == 403) {
      bool have_credential = false;
      {
        std::lock_guard lock(mutex_);
        auto cred = credential();
        have_credential = cred && *cred;
      }
      std::string advice = have_credential ? "; the stored credentials for " + registry_ + " do not allow " + call.actions + " on " + call.repository
                                           : "; log in with `cairn login " + registry_ + "`";
      return std::unexpected(Error{ErrorKind::Input, where(call) + ": " + describe_failure(*response) + advice, false});
    }
    if (retryable_status(response->status) && call.retry && attempt < options_.max_attempts) {
      auto after = retry_after_seconds(response->header("Retry-After"));
      double wait = after ? std::min(*after, 60.0) : std::min(options_.max_backoff_seconds, 0.25 * (1 << attempt)) + jitter();
      log::info(where(call) + ": " + describe_failure(*response) + "; retrying in " + std::to_string(wait).substr(0, 4) + " s");
      sleep_seconds(wait);
      continue;
    }
    return response;
  }
}

}  // namespace cairn::oci
