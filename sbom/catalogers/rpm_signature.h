#pragma once
// The OpenPGP signature packets rpm stores in RSAHEADER / DSAHEADER / SIGPGP / SIGGPG,
// summarised the way rpm's "pgpsig" query format does. Only the packet header and
// subpackets are read; nothing is verified.
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::sbom::rpm {

// "RSA/SHA256, Wed May 11 11:12:32 2022, Key ID 702d426d350d275d" for a v3 or v4
// signature packet; the time is the signature creation time in UTC.
Result<std::string> describe_pgp_signature(std::string_view packet);

}  // namespace cairn::sbom::rpm
