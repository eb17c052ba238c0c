#include "sbom/purl.h"

#include <algorithm>
#include <cctype>

namespace cairn::sbom {

namespace {

// The purl spec leaves unreserved characters (RFC 3986) as they are; ':' is allowed
// unencoded in versions and qualifier values by common practice (Syft and packageurl-go
// write "1:2.3" as "1%3A2.3"), so we encode it to match them.
std::string percent_encode(const std::string& s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string cpe_escape(const std::string& s) {
  if (s.empty()) return "*";
  if (s == "-") return "\\-";  // a bare "-" would mean "not applicable"
  std::string out;
  for (unsigned char c : s) {
    // The CPE 2.3 formatted-string binding leaves '.', '-' and '_' unquoted (NISTIR 7695
    // 6.2.2.2), as NVD and Syft write them: "5.1.8-6.el9_1", not "5\.1\.8\-6".
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '_';
    } else {
      out += '\\';
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string make_purl(const std::string& type, const std::string& ns, const std::string& name,
                      const std::string& version, std::vector<PurlQualifier> qualifiers,
                      const std::string& subpath) {
  std::string out = "pkg:" + lower(type) + "/";
  if (!ns.empty()) {
    // Each namespace segment is encoded on its own; empty segments are dropped.
    std::size_t i = 0;
    while (i <= ns.size()) {
      auto j = ns.find('/', i);
      if (j == std::string::npos) j = ns.size();
      if (j > i) out += percent_encode(ns.substr(i, j - i), false) + "/";
      i = j + 1;
    }
  }
  out += percent_encode(name, false);
  if (!version.empty()) out += "@" + percent_encode(version, false);
  std::stable_sort(qualifiers.begin(), qualifiers.end(),
                   [](const PurlQualifier& a, const PurlQualifier& b) { return a.key < b.key; });
  char sep = '?';
  for (const auto& q : qualifiers) {
    if (q.value.empty()) continue;
    out += sep;
    out += lower(q.key) + "=" + percent_encode(q.value, true);
    sep = '&';
  }
  if (!subpath.empty()) out += "#" + percent_encode(subpath, true);
  return out;
}

std::string make_cpe(const std::string& vendor, const std::string& product, const std::string& version) {
  return "cpe:2.3:a:" + cpe_escape(vendor) + ":" + cpe_escape(product) + ":" + cpe_escape(version) +
         ":*:*:*:*:*:*:*";
}

}  // namespace cairn::sbom
