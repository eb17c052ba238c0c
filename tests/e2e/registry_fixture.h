#pragma once
// Real registries for the registry e2e tests: Debian's docker-registry (distribution 2.8)
// on 127.0.0.1 with its own temporary storage, optionally behind HTTP Basic or token auth
// (tests/e2e/tools/token_server.py issues the tokens), and tests/e2e/tools/registry_proxy.py
// in front of one to log requests, inject faults and stand in for the OCI 1.1 referrers API.
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace cairn::e2e {

// A loopback port nobody listens on right now (the kernel's pick for port 0), or 0. Another
// process may take it before the caller binds it.
int free_port();

// A program started in its own process group; the group is killed and the program reaped
// on destruction.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // stdin an empty pipe; stdout and stderr appended to the files. Empty string on success,
  // else why the program could not be started.
  std::string spawn(const std::vector<std::string>& argv, const std::string& stdout_file,
                    const std::string& stderr_file, const std::vector<std::string>& extra_env = {});
  bool running();
  void stop();
  pid_t pid() const { return pid_; }

 private:
  void reap();  // kills the group and waits for the program
  pid_t pid_ = -1;
};

class TestRegistry {
 public:
  enum class Auth { None, Basic, Token };
  static constexpr const char* kUser = "cairn-test";
  static constexpr const char* kPassword = "cairn-test-Pa55word";
  static constexpr const char* kService = "cairn-test-registry";
  static constexpr const char* kIssuer = "cairn-test-issuer";

  // Starts a registry on a free port; on failure ADD_FAILURE() with the log tail and
  // returns nullptr.
  static std::unique_ptr<TestRegistry> start(Auth auth = Auth::None);
  ~TestRegistry();  // kills the registry (and the token server), removes all data
  TestRegistry(const TestRegistry&) = delete;
  TestRegistry& operator=(const TestRegistry&) = delete;

  std::string host() const;      // "127.0.0.1:PORT"
  std::string data_dir() const;  // the registry's storage root
  std::string log() const;       // the registry's log (its tail), for failure messages
  Auth auth() const { return auth_; }

  // Auth::Token only: "http://127.0.0.1:TPORT/token".
  std::string token_realm() const;
  // Auth::Token only: the token server's request log, one line per requested scope:
  // "METHOD<TAB>account<TAB>scope" (METHOD GET, POST, GET-refused or POST-refused;
  // account "-" when anonymous; scope "-" when none was asked for).
  std::string token_log() const;
  // How many granted token requests (GET or POST) asked for `scope`.
  int token_requests(const std::string& scope) const;

 private:
  TestRegistry() = default;
  std::string launch();

  Auth auth_ = Auth::None;
  std::string root_;  // temp dir holding config, log, storage, htpasswd, token material
  int port_ = 0;
  int token_port_ = 0;
  ChildProcess registry_;
  ChildProcess token_server_;
};

class RegistryProxy {
 public:
  struct Options {
    bool referrers_api = false;  // act as the OCI 1.1 referrers API (a test double)
    std::string faults_json;     // initial fault rules (see tools/registry_proxy.py); empty: none
  };
  static std::unique_ptr<RegistryProxy> start(const std::string& upstream_host, const Options& options);
  ~RegistryProxy();
  RegistryProxy(const RegistryProxy&) = delete;
  RegistryProxy& operator=(const RegistryProxy&) = delete;

  std::string host() const;  // "127.0.0.1:PORT"
  // One line per request: "METHOD PATH STATUS range=… if-match=… authorization=Basic|Bearer|none fault=…".
  std::string request_log() const;
  void clear_request_log();
  // Replaces the fault rules; the proxy re-reads them on its next request.
  void set_faults(const std::string& faults_json);
  std::string output() const;  // the proxy's own stderr, for failure messages

 private:
  RegistryProxy() = default;

  std::string root_;
  int port_ = 0;
  ChildProcess process_;
};

}  // namespace cairn::e2e
