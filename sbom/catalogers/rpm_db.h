#pragma once
// What the three rpm database readers (Berkeley DB, ndb, sqlite) share: they find the
// header blobs in a database held in memory and hand each to a visitor, so no more
// than one decoded blob is alive at a time.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::sbom::rpm {

// Called once per header blob, in database order. The view is valid during the call.
using BlobVisitor = std::function<void(std::string_view blob)>;

// More header blobs than any real system has; a database claiming more is refused
// past this point (the rest reported as a problem).
inline constexpr std::size_t kMaxPackagesPerDatabase = 200000;

// Problems confined to one entry (a bad slot, a broken overflow chain): the reader
// records them and goes on with the next entry.
using Problems = std::vector<std::string>;

}  // namespace cairn::sbom::rpm
