#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace cairn::subprocess {
namespace {

using Clock = std::chrono::steady_clock;

// After the program exits, output still arriving through a pipe that a process it
// started holds open is read for this long, then dropped.
constexpr auto kGraceAfterExit = std::chrono::milliseconds(500);
// How often a running program is checked for having exited while its pipes stay quiet.
constexpr auto kExitCheckInterval = std::chrono::milliseconds(20);

class Fd {
 public:
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void adopt(int fd) {
    reset();
    fd_ = fd;
  }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read_end, write_end;
};

Status make_pipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return input_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  pipe.read_end.adopt(fds[0]);
  pipe.write_end.adopt(fds[1]);
  return {};
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Writing to a program that exits without reading all of its stdin raises SIGPIPE,
// which would end cairn. SIGPIPE is blocked in this thread while the program runs
// (the write then fails with EPIPE) and any SIGPIPE raised meanwhile is consumed.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_only_);
    sigaddset(&pipe_only_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    ::sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipe_only_, &previous_);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  ~SigpipeBlock() {
    if (!was_pending_) {
      timespec zero{};
      while (::sigtimedwait(&pipe_only_, nullptr, &zero) > 0) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t pipe_only_;
  sigset_t previous_;
  bool was_pending_ = false;
};

// Reads what is available from `fd` into `out` up to `cap`; closes `fd` at end of file
// or on an error other than "try again".
void drain(Fd& fd, std::string& out, std::size_t cap, bool& truncated) {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n > 0) {
      std::size_t room = cap > out.size() ? cap - out.size() : 0;
      std::size_t keep = std::min(room, static_cast<std::size_t>(n));
      out.append(buffer, keep);
      if (keep < static_cast<std::size_t>(n)) truncated = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    fd.reset();
    return;
  }
}

// Writes as much of the remaining stdin bytes as the pipe takes; closes the pipe when
// all is written or the program stopped reading.
void feed(Fd& fd, const std::string& bytes, std::size_t& written) {
  while (written < bytes.size()) {
    std::size_t chunk = std::min<std::size_t>(bytes.size() - written, 65536);
    ssize_t n = ::write(fd.get(), bytes.data() + written, chunk);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    break;  // EPIPE: the program closed its stdin
  }
  fd.reset();
}

Result<pid_t> spawn(const std::string& program, const std::vector<std::string>& args, Pipe& in, Pipe& out, Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end.get(), STDERR_FILENO);
  // Descriptors cairn holds (sockets, files) are none of the program's business.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);

  // The program starts with no blocked signals and SIGPIPE at its default, whatever
  // the caller (or SigpipeBlock) set.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc == ENOENT) return input_error("cannot run " + program + ": not found (is it installed and on PATH?)");
  if (rc != 0) return input_error("cannot run " + program + ": " + std::strerror(rc));
  return pid;
}

}  // namespace

Result<Outcome> run(const std::string& program, const std::vector<std::string>& args, const Options& options) {
  if (program.empty()) return usage_error("no program to run");
  Pipe in, out, err;
  for (Pipe* p : {&in, &out, &err})
    if (auto made = make_pipe(*p); !made) return std::unexpected(made.error());

  SigpipeBlock sigpipe_block;
  auto pid = spawn(program, args, in, out, err);
  if (!pid) return std::unexpected(pid.error());
  in.read_end.reset();
  out.write_end.reset();
  err.write_end.reset();

  Fd& to_stdin = in.write_end;
  Fd& from_stdout = out.read_end;
  Fd& from_stderr = err.read_end;
  for (Fd* fd : {&to_stdin, &from_stdout, &from_stderr}) set_nonblocking(fd->get());
  if (options.stdin_bytes.empty()) to_stdin.reset();

  Outcome outcome;
  std::size_t written = 0;
  int status = 0;
  bool reaped = false;
  auto deadline = Clock::now() + options.timeout;
  for (;;) {
    if (!reaped) {
      pid_t done = ::waitpid(*pid, &status, WNOHANG);
      if (done == *pid) {
        reaped = true;
        deadline = std::min(deadline, Clock::now() + kGraceAfterExit);
      }
    }
    bool pipes_open = to_stdin.open() || from_stdout.open() || from_stderr.open();
    if (reaped && !pipes_open) break;
    auto now = Clock::now();
    if (now >= deadline) {
      outcome.timed_out = !reaped;
      break;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) + std::chrono::milliseconds(1);
    if (!reaped) wait = std::min<std::chrono::milliseconds>(wait, kExitCheckInterval);

    pollfd fds[3];
    nfds_t count = 0;
    if (to_stdin.open()) fds[count++] = {to_stdin.get(), POLLOUT, 0};
    if (from_stdout.open()) fds[count++] = {from_stdout.get(), POLLIN, 0};
    if (from_stderr.open()) fds[count++] = {from_stderr.get(), POLLIN, 0};
    int ready = ::poll(fds, count, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) {
      int saved = errno;
      if (!reaped) {
        ::kill(*pid, SIGKILL);
        while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
        }
      }
      return input_error("waiting for " + program + ": " + std::strerror(saved));
    }
    if (ready <= 0) continue;
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == to_stdin.get())
        feed(to_stdin, options.stdin_bytes, written);
      else if (fds[i].fd == from_stdout.get())
        drain(from_stdout, outcome.stdout_bytes, options.max_stdout_bytes, outcome.stdout_truncated);
      else if (fds[i].fd == from_stderr.get())
        drain(from_stderr, outcome.stderr_bytes, options.max_stderr_bytes, outcome.stderr_truncated);
    }
  }
  if (!reaped) {
    ::kill(*pid, SIGKILL);
    while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (WIFEXITED(status) && !outcome.timed_out) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  return outcome;
}

}  // namespace cairn::subprocess
