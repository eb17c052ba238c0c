#include "oci/docker_config.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/base64.h"
#include "core/log.h"
#include "core/subprocess.h"

namespace cairn::oci {

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxConfigBytes = 4 << 20;
constexpr auto kHelperTimeout = std::chrono::seconds(30);
// Docker Hub's credentials live under this key, whatever name the user typed.
constexpr std::string_view kDockerHubKey = "https://index.docker.io/v1/";
// A helper's Username "<token>" marks Secret as an identity (refresh) token.
constexpr std::string_view kTokenUsername = "<token>";
// What docker-credential-helpers print (exit status 1) when they hold nothing.
constexpr std::string_view kNotFoundMessage = "credentials not found in native keychain";

// The "auth" field is standard base64; some tools leave out the '=' padding, so it is
// restored before the strict decoder sees the text.
std::optional<std::string> decode_auth_field(std::string text) {
  if (text.size() % 4 == 1) return std::nullopt;
  while (text.size() % 4 != 0) text += '=';
  auto decoded = base64_decode(text);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

// ---------------------------------------------------------------------------------
// Registry names and config keys.

// docker/cli's ConvertToHostname: "https://host/v1/", "http://host" and "host/" all
// name "host".
std::string hostname_of(std::string_view key) {
  for (std::string_view scheme : {"https://", "http://"})
    if (key.starts_with(scheme)) {
      key.remove_prefix(scheme.size());
      break;
    }
  return std::string(key.substr(0, key.find('/')));
}

bool is_docker_hub(std::string_view host) {
  return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io";
}

// The key docker writes a registry's credential under (and hands to helpers).
std::string server_key(const std::string& host) { return is_docker_hub(host) ? std::string(kDockerHubKey) : host; }

// Whether a key found in the file names the registry `host`.
bool key_names(std::string_view key, const std::string& host) {
  std::string key_host = hostname_of(key);
  return key_host == host || (is_docker_hub(host) && is_docker_hub(key_host));
}

// File content quoted in a message: no control characters, bounded length.
std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kMax = 120;
  std::string shown = log::printable(text.substr(0, kMax));
  if (text.size() > kMax) shown += "...";
  return "\"" + shown + "\"";
}

// ---------------------------------------------------------------------------------
// Parsing.

Result<std::string> optional_string(const json& object, const char* field, const std::string& where) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return input_error(where + "." + field + " must be a string, not " + it->type_name());
  return it->get<std::string>();
}

// A helper name becomes the program docker-credential-<name>, looked up on PATH; a
// '/' would let the config run any file, so it is refused.
Status check_helper_name(const std::string& name, const std::string& where) {
  bool plain = !name.empty() && name.size() <= 200;
  for (char c : name)
    if (c == '/' || static_cast<unsigned char>(c) < 0x21 || c == 0x7f) plain = false;
  if (!plain)
    return input_error(where + ": " + quote_for_message(name) +
                       " is not a credential helper name (cairn runs docker-credential-<name> from PATH; "
                       "a name has no '/', spaces or control characters)");
  return {};
}

Result<Credential> parse_auth_entry(const json& entry, const std::string& where) {
  if (!entry.is_object()) return input_error(where + " must be an object, not " + entry.type_name());
  std::array<std::string, 6> fields;
  const char* names[] = {"auth", "username", "password", "identitytoken", "registrytoken", "email"};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto value = optional_string(entry, names[i], where);
    if (!value) return std::unexpected(value.error());
    fields[i] = std::move(*value);
  }
  auto& [auth, username, password, identity_token, registry_token, email] = fields;
  (void)email;  // checked for type only, as docker does
  Credential credential;
  if (!auth.empty()) {
    // Like docker: "auth" wins over "username"/"password" and must hold user:password.
    auto decoded = decode_auth_field(auth);
    if (!decoded)
      return input_error(where + ".auth is not valid base64 (expected base64 of user:password); run "
                         "`cairn login` again or fix the entry");
    auto colon = decoded->find(':');
    if (colon == std::string::npos || colon == 0)
      return input_error(where + ".auth does not decode to user:password; run `cairn login` again or fix the entry");
    credential.username = decoded->substr(0, colon);
    credential.password = decoded->substr(colon + 1);
    while (!credential.password.empty() && credential.password.back() == '\0') credential.password.pop_back();
  } else {
    credential.username = username;
    credential.password = password;
  }
  credential.identity_token = identity_token;
  // A registry token is a bearer token used as is; Credential carries it as the
  // password of the pseudo-user "<token>".
  if (!registry_token.empty()) {
    credential.username = std::string(kTokenUsername);
    credential.password = registry_token;
  }
  return credential;
}

bool is_empty(const Credential& c) { return c.username.empty() && c.password.empty() && c.identity_token.empty(); }

bool only_whitespace(std::string_view bytes) {
  return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// ---------------------------------------------------------------------------------
// Credential helpers.

struct Helper {
  std::string name;    // as configured; the program is docker-credential-<name>
  std::string source;  // "credHelpers" or "credsStore", for messages
};

std::string program_of(const Helper& helper) { return "docker-credential-" + helper.name; }

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

// Runs `<helper> <action>`; an error when it cannot start, hangs or exits non-zero
// (other than with the not-found message, reported as not_found).
struct HelperRun {
  subprocess::Outcome outcome;
  bool not_found = false;
};

Result<HelperRun> run_helper(const Helper& helper, const std::string& action, const std::string& input,
                             const std::string& registry, const std::string& config_path,
                             const std::vector<std::string>& secrets) {
  std::string program = program_of(helper);
  std::string who = "credential helper " + program + " (" + helper.source + " in " + config_path + ")";
  std::string what = who + ", " + action + " for " + registry;
  subprocess::Options options;
  options.stdin_bytes = input;
  options.timeout = kHelperTimeout;
  log::info("running " + program + " " + action + " for " + registry);
  auto ran = subprocess::run(program, {action}, options);
  if (!ran)
    return input_error(what + ": " + ran.error().message + "; install the helper or change " + helper.source +
                       " in " + config_path);
  HelperRun result{std::move(*ran)};
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
    return input_error(what + ": exit status " + std::to_string(o.exit_code) +
                       (said.empty() ? std::string() : ": " + said));
  }
  return result;
}

Result<std::optional<Credential>> helper_get(const Helper& helper, const std::string& key, const std::string& registry,
                                             const std::string& config_path) {
  auto ran = run_helper(helper, "get", key, registry, config_path, {});
  if (!ran) return std::unexpected(ran.error());
  if (ran->not_found) return std::optional<Credential>();
  const auto& out = ran->outcome;
  // Never quote the output: it is meant to hold a secret.
  std::string bad = "credential helper " + program_of(helper) + " (" + helper.source + " in " + config_path +
                    "), get for " + registry + ": ";
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
  if (username == kTokenUsername)
    credential.identity_token = secret;
  else {
    credential.username = username;
    credential.password = secret;
  }
  if (is_empty(credential)) return std::optional<Credential>();
  return std::optional<Credential>(std::move(credential));
}

// ---------------------------------------------------------------------------------
// Reading and writing the file.

Result<std::string> config_directory(const std::string& dir) {
  if (!dir.empty()) return dir;
  if (const char* env = std::getenv("DOCKER_CONFIG"); env && *env) return std::string(env);
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.docker";
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir)
    return std::string(pw->pw_dir) + "/.docker";
  return input_error("cannot find the Docker config: neither DOCKER_CONFIG nor HOME is set; set DOCKER_CONFIG");
}

// The file's bytes, or nullopt when it does not exist.
Result<std::optional<std::string>> read_config_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return input_error("cannot read " + path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return input_error(path + " is not a regular file; the Docker config must be a JSON file");
  }
  std::string bytes;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      return input_error("cannot read " + path + ": " + std::strerror(saved));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxConfigBytes) {
      ::close(fd);
      return input_error(path + ": larger than the " + std::to_string(kMaxConfigBytes) +
                         "-byte limit for a Docker config; is it the right file?");
    }
  }
  ::close(fd);
  return std::optional<std::string>(std::move(bytes));
}

// Creates the missing directories of `dir`, each 0700 (they will hold credentials).
Status make_directories(const fs::path& dir) {
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (part.empty() || part == partial.root_path()) continue;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return input_error("cannot create directory " + partial.string() + ": " + std::strerror(errno));
  }
  return {};
}

// Replaces the file atomically (temporary file in the same directory, then rename),
// mode 0600 whatever the old file's mode was. A symlinked config is written where the
// link points, as docker does, so dotfile setups keep their link.
Status write_config_file(const std::string& path, const std::string& text) {
  fs::path target = path;
  std::error_code ec;
  if (fs::is_symlink(target, ec)) {
    fs::path resolved = fs::canonical(target, ec);
    if (!ec) target = resolved;
  }
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (auto made = make_directories(dir); !made) return std::unexpected(made.error().context("writing " + path));
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return input_error("writing " + path + ": cannot create a temporary file in " + dir.string() + ": " +
                                 std::strerror(errno));
  auto fail_with = [&](const std::string& step) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return input_error("writing " + path + ": " + step + ": " + std::strerror(saved) +
                       "; check that the directory is writable and the disk is not full");
  };
  if (::fchmod(fd, 0600) != 0) return fail_with("setting mode 0600");
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail_with("write");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail_with("fsync");
  int closing = fd;
  fd = -1;
  if (::close(closing) != 0) return fail_with("close");
  if (::rename(temp.c_str(), target.c_str()) != 0) return fail_with("rename");
  if (int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

// The document to edit: the file as loaded (already validated), or an empty object.
json editable_document(const std::string& json_text) {
  if (only_whitespace(json_text)) return json::object();
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  return doc.is_object() ? doc : json::object();
}

// The config file is indented with tabs, as docker writes it; helper input is one line.
Result<std::string> serialize(const json& doc, const std::string& path, bool indented = true) {
  try {
    return indented ? doc.dump(1, '\t') + "\n" : doc.dump();
  } catch (const json::exception&) {
    // Only a username or secret that is not UTF-8 gets here; the message names neither.
    return usage_error("writing " + path + ": the credential is not valid UTF-8 text, which JSON cannot hold");
  }
}

}  // namespace

// -----------------------------------------------------------------------------------

Result<DockerConfig> parse_docker_config(std::string_view bytes, const std::string& path) {
  DockerConfig config;
  config.path_ = path;
  if (bytes.size() > kMaxConfigBytes)
    return input_error(path + ": larger than the " + std::to_string(kMaxConfigBytes) +
                       "-byte limit for a Docker config; is it the right file?");
  // Docker treats an empty file as an empty config.
  if (only_whitespace(bytes)) return config;
  json doc = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return input_error(path + ": not valid JSON; fix the file or move it away and run `cairn login` again");
  if (!doc.is_object())
    return input_error(path + ": expected a JSON object at the top level, not " + std::string(doc.type_name()));

  auto store = optional_string(doc, "credsStore", path + ": field");
  if (!store) return std::unexpected(store.error());
  if (!store->empty())
    if (auto ok = check_helper_name(*store, path + ": credsStore"); !ok) return std::unexpected(ok.error());
  config.creds_store_ = *store;

  if (auto helpers = doc.find("credHelpers"); helpers != doc.end() && !helpers->is_null()) {
    if (!helpers->is_object())
      return input_error(path + ": field credHelpers must be an object (registry -> helper name), not " +
                         std::string(helpers->type_name()));
    for (const auto& [registry, name] : helpers->items()) {
      std::string where = path + ": credHelpers[" + quote_for_message(registry) + "]";
      if (!name.is_string()) return input_error(where + " must be a string, not " + std::string(name.type_name()));
      if (auto ok = check_helper_name(name.get<std::string>(), where); !ok) return std::unexpected(ok.error());
      config.cred_helpers_[registry] = name.get<std::string>();
    }
  }

  if (auto auths = doc.find("auths"); auths != doc.end() && !auths->is_null()) {
    if (!auths->is_object())
      return input_error(path + ": field auths must be an object (registry -> credential), not " +
                         std::string(auths->type_name()));
    for (const auto& [key, entry] : auths->items()) {
      auto credential = parse_auth_entry(entry, path + ": auths[" + quote_for_message(key) + "]");
      if (!credential) return std::unexpected(credential.error());
      if (!is_empty(*credential)) config.auths_[key] = std::move(*credential);
    }
  }
  config.json_text_ = std::string(bytes);
  return config;
}

Result<DockerConfig> DockerConfig::load(const std::string& dir) {
  auto directory = config_directory(dir);
  if (!directory) return std::unexpected(directory.error());
  std::string path = (fs::path(*directory) / "config.json").string();
  auto bytes = read_config_file(path);
  if (!bytes) return std::unexpected(bytes.error());
  if (!*bytes) {
    DockerConfig empty;
    empty.path_ = path;
    return empty;
  }
  return parse_docker_config(**bytes, path);
}

namespace {

// The helper that holds a registry's credential: credHelpers (under the server key or
// the host name; for Docker Hub under any of its names), else credsStore.
std::optional<Helper> helper_for(const std::map<std::string, std::string>& cred_helpers, const std::string& creds_store,
                                 const std::string& host) {
  std::string key = server_key(host);
  for (const std::string& candidate : {key, host})
    if (auto it = cred_helpers.find(candidate); it != cred_helpers.end()) return Helper{it->second, "credHelpers"};
  if (is_docker_hub(host))
    for (const auto& [registry, name] : cred_helpers)
      if (key_names(registry, host)) return Helper{name, "credHelpers"};
  if (!creds_store.empty()) return Helper{creds_store, "credsStore"};
  return std::nullopt;
}

Result<std::string> registry_host(const std::string& registry) {
  std::string host = hostname_of(registry);
  if (host.empty()) return usage_error("no registry given (expected a host name such as ghcr.io or localhost:5000)");
  return host;
}

}  // namespace

Result<std::optional<Credential>> DockerConfig::lookup(const std::string& registry) const {
  auto host = registry_host(registry);
  if (!host) return std::unexpected(host.error());
  std::string key = server_key(*host);
  if (auto helper = helper_for(cred_helpers_, creds_store_, *host))
    return helper_get(*helper, key, registry, path_);
  if (auto exact = auths_.find(key); exact != auths_.end()) return std::optional<Credential>(exact->second);
  // Legacy keys ("https://host/v1/", "http://host", "host/") name the same registry.
  for (const auto& [entry_key, credential] : auths_)
    if (key_names(entry_key, *host)) return std::optional<Credential>(credential);
  return std::optional<Credential>();
}

Status DockerConfig::store(const std::string& registry, const Credential& credential) {
  auto host = registry_host(registry);
  if (!host) return std::unexpected(host.error());
  if (is_empty(credential)) return usage_error("no credential to store for " + registry);
  std::string key = server_key(*host);
  json doc = editable_document(json_text_);
  if (!doc.contains("auths") || !doc["auths"].is_object()) doc["auths"] = json::object();
  json entry = doc["auths"].contains(key) && doc["auths"][key].is_object() ? doc["auths"][key] : json::object();
  for (const char* field : {"auth", "username", "password", "identitytoken", "registrytoken"}) entry.erase(field);

  if (auto helper = helper_for(cred_helpers_, creds_store_, *host)) {
    // As docker does: an identity token goes to the helper as the secret of "<token>".
    json input = {{"ServerURL", key}, {"Username", credential.username}, {"Secret", credential.password}};
    if (!credential.identity_token.empty()) {
      input["Username"] = std::string(kTokenUsername);
      input["Secret"] = credential.identity_token;
    }
    auto text = serialize(input, program_of(*helper) + " input", /*indented=*/false);
    if (!text) return std::unexpected(text.error());
    auto ran = run_helper(*helper, "store", *text, registry, path_,
                          {credential.password, credential.identity_token});
    if (!ran) return std::unexpected(ran.error());
    if (ran->not_found)
      return input_error("credential helper " + program_of(*helper) + " (" + helper->source + " in " + path_ +
                         "), store for " + registry + ": it answered \"" + std::string(kNotFoundMessage) + "\"");
    // The file keeps an empty entry (docker's record of the login), never the secret.
  } else {
    if (credential.username.find(':') != std::string::npos)
      return usage_error("the username for " + registry +
                         " contains ':', which the config's \"auth\" field (base64 of user:password) cannot hold");
    if (!credential.username.empty() || !credential.password.empty())
      entry["auth"] = base64_encode(credential.username + ":" + credential.password);
    if (!credential.identity_token.empty()) entry["identitytoken"] = credential.identity_token;
  }
  doc["auths"][key] = std::move(entry);
  auto text = serialize(doc, path_);
  if (!text) return std::unexpected(text.error());
  if (auto written = write_config_file(path_, *text); !written) return written;
  auto reparsed = parse_docker_config(*text, path_);
  if (!reparsed) return std::unexpected(reparsed.error());
  *this = std::move(*reparsed);
  return {};
}

Result<bool> DockerConfig::erase(const std::string& registry) {
  auto host = registry_host(registry);
  if (!host) return std::unexpected(host.error());
  std::string key = server_key(*host);
  bool removed = false;
  if (auto helper = helper_for(cred_helpers_, creds_store_, *host)) {
    auto ran = run_helper(*helper, "erase", key, registry, path_, {});
    if (!ran) return std::unexpected(ran.error());
    removed = !ran->not_found;
  }
  json doc = editable_document(json_text_);
  auto auths = doc.find("auths");
  bool file_changed = false;
  if (auths != doc.end() && auths->is_object()) {
    std::vector<std::string> keys;
    for (const auto& [entry_key, entry] : auths->items())
      if (entry_key == key || key_names(entry_key, *host)) keys.push_back(entry_key);
    for (const auto& k : keys) auths->erase(k);
    file_changed = !keys.empty();
  }
  if (!file_changed) return removed;
  auto text = serialize(doc, path_);
  if (!text) return std::unexpected(text.error());
  if (auto written = write_config_file(path_, *text); !written) return std::unexpected(written.error());
  auto reparsed = parse_docker_config(*text, path_);
  if (!reparsed) return std::unexpected(reparsed.error());
  *this = std::move(*reparsed);
  return true;
}

}  // namespace cairn::oci
