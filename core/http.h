#pragma once
// The one HTTP client interface all network I/O goes through (DESIGN.md: tests run
// hermetically and --offline can be proved to make no connection). A Transport performs
// exactly one exchange: no redirects, retries or authentication; those are policy and
// live with the caller (oci/registry_transport.h).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/stream.h"

namespace cairn::http {

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

// The first value of a header, or "".
std::string header_value(const Headers& headers, std::string_view name);

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // "registry.example", "127.0.0.1", "::1" (no brackets)
  int port = 0;        // 0: the scheme's default
  std::string target;  // path and query, starting with '/'

  static Result<Url> parse(std::string_view text);
  std::string origin() const;  // "https://host[:port]"
  std::string str() const { return origin() + target; }
  // host[:port] as a registry is named: "127.0.0.1:5000", "ghcr.io"
  std::string authority() const;
};

// Resolves a Location header or a relative upload URL against the URL it came from.
Result<Url> resolve_url(const Url& base, std::string_view reference);

// Whether a host is this machine (plain HTTP is allowed there without asking).
bool is_loopback_host(std::string_view host);

struct Request {
  std::string method = "GET";
  Url url;
  Headers headers;
  std::string body;  // small bodies (manifests, JSON)
  // Large bodies (blob uploads): opened afresh for every attempt, body_size bytes long.
  std::function<Result<std::unique_ptr<ByteStream>>()> body_stream;
  std::uint64_t body_size = 0;
};

struct Response;
// Sees the status and headers of an answer before its body (a resumed download checks
// that the server honoured its Range); returns false to abort.
using HeadCheck = std::function<bool(const Response& head)>;

struct Response {
  int status = 0;
  Headers headers;
  std::string body;  // unless a sink took it
  std::string header(std::string_view name) const { return header_value(headers, name); }
};

// Receives a 2xx response body in pieces; returns false to abort the transfer.
using BodySink = std::function<bool(const char* data, std::size_t size)>;

// Bodies of error answers and of requests without a sink are read only this far; the
// rest is refused (a registry must not make cairn allocate without bound).
inline constexpr std::size_t kMaxBufferedBody = 16 * 1024 * 1024;

struct TransportOptions {
  std::string ca_file;                    // extra trust anchors (PEM); system store otherwise
  std::set<std::string> unverified_tls;   // authorities ("host:port" or host) whose TLS certificate is not checked
  int connect_timeout_seconds = 30;
  int io_timeout_seconds = 300;           // per read or write, not per transfer
  std::string user_agent = "cairn";
};

// A network failure (refused, reset, timeout, TLS) is an Error with kind Input whose
// message names the URL; callers decide whether to retry (is_transient below).
class Transport {
 public:
  virtual ~Transport() = default;
  // When sink is given and the answer is 2xx, the body goes to the sink, not to
  // Response::body. A sink returning false ends the exchange with an error.
  virtual Result<Response> send(const Request& request, const BodySink* sink = nullptr, const HeadCheck* head_check = nullptr) = 0;
};

std::unique_ptr<Transport> make_transport(const TransportOptions& options);

// Errors from send() that another attempt may cure (connection reset, timeout, refused).
bool is_transient(const Error& error);

}  // namespace cairn::http
