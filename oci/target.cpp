#include "oci/target.h"

#include <filesystem>

#include "oci/layout_store.h"
#include "oci/media_types.h"
#include "oci/registry_store.h"
#include "oci/source_ref.h"

namespace cairn::oci {

namespace {

Result<Target> open_layout_target(const std::string& text, const TargetOptions& options) {
  SourceRef ref;
  auto parsed = parse_source_ref(text);
  if (parsed) {
    ref = *parsed;
  } else if (options.create_layout) {
    // A destination that does not exist yet: split PATH[:TAG|@DIGEST] by hand.
    std::string rest = text.substr(std::string("oci-dir:").size());
    ref.kind = SourceRef::Kind::OciDir;
    ref.path = rest;
    auto at = rest.rfind('@');
    auto colon = rest.rfind(':');
    auto slash = rest.rfind('/');
    if (at != std::string::npos) {
      ref.path = rest.substr(0, at);
      ref.digest = rest.substr(at + 1);
    } else if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      ref.path = rest.substr(0, colon);
      ref.tag = rest.substr(colon + 1);
    }
  } else {
    return std::unexpected(parsed.error());
  }
  auto store = open_layout_store(ref.path, options.create_layout);
  if (!store) return std::unexpected(store.error());
  Target t;
  t.store = std::move(*store);
  t.reference = !ref.digest.empty() ? ref.digest : ref.tag;
  t.layout_path = ref.path;
  t.display = "oci-dir:" + ref.path + (ref.digest.empty() ? (ref.tag.empty() ? "" : ":" + ref.tag) : "@" + ref.digest);
  return t;
}

}  // namespace

Result<Target> open_target(std::string_view text_view, const TargetOptions& options) {
  std::string text(text_view);
  if (text.starts_with("oci-dir:")) return open_layout_target(text, options);
  for (const char* other : {"oci-archive:", "docker-archive:", "dir:"})
    if (text.starts_with(other))
      return usage_error("\"" + text + "\" is read-only here; this command works on registries (HOST/REPO:TAG) and OCI layouts (oci-dir:PATH)");
  std::string ref_text = text;
  if (ref_text.starts_with("registry:")) ref_text = ref_text.substr(9);
  else if (ref_text.starts_with("docker://")) ref_text = ref_text.substr(9);
  auto image = ImageReference::parse(ref_text);
  if (!image) return std::unexpected(image.error());
  auto client = RegistryClient::create(image->registry, options.registry);
  if (!client) return std::unexpected(client.error());
  Target t;
  t.store = open_registry_store(*client, image->repository);
  t.reference = image->reference();
  t.display = image->str();
  t.repository = image->repository;
  t.registry = image->registry;
  t.image = *image;
  return t;
}

Result<FetchedManifest> resolve_target(const Target& target) {
  std::string reference = target.reference.empty() ? "latest" : target.reference;
  auto found = target.store->find_manifest(reference);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    if (target.reference.empty())
      return usage_error(target.display + " has no image tagged \"latest\"; name one as oci-dir:PATH:TAG or oci-dir:PATH@DIGEST");
    return input_error(target.display + ": no such manifest (" + target.store->describe() + " has no " + reference + ")");
  }
  return std::move(**found);
}

Result<OpenedImage> open_target_image(const Target& target, const ImageRequest& request) {
  auto top = resolve_target(target);
  if (!top) return std::unexpected(top.error());
  auto store = target.store;
  auto read_document = [store](const Descriptor& d) -> Result<std::string> {
    if (media::is_manifest(d.media_type) || media::is_index(d.media_type)) {
      auto m = store->fetch_manifest(d.digest.str());
      if (!m) return std::unexpected(m.error());
      if (m->bytes.size() != d.size)
        return input_error(store->describe() + ": manifest " + d.digest.str() + " is " + std::to_string(m->bytes.size()) +
                           " bytes, but its descriptor says " + std::to_string(d.size));
      return std::move(m->bytes);
    }
    return store->fetch_blob(d, kMaxDocumentBytes);
  };
  // The layer reader hashes and counts every blob against its descriptor itself.
  auto open_blob = [store](const Descriptor& d) { return store->open_unverified_blob(d); };
  auto image = resolve_image(top->descriptor, request, target.display, read_document, open_blob);
  if (!image) return image;
  if (target.image) {
    image->name = target.image->repository_name();
    image->tag = target.image->tag;
  } else {
    image->name = std::filesystem::path(target.layout_path).filename().string();
    image->tag = target.reference.starts_with("sha256:") ? "" : target.reference;
  }
  if (!image->index_digest && !media::is_index(top->descriptor.media_type)) image->manifest_digest = top->descriptor.digest;
  return image;
}

}  // namespace cairn::oci
