#include "core/password.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

namespace cairn {

namespace {

constexpr std::size_t kMaxPasswordBytes = 4096;

// Restores the terminal's echo on every path out.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
  }

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

}  // namespace

Result<SecretString> read_terminal_secret(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return usage_error("no terminal to ask for " + prompt + " on");
  SecretString line;
  {
    EchoOff echo_off(fd);
    std::string shown = prompt + ": ";
    (void)!::write(fd, shown.data(), shown.size());
    char c;
    for (;;) {
      ssize_t n = ::read(fd, &c, 1);
      if (n <= 0 || c == '\n') break;
      if (line.size() >= kMaxPasswordBytes) {
        ::close(fd);
        return usage_error(prompt + ": longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
      }
      line.mutable_value().push_back(c);
    }
    (void)!::write(fd, "\n", 1);
  }
  ::close(fd);
  if (!line.empty() && line.view().back() == '\r') line.mutable_value().pop_back();
  return line;
}

Result<SecretString> read_password(const PasswordRequest& request) {
  if (const char* env = std::getenv(request.env_var.c_str())) return SecretString(std::string(env));
  std::string prompt = "Password for " + request.purpose;
  auto first = read_terminal_secret(prompt);
  if (!first)
    return usage_error("no password for " + request.purpose + ": set " + request.env_var +
                       " or run on a terminal (passwords are never taken from flags)");
  if (!request.confirm) return first;
  auto second = read_terminal_secret("Enter it again");
  if (!second) return std::unexpected(second.error());
  if (first->view() != second->view()) return usage_error("the two passwords for " + request.purpose + " differ");
  return first;
}

}  // namespace cairn
