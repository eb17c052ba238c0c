#include "oci/copy.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "oci/discovery.h"
#include "oci/media_types.h"

namespace cairn::oci {

namespace {

struct Copier {
  const Target& source;
  const Target& destination;
  const CopyOptions& options;
  CopyResult result;

  // Registries link a blob between repositories of the same registry instead of copying.
  std::string mount_from() const {
    if (!source.image || !destination.image || source.registry != destination.registry) return "";
    return source.repository;
  }

  Status copy_blobs(const std::vector<Descriptor>& blobs) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::optional<Error> failure;
    auto worker = [&] {
      for (;;) {
        auto i = next.fetch_add(1);
        if (i >= blobs.size()) return;
        {
          std::lock_guard lock(mutex);
          if (failure) return;
        }
        const auto& blob = blobs[i];
        auto present = destination.store->has_blob(blob);
        Status status;
        bool copied = false;
        if (!present) {
          status = std::unexpected(present.error());
        } else if (!*present) {
          auto src = source.store;
          // push_blob checks size and digest as it reads: the source's bytes are hashed once.
          status = destination.store->push_blob(blob, [src, blob] { return src->open_unverified_blob(blob); }, mount_from());
          copied = true;
        }
        std::lock_guard lock(mutex);
        if (!status && !failure) failure = status.error();
        if (status) ++(copied ? result.blobs_copied : result.blobs_present);
      }
    };
    unsigned n = std::max(1u, std::min<unsigned>(options.parallel_blobs, static_cast<unsigned>(blobs.size())));
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    if (failure) return std::unexpected(*failure);
    return {};
  }

  // Copies a manifest or index and everything below it, the manifest itself last.
  Status copy_node(const FetchedManifest& node, const std::string& tag, int depth) {
    if (depth > 4) return input_error(source.display + ": indexes nested more than 4 deep");
    if (media::is_index(node.descriptor.media_type)) {
      auto index = parse_index(node.bytes, "index " + node.descriptor.digest.str() + " of " + source.display);
      if (!index) return std::unexpected(index.error());
      for (const auto& child : index->manifests) {
        auto fetched = source.store->fetch_manifest(child.digest.str());
        if (!fetched) return std::unexpected(fetched.error());
        if (auto s = copy_node(*fetched, "", depth + 1); !s) return s;
      }
    } else {
      auto manifest = parse_manifest(node.bytes, "manifest " + node.descriptor.digest.str() + " of " + source.display);
      if (!manifest) return std::unexpected(manifest.error());
      std::vector<Descriptor> blobs{manifest->config};
      blobs.insert(blobs.end(), manifest->layers.begin(), manifest->layers.end());
      if (auto s = copy_blobs(blobs); !s) return s;
    }
    ++result.manifests;
    return destination.store->push_manifest(node.descriptor, node.bytes, tag);
  }

  Status copy_referrers(const std::vector<ReferrerNode>& nodes) {
    for (const auto& n : nodes) {
      auto fetched = source.store->fetch_manifest(n.descriptor.digest.str());
      if (!fetched) return std::unexpected(fetched.error());
      // Children first is not needed here: a referrer's subject is already copied.
      if (auto s = copy_node(*fetched, n.tag, 0); !s) return s;
      ++result.referrers;
      if (auto s = copy_referrers(n.referrers); !s) return s;
    }
    return {};
  }
};

}  // namespace

Result<CopyResult> copy_image(const Target& source, const Target& destination, const CopyOptions& options) {
  auto top = resolve_target(source);
  if (!top) return std::unexpected(top.error());
  std::string tag;
  if (destination.reference.starts_with("sha256:") || destination.reference.starts_with("sha512:")) {
    if (destination.reference != top->descriptor.digest.str())
      return usage_error("the destination names digest " + destination.reference + " but " + source.display + " is " +
                         top->descriptor.digest.str() + "; a copy keeps digests, so name a tag or the same digest");
  } else {
    tag = destination.reference.empty() ? (source.reference.find(':') == std::string::npos ? source.reference : "") : destination.reference;
  }
  Copier copier{source, destination, options, {}};
  copier.result.top = top->descriptor;
  if (auto s = copier.copy_node(*top, tag, 0); !s) return std::unexpected(s.error());
  if (options.with_referrers) {
    std::vector<FetchedManifest> subjects{*top};
    DiscoverOptions discover_options;
    auto graph = discover(*source.store, *top, discover_options);
    if (!graph) return std::unexpected(graph.error());
    if (auto s = copier.copy_referrers(*graph); !s) return std::unexpected(s.error());
    // Platform manifests of an index may have referrers of their own (signatures made
    // with --recursive).
    if (media::is_index(top->descriptor.media_type)) {
      auto index = parse_index(top->bytes, "index " + top->descriptor.digest.str());
      if (!index) return std::unexpected(index.error());
      for (const auto& child : index->manifests) {
        auto fetched = source.store->fetch_manifest(child.digest.str());
        if (!fetched) return std::unexpected(fetched.error());
        auto below = discover(*source.store, *fetched, discover_options);
        if (!below) return std::unexpected(below.error());
        if (auto s = copier.copy_referrers(*below); !s) return std::unexpected(s.error());
      }
    }
  }
  return copier.result;
}

}  // namespace cairn::oci
