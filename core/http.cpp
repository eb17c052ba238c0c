// URL handling and header helpers of core/http.h; the transport itself is in
// core/http_transport.cpp.
#include "core/http.h"

#include <algorithm>
#include <cctype>
#include <strings.h>

namespace cairn::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto ca = std::tolower(static_cast<unsigned char>(a[i]));
    auto cb = std::tolower(static_cast<unsigned char>(b[i]));
    if (ca != cb) return ca < cb;
  }
  return a.size() < b.size();
}

std::string header_value(const Headers& headers, std::string_view name) {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? "" : it->second;
}

Result<Url> Url::parse(std::string_view text) {
  auto bad = [&](const std::string& why) { return input_error("URL \"" + std::string(text) + "\": " + why); };
  Url url;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) return bad("no scheme");
  url.scheme = std::string(text.substr(0, sep));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (url.scheme != "http" && url.scheme != "https") return bad("scheme is not http or https");
  auto rest = text.substr(sep + 3);
  auto path_start = rest.find_first_of("/?#");
  auto authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (auto hash = url.target.find('#'); hash != std::string::npos) url.target.resize(hash);
  if (url.target.empty() || url.target[0] != '/') url.target = "/" + url.target;
  if (authority.find('@') != std::string_view::npos) return bad("credentials in URLs are not accepted");
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed '[' in the host");
    url.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("junk after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  for (unsigned char c : url.host)
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '_')) return bad("the host has a character that hosts cannot have");
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), [](unsigned char c) { return std::isdigit(c); }))
      return bad("the port is not a number");
    url.port = std::stoi(std::string(port_text));
    if (url.port < 1 || url.port > 65535) return bad("the port is out of range");
  }
  return url;
}

std::string Url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return default_port ? h : h + ":" + std::to_string(port);
}

std::string Url::origin() const { return scheme + "://" + authority(); }

Result<Url> resolve_url(const Url& base, std::string_view reference) {
  if (reference.find("://") != std::string_view::npos) return Url::parse(reference);
  Url out = base;
  if (reference.starts_with("//")) return Url::parse(base.scheme + ":" + std::string(reference));
  if (reference.starts_with("/")) {
    out.target = std::string(reference);
    return out;
  }
  // Relative to the base's directory (registries do not send these, but RFC 3986 allows them).
  auto dir = base.target.substr(0, base.target.find('?'));
  dir = dir.substr(0, dir.rfind('/') + 1);
  out.target = dir + std::string(reference);
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  return host.starts_with("127.") && std::all_of(host.begin(), host.end(), [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

bool is_transient(const Error& error) { return error.transient; }

}  // namespace cairn::http
