#pragma once
// The package header of a .rpm file: after the 96-byte lead come the signature header
// and the main header, each introduced by the magic 8e ad e8 01 and four reserved bytes,
// the signature header padded to a multiple of 8. Only the headers are read; the
// compressed payload after them is not. (Syft reads .rpm files in a separate
// "rpm-archive-cataloger"; cairn has this reader ready for one, and uses it in tests to
// check the header decoder against rpm -qp.)
#include <string_view>

#include "core/error.h"
#include "sbom/catalogers/rpm_header.h"

namespace cairn::sbom::rpm {

// Fails, saying which part is wrong, when the bytes are not an rpm package file.
Result<HeaderInfo> read_rpm_archive_header(std::string_view file);

}  // namespace cairn::sbom::rpm
