// The cpp-httplib Transport: one exchange per send(), connections kept alive in a small
// pool per origin so that parallel layer transfers each get their own connection.
// httplib reads sockets 4 KiB at a time by default: for a 100 MB layer that is 25,000
// reads and as many hand-offs to the consumer. 64 KiB cuts the system time of a pull by
// more than half. Only this file includes httplib, so the setting is the same everywhere.
#define CPPHTTPLIB_RECV_BUFSIZ size_t(64u * 1024u)
#include <httplib.h>

#include <map>
#include <mutex>
#include <vector>

#include "core/http.h"

namespace cairn::http {

namespace {

bool transient_failure(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::SSLConnection:  // also a reset during the handshake
      return true;
    default:
      return false;
  }
}

std::string describe_failure(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection: return "could not connect";
    case httplib::Error::Read: return "the connection broke while reading the answer";
    case httplib::Error::Write: return "the connection broke while sending the request";
    case httplib::Error::ConnectionTimeout: return "timed out connecting";
    case httplib::Error::SSLConnection: return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "could not load the trusted CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted (give its CA with --ca-file; cairn does not skip verification "
             "except for hosts named with --insecure-registry)";
    case httplib::Error::Canceled: return "the transfer was stopped";
    default: return httplib::to_string(e);
  }
}

class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(TransportOptions options) : options_(std::move(options)) {}

  Result<Response> send(const Request& request, const BodySink* sink, const HeadCheck* head_check) override {
    auto client = acquire(request.url);
    httplib::Request req;
    req.method = request.method;
    req.path = request.url.target;
    for (const auto& [k, v] : request.headers) req.headers.emplace(k, v);
    if (!request.headers.count("User-Agent")) req.headers.emplace("User-Agent", options_.user_agent);
    // Blobs are compared with their digests byte for byte: no transfer decoding.
    req.headers.emplace("Accept-Encoding", "identity");
    std::unique_ptr<ByteStream> body_stream;
    Status body_failure;
    if (request.body_stream) {
      auto opened = request.body_stream();
      if (!opened) return std::unexpected(opened.error());
      body_stream = std::move(*opened);
      req.content_length_ = request.body_size;
      req.content_provider_ = [&](std::size_t, std::size_t length, httplib::DataSink& out) {
        char buf[256 * 1024];
        auto n = body_stream->read(buf, std::min(length, sizeof buf));
        if (!n) {
          body_failure = std::unexpected(n.error());
          return false;
        }
        if (*n == 0) {
          body_failure = input_error(body_stream->name() + " ended before the " + std::to_string(request.body_size) + " bytes announced");
          return false;
        }
        return out.write(buf, *n);
      };
    } else {
      req.body = request.body;
    }

    Response response;
    std::string overflow_error;
    bool head_refused = false;
    req.response_handler = [&](const httplib::Response& r) {
      response.status = r.status;
      if (!head_check) return true;
      Response head;
      head.status = r.status;
      for (const auto& [k, v] : r.headers) head.headers.emplace(k, v);
      head_refused = !(*head_check)(head);
      return !head_refused;
    };
    req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      bool success = response.status >= 200 && response.status < 300;
      if (sink && success) return (*sink)(data, size);
      if (response.body.size() + size > kMaxBufferedBody) {
        overflow_error = "the answer is larger than " + std::to_string(kMaxBufferedBody) + " bytes";
        return false;
      }
      response.body.append(data, size);
      return true;
    };

    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    bool ok = client->send(req, res, error);
    auto where = request.method + " " + request.url.str();
    if (!body_failure) {
      release(request.url, std::move(client), false);
      return std::unexpected(body_failure.error().context(where));
    }
    if (!overflow_error.empty()) {
      release(request.url, std::move(client), false);
      return input_error(where + ": " + overflow_error);
    }
    if (!ok) {
      release(request.url, std::move(client), false);
      Error e{ErrorKind::Input, where + ": " + describe_failure(error), transient_failure(error)};
      if (error == httplib::Error::Canceled && head_refused) e.message = where + ": the answer's status or headers were refused";
      else if (error == httplib::Error::Canceled && sink) e.message = where + ": the transfer was stopped by the reader";
      return std::unexpected(e);
    }
    response.status = res.status;
    for (const auto& [k, v] : res.headers) response.headers.emplace(k, v);
    release(request.url, std::move(client), true);
    return response;
  }

 private:
  std::string pool_key(const Url& url) const { return url.origin(); }

  std::unique_ptr<httplib::Client> acquire(const Url& url) {
    {
      std::lock_guard lock(mutex_);
      auto& idle = pool_[pool_key(url)];
      if (!idle.empty()) {
        auto c = std::move(idle.back());
        idle.pop_back();
        return c;
      }
    }
    auto client = std::make_unique<httplib::Client>(url.origin());
    client->set_keep_alive(true);
    client->set_follow_location(false);
    client->set_decompress(false);
    client->set_connection_timeout(options_.connect_timeout_seconds, 0);
    client->set_read_timeout(options_.io_timeout_seconds, 0);
    client->set_write_timeout(options_.io_timeout_seconds, 0);
    if (url.scheme == "https") {
      bool unverified = options_.unverified_tls.count(url.authority()) || options_.unverified_tls.count(url.host);
      client->enable_server_certificate_verification(!unverified);
      if (!options_.ca_file.empty()) client->set_ca_cert_path(options_.ca_file);
    }
    return client;
  }

  void release(const Url& url, std::unique_ptr<httplib::Client> client, bool reusable) {
    if (!reusable) return;
    std::lock_guard lock(mutex_);
    auto& idle = pool_[pool_key(url)];
    if (idle.size() < 8) idle.push_back(std::move(client));
  }

  TransportOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> pool_;
};

}  // namespace

std::unique_ptr<Transport> make_transport(const TransportOptions& options) { return std::make_unique<HttplibTransport>(options); }

}  // namespace cairn::http
