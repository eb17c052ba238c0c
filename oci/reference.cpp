#include "oci/reference.h"

#include <regex>

#include "core/digest.h"

namespace cairn::oci {

namespace {

// The distribution reference grammar's path component and tag.
const std::regex& component_pattern() {
  static const std::regex re("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  return re;
}
const std::regex& tag_pattern() {
  static const std::regex re("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return re;
}
const std::regex& host_pattern() {
  static const std::regex re("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
  return re;
}

bool looks_like_host(std::string_view first) {
  return first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos || first == "localhost";
}

}  // namespace

Result<ImageReference> ImageReference::parse(std::string_view text_view) {
  std::string text(text_view);
  auto bad = [&](const std::string& why) { return usage_error("image reference \"" + text + "\": " + why); };
  if (text.empty()) return bad("empty");
  if (text.size() > 4096) return bad("longer than 4096 characters");
  ImageReference ref;
  std::string rest = text;
  if (auto at = rest.find('@'); at != std::string::npos) {
    auto digest = Digest::parse(rest.substr(at + 1));
    if (!digest) return bad("the digest after '@' is not valid: " + digest.error().message);
    ref.digest = digest->str();
    rest.resize(at);
  }
  auto last_slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && (last_slash == std::string::npos || colon > last_slash)) {
    ref.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (!std::regex_match(ref.tag, tag_pattern()))
      return bad("tag \"" + ref.tag + "\" is not valid (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
  }
  auto slash = rest.find('/');
  if (slash != std::string::npos && looks_like_host(std::string_view(rest).substr(0, slash))) {
    ref.registry = rest.substr(0, slash);
    ref.repository = rest.substr(slash + 1);
    if (!std::regex_match(ref.registry, host_pattern())) return bad("registry host \"" + ref.registry + "\" is not a host[:port]");
  } else {
    ref.registry = "docker.io";
    ref.repository = rest;
  }
  if (ref.registry == "index.docker.io" || ref.registry == "registry-1.docker.io") ref.registry = "docker.io";
  if (ref.repository.empty()) return bad("no repository name");
  if (ref.registry == "docker.io" && ref.repository.find('/') == std::string::npos) ref.repository = "library/" + ref.repository;
  if (ref.repository.size() > 255) return bad("repository name longer than 255 characters");
  std::size_t start = 0;
  for (;;) {
    auto end = ref.repository.find('/', start);
    auto part = ref.repository.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!std::regex_match(part, component_pattern()))
      return bad("repository component \"" + part + "\" is not valid (lowercase letters, digits and single separators . _ __ -)");
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::string ImageReference::api_host() const { return registry == "docker.io" ? "registry-1.docker.io" : registry; }

std::string ImageReference::str() const {
  std::string out = registry + "/" + repository;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

ImageReference ImageReference::with_digest(std::string d) const {
  ImageReference r = *this;
  r.digest = std::move(d);
  return r;
}

ImageReference ImageReference::with_tag(std::string t) const {
  ImageReference r = *this;
  r.tag = std::move(t);
  r.digest.clear();
  return r;
}

}  // namespace cairn::oci
