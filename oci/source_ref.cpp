#include "oci/source_ref.h"

#include <filesystem>

#include "oci/file_tree.h"
#include "oci/reference.h"

namespace cairn::oci {

namespace fs = std::filesystem;

namespace {

const char* kPrefixes = "oci-dir:, oci-archive:, docker-archive:, dir:, registry:";

bool exists(const std::string& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// Splits "PATH:TAG" or "PATH@sha256:…" unless the whole string is an existing path.
void split_reference(SourceRef& ref, const std::string& rest, bool allow_digest) {
  ref.path = rest;
  if (exists(rest)) return;
  if (allow_digest) {
    auto at = rest.rfind('@');
    if (at != std::string::npos && rest.compare(at + 1, 7, "sha256:") == 0) {
      ref.path = rest.substr(0, at);
      ref.digest = rest.substr(at + 1);
      return;
    }
  }
  auto colon = rest.rfind(':');
  auto slash = rest.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash) && colon > 0) {
    ref.path = rest.substr(0, colon);
    ref.tag = rest.substr(colon + 1);
  }
}

Result<SourceRef> sniff(const std::string& path) {
  std::error_code ec;
  SourceRef ref;
  ref.path = path;
  if (fs::is_directory(path, ec)) {
    ref.kind = fs::is_regular_file(path + "/oci-layout", ec) ? SourceRef::Kind::OciDir : SourceRef::Kind::Dir;
    return ref;
  }
  if (!fs::is_regular_file(path, ec)) {
    // Not on disk: an image reference ("alpine:3.19", "ghcr.io/org/app@sha256:…"), as Syft reads it.
    if (!path.starts_with("/") && !path.starts_with(".") && ImageReference::parse(path)) {
      ref.kind = SourceRef::Kind::Registry;
      return ref;
    }
    return usage_error("\"" + path + "\" is neither an existing file nor a directory, nor an image reference; name a source with one of the prefixes " +
                       kPrefixes);
  }
  auto tree = open_tar_tree(path);
  if (!tree)
    return usage_error("cannot tell what \"" + path + "\" is (" + tree.error().message + "); name it with one of the prefixes " + kPrefixes);
  bool docker = (*tree)->contains("manifest.json");
  bool oci = (*tree)->contains("oci-layout") && (*tree)->contains("index.json");
  if (docker && oci)
    return usage_error("\"" + path + "\" is both a docker archive and an OCI archive (docker save writes both since Docker 25); "
                       "say which to read with docker-archive:" + path + " or oci-archive:" + path);
  if (docker) ref.kind = SourceRef::Kind::DockerArchive;
  else if (oci) ref.kind = SourceRef::Kind::OciArchive;
  else
    return usage_error("\"" + path + "\" is a tar file but neither a docker archive (no manifest.json) nor an OCI archive "
                       "(no oci-layout and index.json); to scan it as a root filesystem, unpack it and use dir:PATH");
  return ref;
}

}  // namespace

Result<SourceRef> parse_source_ref(std::string_view input_view) {
  std::string input(input_view);
  if (input.empty()) return usage_error("no source given; expected one of " + std::string(kPrefixes) + " or a path");
  struct Prefix {
    const char* text;
    SourceRef::Kind kind;
  };
  static const Prefix prefixes[] = {{"oci-dir:", SourceRef::Kind::OciDir},
                                    {"oci-archive:", SourceRef::Kind::OciArchive},
                                    {"docker-archive:", SourceRef::Kind::DockerArchive},
                                    {"dir:", SourceRef::Kind::Dir},
                                    {"registry:", SourceRef::Kind::Registry}};
  for (const auto& p : prefixes) {
    std::string_view text(p.text);
    if (input.compare(0, text.size(), text) != 0) continue;
    SourceRef ref;
    ref.kind = p.kind;
    std::string rest = input.substr(text.size());
    if (rest.empty()) return usage_error("\"" + input + "\" names no path after the prefix");
    switch (p.kind) {
      case SourceRef::Kind::OciDir: split_reference(ref, rest, true); break;
      case SourceRef::Kind::OciArchive:
      case SourceRef::Kind::DockerArchive: split_reference(ref, rest, false); break;
      case SourceRef::Kind::Dir:
      case SourceRef::Kind::Registry: ref.path = rest; break;
    }
    return ref;
  }
  return sniff(input);
}

}  // namespace cairn::oci
