#pragma once
// A content store holding manifests and blobs by digest, tags, and referrers: a registry
// repository (oci/registry_store.h) or an OCI image layout (oci/layout_store.h). Signing,
// attaching, copying and discovery are written once against this interface, so they work
// on either, and with no registry at all.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.h"
#include "core/error.h"
#include "core/stream.h"
#include "oci/image_model.h"

namespace cairn::oci {

struct FetchedManifest {
  Descriptor descriptor;  // media type as stored, digest and size of `bytes`
  std::string bytes;      // checked against the digest
};

// Opens a blob's content afresh (uploads may be retried from the start).
using BlobOpener = std::function<Result<std::unique_ptr<ByteStream>>()>;

class Store {
 public:
  virtual ~Store() = default;

  // For messages: "127.0.0.1:5000/app", "oci-dir:/tmp/layout".
  virtual std::string describe() const = 0;

  // A manifest or index by tag or by "sha256:…" digest; nullopt when the store has none.
  // Bytes are checked against the digest asked for, or against the digest the store
  // reports for a tag; more than kMaxDocumentBytes is refused.
  virtual Result<std::optional<FetchedManifest>> find_manifest(const std::string& reference) = 0;

  // The blob's bytes as a stream that fails at its end if the size or digest differ from
  // the descriptor's (the caller must read to the end before trusting anything).
  Result<std::unique_ptr<ByteStream>> open_blob(const Descriptor& blob);

  // The blob's bytes as stored, unchecked: only for readers that hash and count what they
  // read themselves (the layer reader, push_blob), so that no blob is hashed twice.
  virtual Result<std::unique_ptr<ByteStream>> open_unverified_blob(const Descriptor& blob) = 0;

  virtual Result<bool> has_blob(const Descriptor& blob) = 0;

  // Stores a blob unless it is already there, checking the size and digest of what `open`
  // gives (a mismatch stores nothing). mount_from names a repository of the same
  // registry that holds it (registries then link instead of copying; ignored elsewhere).
  virtual Status push_blob(const Descriptor& blob, const BlobOpener& open, const std::string& mount_from = "") = 0;

  // Stores a manifest or index (its descriptor's media type is sent as Content-Type),
  // then points `tag` at it when tag is not empty. A manifest with a subject is recorded
  // as a referrer of that subject the way this store keeps them (referrers API, the
  // referrers tag schema, or the layout's index.json).
  virtual Status push_manifest(const Descriptor& manifest, std::string_view bytes, const std::string& tag = "") = 0;

  // Descriptors of the manifests whose subject is `subject`, with artifactType and
  // annotations, sorted by digest, without duplicates; only those whose artifactType is
  // artifact_type when it is not empty.
  virtual Result<std::vector<Descriptor>> referrers(const Digest& subject, const std::string& artifact_type = "") = 0;

  // Convenience over find_manifest: an error naming the store when it is missing.
  Result<FetchedManifest> fetch_manifest(const std::string& reference);
  // push_blob for bytes in memory (configs, payloads, manifests stored as blobs).
  Status push_bytes(const Descriptor& blob, std::string bytes);
  // Reads a small blob whole (configs, signatures, SBOMs up to max_bytes), checked.
  Result<std::string> fetch_blob(const Descriptor& blob, std::size_t max_bytes);
};

// A descriptor for bytes in memory.
Descriptor describe_bytes(std::string media_type, std::string_view bytes);

}  // namespace cairn::oci
