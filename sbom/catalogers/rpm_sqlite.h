#pragma once
// rpm's sqlite database (rpm >= 4.16, the default on Fedora and RHEL 9): header blobs
// are the "blob" column of the Packages table. The file is opened from memory with
// sqlite3_deserialize, read-only; nothing is written to disk.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/rpm_db.h"

namespace cairn::sbom::rpm {

// Fails when the bytes are not a sqlite database with a Packages table; a row whose
// blob is not a BLOB is recorded in `problems` and skipped.
Status read_sqlite_packages(std::string_view db, const BlobVisitor& visit, Problems& problems);

}  // namespace cairn::sbom::rpm
