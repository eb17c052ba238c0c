#pragma once
// What commands that read or write stores are given: "oci-dir:PATH[:TAG|@DIGEST]" (an
// OCI image layout), "registry:REF", "docker://REF" (skopeo's spelling) or a bare
// registry reference "HOST/REPO[:TAG|@DIGEST]".
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "oci/image_source.h"
#include "oci/reference.h"
#include "oci/registry_client.h"
#include "oci/store.h"

namespace cairn::oci {

struct Target {
  std::shared_ptr<Store> store;
  std::string reference;  // tag or digest inside the store; may be empty for a layout
  std::string display;    // "127.0.0.1:5000/app:1.0", "oci-dir:/tmp/x:1.0"
  std::optional<ImageReference> image;  // registry targets
  std::string repository;               // registry targets: for cross-repository mounts
  std::string registry;                 // registry targets: the registry host
  std::string layout_path;              // layout targets
};

struct TargetOptions {
  RegistryOptions registry;
  bool create_layout = false;  // a destination layout is created when missing
};

Result<Target> open_target(std::string_view text, const TargetOptions& options);

// The image a target names, down to one platform, streaming layers from the store.
Result<OpenedImage> open_target_image(const Target& target, const ImageRequest& request);

// Fetches the target's manifest or index (the digest the user named, or the tag's).
Result<FetchedManifest> resolve_target(const Target& target);

}  // namespace cairn::oci
