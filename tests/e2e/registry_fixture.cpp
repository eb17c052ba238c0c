#include "tests/e2e/registry_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/e2e/e2e_support.h"

extern char** environ;

namespace cairn::e2e {

namespace {

// The Debian interpreter: it has python3-cryptography (a pyenv python on PATH may not).
constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";
constexpr auto kStartupWait = std::chrono::seconds(15);

std::string tools_dir() { return CAIRN_SOURCE_DIR "/tests/e2e/tools"; }

std::string make_temp_dir(const std::string& label) {
  std::string templ = (fs::temp_directory_path() / ("cairn-" + label + "-XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) return "";
  return templ;
}

// The status code of GET `path` on 127.0.0.1:port, or 0 when nothing answers.
int http_status(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int status = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buf[64] = {};
      ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      // "HTTP/1.x NNN ..."
      if (n >= 12 && std::strncmp(buf, "HTTP/1.", 7) == 0) status = std::atoi(buf + 9);
    }
  }
  ::close(fd);
  return status;
}

std::string tail_of(const std::string& path, std::size_t bytes = 4000) {
  std::string text = read_file(path);
  return text.size() > bytes ? "..." + text.substr(text.size() - bytes) : text;
}

// Writes through a temporary file and a rename, so a reader never sees half a file.
void write_atomically(const std::string& path, const std::string& data) {
  write_file(path + ".tmp", data);
  std::error_code ec;
  fs::rename(path + ".tmp", path, ec);
  if (ec) ADD_FAILURE() << "cannot rename " << path << ".tmp: " << ec.message();
}

// Waits for the port number a tool prints as its first stdout line. 0 on failure.
int wait_for_port_line(ChildProcess& child, const std::string& stdout_file) {
  auto deadline = std::chrono::steady_clock::now() + kStartupWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = read_file(stdout_file);
    if (auto nl = out.find('\n'); nl != std::string::npos) return std::atoi(out.substr(0, nl).c_str());
    if (!child.running()) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

}  // namespace

// TestRegistry::launch retries with another port when the registry loses this race.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}


// --- ChildProcess ------------------------------------------------------------------

std::string ChildProcess::spawn(const std::vector<std::string>& argv, const std::string& stdout_file,
                                const std::string& stderr_file, const std::vector<std::string>& extra_env) {
  int out = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  // stdin is an empty pipe, not /dev/null: on CI /dev/null is a regular file with junk in it.
  int stdin_pipe[2] = {-1, -1};
  std::string error;
  if (out < 0 || err < 0) error = "cannot open " + stdout_file + " or " + stderr_file + ": " + std::strerror(errno);
  if (error.empty() && ::pipe2(stdin_pipe, O_CLOEXEC) != 0) error = std::string("pipe: ") + std::strerror(errno);
  if (error.empty()) {
    ::close(stdin_pipe[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so the destructor can kill it and anything it started.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);

    std::vector<std::string> args = argv;
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> c_args, c_env;
    for (auto& a : args) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    for (auto& e : env) c_env.push_back(e.data());
    c_env.push_back(nullptr);
    int rc = ::posix_spawn(&pid_, args[0].c_str(), &actions, &attr, c_args.data(), c_env.data());
    if (rc != 0) {
      pid_ = -1;
      error = "cannot start " + args[0] + ": " + std::strerror(rc);
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(stdin_pipe[0]);
  }
  if (out >= 0) ::close(out);
  if (err >= 0) ::close(err);
  return error;
}

// True once the program has exited. It stays a zombie (WNOWAIT), so its pid, and with it
// the process group id, cannot be reused before the group is killed and it is reaped.
static bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

void ChildProcess::reap() {
  ::kill(-pid_, SIGKILL);  // whatever it left behind in its group
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  if (!has_exited(pid_)) return true;
  reap();
  return false;
}

void ChildProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline && !has_exited(pid_))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  reap();
}

ChildProcess::~ChildProcess() { stop(); }

// --- TestRegistry ------------------------------------------------------------------

std::unique_ptr<TestRegistry> TestRegistry::start(Auth auth) {
  std::unique_ptr<TestRegistry> registry(new TestRegistry());
  registry->auth_ = auth;
  registry->root_ = make_temp_dir("registry");
  if (registry->root_.empty()) {
    ADD_FAILURE() << "cannot create a temporary directory for the registry: " << std::strerror(errno);
    return nullptr;
  }
  std::string error = registry->launch();
  if (!error.empty()) {
    ADD_FAILURE() << "test registry did not start: " << error;
    return nullptr;
  }
  return registry;
}

std::string TestRegistry::launch() {
  const std::string storage = root_ + "/storage";
  std::error_code ec;
  fs::create_directories(storage, ec);
  std::string auth_config;
  if (auth_ == Auth::Basic) {
    const std::string htpasswd = root_ + "/htpasswd";
    RunResult r = run_program("/usr/bin/htpasswd", {"-Bbc", htpasswd, kUser, kPassword});
    if (r.exit_code != 0) return "htpasswd -Bbc failed (apt-get install apache2-utils): " + r.describe();
    auth_config = "auth:\n  htpasswd:\n    realm: cairn-test-registry\n    path: " + htpasswd + "\n";
  } else if (auth_ == Auth::Token) {
    const std::string dir = root_ + "/token";
    fs::create_directories(dir, ec);
    std::string spawn_error = token_server_.spawn(
        {kPython, tools_dir() + "/token_server.py", "--key", dir + "/key.pem", "--cert", dir + "/cert.pem",
         "--request-log", dir + "/requests.log", "--issuer", kIssuer, "--user", kUser},
        dir + "/server.out", dir + "/server.err", {std::string("CAIRN_TOKEN_PASSWORD=") + kPassword});
    if (!spawn_error.empty()) return spawn_error;
    token_port_ = wait_for_port_line(token_server_, dir + "/server.out");
    if (token_port_ <= 0) return "token_server.py did not report its port; its output:\n" + tail_of(dir + "/server.err");
    auth_config = "auth:\n  token:\n    realm: " + token_realm() + "\n    service: " + kService +
                  "\n    issuer: " + kIssuer + "\n    rootcertbundle: " + dir + "/cert.pem\n";
  }

  std::string last_log;
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    if (port_ == 0) return std::string("cannot find a free port: ") + std::strerror(errno);
    // Like shared/lab/start-registry.sh: no blob-descriptor cache, so tests may change
    // storage under a running registry; no upload purging.
    std::string config = "version: 0.1\nlog:\n  level: info\n  formatter: text\nstorage:\n  filesystem:\n"
                         "    rootdirectory: " + storage + "\n  delete:\n    enabled: true\n  maintenance:\n"
                         "    uploadpurging:\n      enabled: false\nhttp:\n  addr: 127.0.0.1:" + std::to_string(port_) +
                         "\n  secret: cairn-test-" + std::to_string(port_) + "-" + std::to_string(::getpid()) +
                         "\n  headers:\n    X-Content-Type-Options: [nosniff]\n" + auth_config;
    const std::string config_path = root_ + "/config.yml";
    write_file(config_path, config);
    const std::string log_path = root_ + "/registry.log";
    std::string spawn_error = registry_.spawn({kRegistryBinary, "serve", config_path}, log_path, log_path);
    if (!spawn_error.empty()) return spawn_error + " (apt-get install docker-registry)";
    auto deadline = std::chrono::steady_clock::now() + kStartupWait;
    while (std::chrono::steady_clock::now() < deadline && registry_.running()) {
      int status = http_status(port_, "/v2/");
      if (status == 200 || status == 401) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    registry_.stop();
    last_log = tail_of(log_path);
    if (last_log.find("address already in use") == std::string::npos) break;
  }
  return "docker-registry did not answer GET /v2/ within 15 s; log tail:\n" + last_log;
}

TestRegistry::~TestRegistry() {
  registry_.stop();
  token_server_.stop();
  if (!root_.empty()) remove_tree(root_);
}

std::string TestRegistry::host() const { return "127.0.0.1:" + std::to_string(port_); }
std::string TestRegistry::data_dir() const { return root_ + "/storage"; }
std::string TestRegistry::log() const { return tail_of(root_ + "/registry.log"); }

std::string TestRegistry::token_realm() const {
  return auth_ == Auth::Token ? "http://127.0.0.1:" + std::to_string(token_port_) + "/token" : "";
}

std::string TestRegistry::token_log() const {
  return auth_ == Auth::Token ? read_file(root_ + "/token/requests.log") : "";
}

int TestRegistry::token_requests(const std::string& scope) const {
  std::istringstream in(token_log());
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    auto first = line.find('\t');
    auto second = line.find('\t', first == std::string::npos ? first : first + 1);
    if (second == std::string::npos) continue;
    std::string method = line.substr(0, first);
    if ((method == "GET" || method == "POST") && line.substr(second + 1) == scope) ++count;
  }
  return count;
}

// --- RegistryProxy -----------------------------------------------------------------

std::unique_ptr<RegistryProxy> RegistryProxy::start(const std::string& upstream_host, const Options& options) {
  std::unique_ptr<RegistryProxy> proxy(new RegistryProxy());
  proxy->root_ = make_temp_dir("registry-proxy");
  if (proxy->root_.empty()) {
    ADD_FAILURE() << "cannot create a temporary directory for the proxy: " << std::strerror(errno);
    return nullptr;
  }
  proxy->set_faults(options.faults_json.empty() ? "[]" : options.faults_json);
  write_file(proxy->root_ + "/requests.log", "");
  std::vector<std::string> argv{kPython, tools_dir() + "/registry_proxy.py", "--upstream", upstream_host,
                                "--log", proxy->root_ + "/requests.log", "--faults", proxy->root_ + "/faults.json"};
  if (options.referrers_api) argv.push_back("--referrers-api");
  std::string error = proxy->process_.spawn(argv, proxy->root_ + "/proxy.out", proxy->root_ + "/proxy.err");
  if (error.empty()) {
    proxy->port_ = wait_for_port_line(proxy->process_, proxy->root_ + "/proxy.out");
    if (proxy->port_ <= 0) error = "registry_proxy.py did not report its port; its output:\n" + proxy->output();
  }
  if (!error.empty()) {
    ADD_FAILURE() << "registry proxy did not start: " << error;
    return nullptr;
  }
  return proxy;
}

RegistryProxy::~RegistryProxy() {
  process_.stop();
  if (!root_.empty()) remove_tree(root_);
}

std::string RegistryProxy::host() const { return "127.0.0.1:" + std::to_string(port_); }
std::string RegistryProxy::request_log() const { return read_file(root_ + "/requests.log"); }
std::string RegistryProxy::output() const { return tail_of(root_ + "/proxy.err"); }

void RegistryProxy::clear_request_log() {
  // The proxy appends (O_APPEND) line by line, so truncating in place is safe.
  std::error_code ec;
  fs::resize_file(root_ + "/requests.log", 0, ec);
  if (ec) ADD_FAILURE() << "cannot truncate the proxy's request log: " << ec.message();
}

void RegistryProxy::set_faults(const std::string& faults_json) { write_atomically(root_ + "/faults.json", faults_json); }

}  // namespace cairn::e2e
