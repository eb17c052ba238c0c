#pragma once
// An OCI image layout directory (image-spec image-layout.md) as a full content store:
// blobs under blobs/<alg>/<hex>, tags and untagged manifests in index.json, referrers
// found from the manifests index.json lists. Several processes may push into one layout
// at once: blobs are written to unique temporary files and renamed into place, and
// index.json is rewritten read-modify-write under an exclusive flock on index.json.lock.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "oci/image_model.h"
#include "oci/store.h"

namespace cairn::oci {

// The annotation that names a tag in a layout's index.json.
inline constexpr std::string_view kLayoutRefNameAnnotation = "org.opencontainers.image.ref.name";

// Opens the layout at `path`. With create, makes the directory, oci-layout and an empty
// index.json where missing; without, the layout must already exist.
Result<std::unique_ptr<Store>> open_layout_store(const std::string& path, bool create);

// Parses and checks a layout's index.json (at most kMaxDocumentBytes; every entry a valid
// descriptor). `where` names the file in errors.
Result<Index> parse_layout_index(std::string_view bytes, const std::string& where);

// index.json after recording `entry` in `current`, or nullopt when nothing changes.
// With a tag, the entries carrying that tag (and untagged entries of entry's digest) give
// way to `entry`, which must carry the tag annotation; an entry that loses its tag stays
// listed untagged when stays_listed says so (referrers must remain reachable). Without a
// tag, entry is appended unless an entry with its digest exists. Unknown fields of the
// document and of its entries are kept.
Result<std::optional<std::string>> updated_layout_index(std::string_view current, const std::string& where,
                                                        const Descriptor& entry, const std::string& tag,
                                                        const std::function<bool(const Descriptor&)>& stays_listed);

// Whether `tag` follows the image-spec grammar for org.opencontainers.image.ref.name.
bool valid_layout_tag(std::string_view tag);

}  // namespace cairn::oci
