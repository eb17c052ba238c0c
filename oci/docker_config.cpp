#include "oci/docker_config.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/base64.h"
#include "core/log.h"
#include "oci/credential_helper.h"

namespace cairn::oci {

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxConfigBytes = 4 << 20;
// Docker Hub's credentials live under this key, whatever name the user typed.
constexpr std::string_view kDockerHubKey = "https://index.docker.io/v1/";

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

bool only_whitespace(std::string_view bytes) {
  return bytes.find_first_not_of(" \t\r\n") == std::string_view::npos;
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

// The config file is indented with tabs, as docker writes it.
Result<std::string> serialize(const json& doc, const std::string& path) {
  try {
    return doc.dump(1, '\t') + "\n";
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
      if (!credential->empty()) config.auths_[key] = std::move(*credential);
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
std::optional<CredentialHelper> helper_for(const std::map<std::string, std::string>& cred_helpers,
                                           const std::string& creds_store, const std::string& host, const std::string& path) {
  std::string key = server_key(host);
  for (const std::string& candidate : {key, host})
    if (auto it = cred_helpers.find(candidate); it != cred_helpers.end()) return CredentialHelper(it->second, "credHelpers", path);
  if (is_docker_hub(host))
    for (const auto& [registry, name] : cred_helpers)
      if (key_names(registry, host)) return CredentialHelper(name, "credHelpers", path);
  if (!creds_store.empty()) return CredentialHelper(creds_store, "credsStore", path);
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
  if (auto helper = helper_for(cred_helpers_, creds_store_, *host, path_))
    return helper->get(key, registry);
  if (auto exact = auths_.find(key); exact != auths_.end()) return std::optional<Credential>(exact->second);
  // Legacy keys ("https://host/v1/", "http://host", "host/") name the same registry.
  for (const auto& [entry_key, credential] : auths_)
    if (key_names(entry_key, *host)) return std::optional<Credential>(credential);
  return std::optional<Credential>();
}

Status DockerConfig::store(const std::string& registry, const Credential& credential) {
  auto host = registry_host(registry);
  if (!host) return std::unexpected(host.error());
  if (credential.empty()) return usage_error("no credential to store for " + registry);
  std::string key = server_key(*host);
  json doc = editable_document(json_text_);
  if (!doc.contains("auths") || !doc["auths"].is_object()) doc["auths"] = json::object();
  json entry = doc["auths"].contains(key) && doc["auths"][key].is_object() ? doc["auths"][key] : json::object();
  for (const char* field : {"auth", "username", "password", "identitytoken", "registrytoken"}) entry.erase(field);

  if (auto helper = helper_for(cred_helpers_, creds_store_, *host, path_)) {
    if (auto stored = helper->store(key, credential, registry); !stored) return stored;
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
  if (auto helper = helper_for(cred_helpers_, creds_store_, *host, path_)) {
    auto erased = helper->erase(key, registry);
    if (!erased) return std::unexpected(erased.error());
    removed = *erased;
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
