#pragma once
// Package URLs (github.com/package-url/purl-spec) and CPE 2.3 names: one builder each,
// shared by every cataloger.
#include <string>
#include <utility>
#include <vector>

namespace cairn::sbom {

struct PurlQualifier {
  std::string key;
  std::string value;  // empty values are dropped, as the spec requires
};

// pkg:type/namespace/name@version?qualifiers#subpath, percent-encoded per the spec.
// Qualifiers are sorted by key, as the canonical form requires. The namespace may hold
// several segments separated by '/'.
std::string make_purl(const std::string& type, const std::string& ns, const std::string& name,
                      const std::string& version, std::vector<PurlQualifier> qualifiers = {},
                      const std::string& subpath = "");

// cpe:2.3:a:vendor:product:version:*:*:*:*:*:*:* with the CPE 2.3 formatted-string
// escaping of special characters.
std::string make_cpe(const std::string& vendor, const std::string& product, const std::string& version);

}  // namespace cairn::sbom
