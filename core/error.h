#pragma once
// Errors are values across module boundaries: Result<T> is std::expected<T, Error>.
// An Error carries a kind (which maps to the process exit code) and a message that
// says what was received, what was expected and what the user can do.
#include <expected>
#include <string>
#include <utility>

namespace cairn {

enum class ErrorKind {
  Usage,         // bad flags or arguments: exit 2
  Input,         // malformed or unreadable input, I/O, network: exit 3
  Verification,  // a signature, digest policy or check failed: exit 1
};

struct Error {
  ErrorKind kind = ErrorKind::Input;
  std::string message;
  // A network failure another attempt may cure (reset, timeout, refused, 429, 5xx).
  bool transient = false;

  // Prefixes context ("reading layer sha256:…: ") to an error from deeper down.
  Error context(const std::string& where) const& { return {kind, where + ": " + message, transient}; }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message)});
}
inline std::unexpected<Error> input_error(std::string message) {
  return fail(ErrorKind::Input, std::move(message));
}
inline std::unexpected<Error> usage_error(std::string message) {
  return fail(ErrorKind::Usage, std::move(message));
}

// The process exit code for an error kind (DESIGN.md: 1 verify, 2 usage, 3 input).
inline int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return 2;
    case ErrorKind::Verification: return 1;
    case ErrorKind::Input: return 3;
  }
  return 3;
}

}  // namespace cairn
