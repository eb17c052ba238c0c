#pragma once
// Registry authentication as the distribution token spec and docker describe it: the
// WWW-Authenticate challenge of a 401, Basic credentials, and Bearer tokens fetched from
// the challenge's realm for a service and scopes.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::oci {

struct Challenge {
  std::string scheme;                         // "basic" or "bearer", lowercased
  std::map<std::string, std::string> params;  // realm, service, scope, error (keys lowercased)
};

// Parses a WWW-Authenticate value (one or several challenges, quoted strings with
// escapes). Unknown schemes are kept; a malformed header is an error naming it.
Result<std::vector<Challenge>> parse_challenges(std::string_view header);

// The token in a token endpoint's JSON answer ("token", else "access_token"), and the
// refresh token when there is one.
struct TokenAnswer {
  std::string token;
  std::string refresh_token;
  int expires_in = 60;
};
Result<TokenAnswer> parse_token_answer(std::string_view body, const std::string& where);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view text);

}  // namespace cairn::oci
