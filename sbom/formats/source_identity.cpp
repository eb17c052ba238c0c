#include "sbom/formats/source_identity.h"

#include <algorithm>
#include <cctype>

#include "sbom/formats/ids.h"
#include "sbom/purl.h"

namespace cairn::sbom {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A path segment safe in a URI: unreserved characters and '/', nothing else; '#' and ':'
// in particular would break the namespace (SPDX forbids '#').
std::string clean_uri_segment(const std::string& name) {
  std::string out;
  for (unsigned char c : name.substr(0, 128)) {
    bool ok = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += ok ? static_cast<char>(c) : '-';
  }
  // No empty, "." or ".." segments: they would collapse when the URI is normalised.
  std::string cleaned;
  std::size_t i = 0;
  while (i <= out.size()) {
    auto j = out.find('/', i);
    if (j == std::string::npos) j = out.size();
    std::string segment = out.substr(i, j - i);
    if (!segment.empty() && segment != "." && segment != "..") {
      if (!cleaned.empty()) cleaned += '/';
      cleaned += segment;
    }
    i = j + 1;
  }
  return cleaned;
}

}  // namespace

std::string image_purl(const SourceInfo& source) {
  if (source.kind != SourceInfo::Kind::Image || source.manifest_digest.empty()) return "";
  std::string repository = lower(source.name);
  while (!repository.empty() && repository.back() == '/') repository.pop_back();
  auto slash = repository.rfind('/');
  std::string name = slash == std::string::npos ? repository : repository.substr(slash + 1);
  if (name.empty()) return "";
  std::vector<PurlQualifier> qualifiers = {{"arch", source.architecture}, {"tag", source.tag}};
  if (slash != std::string::npos) qualifiers.push_back({"repository_url", repository});
  return make_purl("oci", "", name, source.manifest_digest, std::move(qualifiers));
}

std::string source_display_name(const SourceInfo& source) {
  if (source.name.empty()) return source.input;
  if (source.kind == SourceInfo::Kind::Image && !source.tag.empty()) return source.name + ":" + source.tag;
  return source.name;
}

std::string spdx_document_namespace(const SourceInfo& source, const std::string& content_uuid) {
  std::string kind = source.kind == SourceInfo::Kind::Image ? "image" : "dir";
  std::string name = clean_uri_segment(source_display_name(source));
  std::string leaf = name.empty() ? content_uuid : name + "-" + content_uuid;
  return std::string(kCairnDocumentBase) + "/" + kind + "/" + leaf;
}

std::optional<LayerFacts> layer_facts(const SourceInfo& source, const Package& package) {
  if (package.layer < 0 || static_cast<std::size_t>(package.layer) >= source.layers.size()) return std::nullopt;
  const LayerInfo& layer = source.layers[static_cast<std::size_t>(package.layer)];
  return LayerFacts{package.layer, layer.digest, layer.diff_id};
}

}  // namespace cairn::sbom
