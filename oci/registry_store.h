#pragma once
// A registry repository as a Store: manifests with the Accept headers registries need
// (distribution 2.8 answers 404 for an OCI manifest unless Accept names OCI), blobs
// streamed and digest-checked, uploads (HEAD first; cross-repository mount; POST then a
// monolithic PUT, or chunked PATCHes for large blobs), and referrers through the OCI 1.1
// API or, where the registry has none, the referrers tag schema.
#include <memory>
#include <string>

#include "oci/reference.h"
#include "oci/registry_client.h"
#include "oci/store.h"

namespace cairn::oci {

// Blobs larger than this are uploaded in chunks of this size.
inline constexpr std::uint64_t kUploadChunkBytes = 64ull * 1024 * 1024;

std::unique_ptr<Store> open_registry_store(std::shared_ptr<RegistryClient> client, const std::string& repository);

// The referrers tag schema's tag for a digest: "sha256-<hex>".
std::string referrers_tag(const Digest& subject);

}  // namespace cairn::oci
