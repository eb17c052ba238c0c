#include "tests/e2e/e2e_support.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace cairn::e2e {

namespace {

// A file to catch one output stream of a child; read back and removed afterwards.
struct CaptureFile {
  std::string path;
  int fd = -1;
  CaptureFile() {
    std::string templ = (fs::temp_directory_path() / "cairn-e2e-out-XXXXXX").string();
    fd = ::mkstemp(templ.data());
    path = templ;
  }
  ~CaptureFile() {
    if (fd >= 0) ::close(fd);
    ::unlink(path.c_str());
  }
  std::string contents() const { return read_file(path); }
};

std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (!overrides.contains(key)) env.push_back(entry);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

// The peak resident set of a live process's current program (VmHWM), or 0. Read from
// /proc because wait4's ru_maxrss also counts the parent's memory: posix_spawn's child
// shares the parent's address space until exec, and the kernel carries that peak over.
long peak_rss_kib_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string RunResult::describe() const {
  std::string d = "exit " + std::to_string(exit_code);
  if (signaled) d += " (signal)";
  if (timed_out) d += " (timed out)";
  std::string tail = err.size() > 2000 ? "..." + err.substr(err.size() - 2000) : err;
  return d + "; stderr: " + tail;
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args, const RunOptions& options) {
  RunResult result;
  CaptureFile out, err;
  if (out.fd < 0 || err.fd < 0) {
    ADD_FAILURE() << "cannot create capture files: " << std::strerror(errno);
    return result;
  }
  // stdin is an empty pipe, not /dev/null: on CI /dev/null was once a regular file holding
  // other programs' output, and cargo's rustc probe compiled it as Rust.
  int stdin_pipe[2];
  if (::pipe2(stdin_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "cannot create a pipe: " << std::strerror(errno);
    return result;
  }
  ::close(stdin_pipe[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd, STDERR_FILENO);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::string executable = program;
  if (options.address_space_limit_bytes) {
    // The shell sets the limit and execs the program in its place (same pid, so the
    // memory sampled below is the program's).
    executable = "/bin/sh";
    std::string script = "ulimit -v " + std::to_string(options.address_space_limit_bytes / 1024) + " && exec \"$0\" \"$@\"";
    argv_strings.insert(argv_strings.begin(), {"/bin/sh", "-c", script});
  }
  std::vector<std::string> env_strings = child_environment(options.env);
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);

  auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(stdin_pipe[0]);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << program << ": " << std::strerror(rc);
    return result;
  }
  int status = 0;
  auto deadline = start + std::chrono::seconds(options.timeout_seconds);
  for (;;) {
    // Polled every 2 ms; VmHWM only grows, so this misses at most the last interval.
    result.peak_rss_kib = std::max(result.peak_rss_kib, peak_rss_kib_of(pid));
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      ADD_FAILURE() << "wait4: " << std::strerror(errno);
      return result;
    }
    if (std::chrono::steady_clock::now() > deadline && !result.timed_out) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exit_code = 128 + WTERMSIG(status);
  }
  result.out = out.contents();
  result.err = err.contents();
  if (const char* verbose = std::getenv("CAIRN_E2E_VERBOSE"); verbose && *verbose) {
    std::string command;
    for (const auto& a : argv_strings) command += (command.empty() ? "" : " ") + a.substr(0, 200);
    std::fprintf(stderr, "[run] %s\n[run] exit %d, %.2f s, peak RSS %ld KiB\n%s", command.c_str(), result.exit_code,
                 result.seconds, result.peak_rss_kib, result.err.substr(0, 4000).c_str());
  }
  return result;
}

RunResult run_cairn(const std::vector<std::string>& args, RunOptions options) {
  options.env.try_emplace("SOURCE_DATE_EPOCH", "0");
  return run_program(CAIRN_BINARY, args, options);
}

TempDir::TempDir(const std::string& label) {
  std::string templ = (fs::temp_directory_path() / ("cairn-" + label + "-XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
  path_ = templ;
}

TempDir::~TempDir() {
  if (const char* keep = std::getenv("CAIRN_E2E_KEEP"); keep && *keep) {
    std::fprintf(stderr, "[e2e] kept %s\n", path_.c_str());
    return;
  }
  remove_tree(path_);
}

void remove_tree(const fs::path& path) {
  // GNU rm walks trees of any depth relative to directory descriptors, in linear time;
  // std::filesystem::remove_all is quadratic in depth.
  if (!path.empty()) run_program("/bin/rm", {"-rf", "--", path.string()});
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, const std::string& data) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

json load_json(const fs::path& path) { return parse_json(read_file(path), path.string()); }

json parse_json(const std::string& text, const std::string& what) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << what << " is not JSON: " << text.substr(0, 300);
    return nullptr;
  }
  return doc;
}

fs::path lab_dir() {
  const char* env = std::getenv("CAIRN_LAB");
  return env && *env ? fs::path(env) : fs::path("/tmp/cairn-lab");
}

std::string ensure_lab() {
  fs::path dir = lab_dir();
  std::error_code ec;
  if (fs::exists(dir / "truth" / "summary.tsv", ec)) return "";
  if (::geteuid() != 0)
    return "the lab " + dir.string() + " is not built (no truth/summary.tsv) and building it needs root: run " +
           CAIRN_SHARED_DIR "/lab/build-lab.sh " + dir.string() + " as root, or set CAIRN_LAB to a built lab";
  std::fprintf(stderr, "[e2e] building the lab in %s (about 4 minutes, once)\n", dir.c_str());
  RunOptions options;
  options.timeout_seconds = 1800;
  RunResult r = run_program("/bin/bash", {CAIRN_SHARED_DIR "/lab/build-lab.sh", dir.string()}, options);
  if (r.exit_code != 0 || !fs::exists(dir / "truth" / "summary.tsv", ec))
    return "build-lab.sh " + dir.string() + " failed: " + r.describe();
  return "";
}

RunResult validate_sbom(const std::vector<fs::path>& files) {
  RunOptions options;
  options.timeout_seconds = 600;  // the first run installs the validator's node modules
  options.env["VALIDATE_SBOM_CACHE"] = (fs::path(CAIRN_BINARY).parent_path() / "validate-sbom-cache").string();
  std::vector<std::string> args;
  for (const auto& f : files) args.push_back(f.string());
  return run_program(CAIRN_SHARED_DIR "/tools/validate-sbom", args, options);
}

std::string to_string(const PackageKey& key) {
  return std::get<0>(key) + " " + std::get<1>(key) + " " + std::get<2>(key);
}

std::set<PackageKey> read_dpkg_truth(const fs::path& tsv) {
  std::set<PackageKey> out;
  std::istringstream in(read_file(tsv));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream cols(line);
    std::string f;
    while (std::getline(cols, f, '\t')) fields.push_back(f);
    if (fields.size() < 3) {
      ADD_FAILURE() << tsv << ": malformed line: " << line;
      continue;
    }
    out.insert({fields[0], fields[1], fields[2]});
  }
  return out;
}

namespace {

std::string purl_qualifier(const std::string& purl, const std::string& key) {
  auto q = purl.find('?');
  if (q == std::string::npos) return "";
  std::string rest = purl.substr(q + 1);
  rest = rest.substr(0, rest.find('#'));
  std::istringstream in(rest);
  std::string pair;
  while (std::getline(in, pair, '&')) {
    if (pair.rfind(key + "=", 0) == 0) return pair.substr(key.size() + 1);
  }
  return "";
}

}  // namespace

std::string property(const json& component, const std::string& name) {
  if (!component.contains("properties")) return "";
  for (const auto& p : component["properties"])
    if (p.value("name", "") == name) return p.value("value", "");
  return "";
}

std::vector<json> components_named(const json& bom, const std::string& name) {
  std::vector<json> out;
  for (const auto& c : bom.value("components", json::array()))
    if (c.value("type", "") == "library" && c.value("name", "") == name) out.push_back(c);
  return out;
}

std::set<PackageKey> cyclonedx_deb_packages(const json& bom) {
  std::set<PackageKey> out;
  for (const auto& c : bom.value("components", json::array())) {
    if (c.value("type", "") != "library" || property(c, "cairn:package:type") != "deb") continue;
    std::string arch = property(c, "cairn:package:arch");
    if (arch.empty()) arch = purl_qualifier(c.value("purl", ""), "arch");
    out.insert({c.value("name", ""), c.value("version", ""), arch});
  }
  return out;
}

std::set<PackageKey> spdx_deb_packages(const json& doc) {
  std::set<PackageKey> out;
  for (const auto& p : doc.value("packages", json::array())) {
    std::string purl;
    for (const auto& r : p.value("externalRefs", json::array()))
      if (r.value("referenceType", "") == "purl") purl = r.value("referenceLocator", "");
    if (purl.rfind("pkg:deb/", 0) != 0) continue;
    out.insert({p.value("name", ""), p.value("versionInfo", ""), purl_qualifier(purl, "arch")});
  }
  return out;
}

std::string difference(const std::set<PackageKey>& a, const std::set<PackageKey>& b, std::size_t limit) {
  std::string out;
  std::size_t n = 0;
  for (const auto& k : a) {
    if (b.contains(k)) continue;
    if (n++ < limit) out += (out.empty() ? "" : ", ") + to_string(k);
  }
  if (n > limit) out += ", ... (" + std::to_string(n) + " in all)";
  return out.empty() ? "(none)" : out;
}

std::set<std::string> list_dir(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace cairn::e2e
