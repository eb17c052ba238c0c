#pragma once
// rpm's "ndb" Packages.db (rpm >= 4.15, the default on SUSE): a 32-byte header, slot
// pages of 16-byte slots (package number, block offset, block count) and blobs in
// 16-byte blocks, each blob framed by a head (magic, package number, timestamp,
// length) and a tail (Adler-32, length, magic). Layout from rpm's lib/backend/ndb/rpmpkg.c.
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/rpm_db.h"

namespace cairn::sbom::rpm {

// Fails when the bytes are not an ndb package database or a slot page is corrupt; a
// blob that fails its checks (framing, length, checksum, overlap) is recorded in
// `problems` and skipped.
Status read_ndb_packages(std::string_view db, const BlobVisitor& visit, Problems& problems);

}  // namespace cairn::sbom::rpm
