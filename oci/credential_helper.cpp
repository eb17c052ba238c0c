#include "oci/credential_helper.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/log.h"
#include "core/subprocess.h"

namespace cairn::oci {

using nlohmann::json;

namespace {

constexpr auto kHelperTimeout = std::chrono::seconds(30);
// What docker-credential-helpers print (exit status 1) when they hold nothing.
constexpr std::string_view kNotFoundMessage = "credentials not found in native keychain";

// What a failing helper said, fit for a message: trimmed, printable, bounded, and
// with any secret cairn gave it cut out.
std::string helper_message(const subprocess::Outcome& outcome, const std::vector<std::string>& secrets) {
  auto trim = [](std::string_view s) {
    auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string_view::npos) return std::string_view();
    return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
  };
  std::string text(trim(outcome.stdout_bytes));
  if (text.empty()) text = std::string(trim(outcome.stderr_bytes));
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
      text.replace(at, secret.size(), "***");
  }
  constexpr std::size_t kMax = 300;
  std::string shown = log::printable(text.substr(0, kMax));
  if (text.size() > kMax) shown += "...";
  return shown;
}

bool says_not_found(const subprocess::Outcome& outcome) {
  return outcome.stdout_bytes.find(kNotFoundMessage) != std::string::npos ||
         outcome.stderr_bytes.find(kNotFoundMessage) != std::string::npos;
}

}  // namespace

// A finished run: the helper's outcome, or that it said it holds nothing.
struct CredentialHelper::Run {
  subprocess::Outcome outcome;
  bool not_found = false;
};

// Runs `<program> <action>`; an error when it cannot start, hangs or exits non-zero
// (other than with the not-found message).
Result<CredentialHelper::Run> CredentialHelper::run(const std::string& action, const std::string& input,
                                                    const std::string& registry, const std::vector<std::string>& secrets) const {
  std::string who = "credential helper " + program() + " (" + source_ + " in " + config_path_ + ")";
  std::string what = who + ", " + action + " for " + registry;
  subprocess::Options options;
  options.stdin_bytes = input;
  options.timeout = kHelperTimeout;
  log::info("running " + program() + " " + action + " for " + registry);
  auto ran = subprocess::run(program(), {action}, options);
  if (!ran)
    return input_error(what + ": " + ran.error().message + "; install the helper or change " + source_ + " in " + config_path_);
  Run result{std::move(*ran)};
  const auto& o = result.outcome;
  if (o.timed_out)
    return input_error(what + ": no answer within " + std::to_string(kHelperTimeout.count()) +
                       " s (it may be waiting for a password prompt or a locked keychain); unlock it or run "
                       "the helper by hand to see what it waits for");
  if (o.exit_code != 0 && says_not_found(o)) {
    result.not_found = true;
    return result;
  }
  if (o.signal != 0) return input_error(what + ": killed by signal " + std::to_string(o.signal));
  if (o.exit_code != 0) {
    std::string said = helper_message(o, secrets);
    return input_error(what + ": exit status " + std::to_string(o.exit_code) + (said.empty() ? std::string() : ": " + said));
  }
  return result;
}

Result<std::optional<Credential>> CredentialHelper::get(const std::string& server_key, const std::string& registry) const {
  auto ran = run("get", server_key, registry, {});
  if (!ran) return std::unexpected(ran.error());
  if (ran->not_found) return std::optional<Credential>();
  const auto& out = ran->outcome;
  // Never quote the output: it is meant to hold a secret.
  std::string bad = "credential helper " + program() + " (" + source_ + " in " + config_path_ + "), get for " + registry + ": ";
  std::string expected = " (" + std::to_string(out.stdout_bytes.size()) +
                         " bytes); expected JSON {\"ServerURL\",\"Username\",\"Secret\"}; check the helper by "
                         "running it by hand";
  if (out.stdout_truncated) return input_error(bad + "its output is too large" + expected);
  json doc = json::parse(out.stdout_bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return input_error(bad + "its output is not a JSON object" + expected);
  std::string username, secret;
  for (auto [field, target] : {std::pair{"Username", &username}, std::pair{"Secret", &secret}}) {
    auto it = doc.find(field);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_string()) return input_error(bad + "field " + field + " is not a string" + expected);
    *target = it->get<std::string>();
  }
  Credential credential;
  if (username == kTokenUsername) {
    credential.identity_token = secret;
  } else {
    credential.username = username;
    credential.password = secret;
  }
  if (credential.empty()) return std::optional<Credential>();
  return std::optional<Credential>(std::move(credential));
}

Status CredentialHelper::store(const std::string& server_key, const Credential& credential, const std::string& registry) const {
  json input = {{"ServerURL", server_key}, {"Username", credential.username}, {"Secret", credential.password}};
  if (!credential.identity_token.empty()) {
    input["Username"] = std::string(kTokenUsername);
    input["Secret"] = credential.identity_token;
  }
  std::string text;
  try {
    text = input.dump();
  } catch (const json::exception&) {
    // Only a username or secret that is not UTF-8 gets here; the message names neither.
    return usage_error(program() + " input for " + registry + ": the credential is not valid UTF-8 text, which JSON cannot hold");
  }
  auto ran = run("store", text, registry, {credential.password, credential.identity_token});
  if (!ran) return std::unexpected(ran.error());
  if (ran->not_found)
    return input_error("credential helper " + program() + " (" + source_ + " in " + config_path_ + "), store for " + registry +
                       ": it answered \"" + std::string(kNotFoundMessage) + "\"");
  return {};
}

Result<bool> CredentialHelper::erase(const std::string& server_key, const std::string& registry) const {
  auto ran = run("erase", server_key, registry, {});
  if (!ran) return std::unexpected(ran.error());
  return !ran->not_found;
}

}  // namespace cairn::oci
