#pragma once
// Base64 (RFC 4648, standard alphabet with padding): Docker config "auth" fields, Basic
// authorization, signatures and certificates in cosign's annotations.
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn {

std::string base64_encode(std::string_view bytes);
// Strict: refuses characters outside the alphabet, bad padding and bad lengths.
Result<std::string> base64_decode(std::string_view text);

}  // namespace cairn
