#pragma once
// rpm's legacy "Packages" database: a Berkeley DB hash file whose values are header
// blobs (usually on overflow pages), keyed by a 4-byte package number. Read from memory
// the way rpm's own read-only backend (bdb_ro) walks it: bucket by bucket through the
// hash pages, following each bucket's page chain and each value's overflow chain.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/rpm_db.h"

namespace cairn::sbom::rpm {

// Fails when the bytes are not a Berkeley DB hash database or its page structure is
// broken; a bad value is recorded in `problems` and skipped. Every page is read at most
// once, so the blobs handed out never add up to more than the file.
Status read_bdb_packages(std::string_view db, const BlobVisitor& visit, Problems& problems);

}  // namespace cairn::sbom::rpm
