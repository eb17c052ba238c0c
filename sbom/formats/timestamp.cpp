#include "sbom/formats/timestamp.h"

#include <algorithm>
#include <cstdio>

namespace cairn::sbom {

namespace {

// Days since 1970-01-01 to a proleptic Gregorian civil date (Howard Hinnant's
// days_from_civil inverse), without the time zone database.
void civil_from_days(std::int64_t z, std::int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

}  // namespace

std::string rfc3339_utc(std::int64_t epoch_seconds) {
  constexpr std::int64_t kLast = 253402300799;  // 9999-12-31T23:59:59Z
  const std::int64_t t = std::clamp<std::int64_t>(epoch_seconds, 0, kLast);
  const std::int64_t days = t / 86400;
  const std::int64_t secs = t % 86400;
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, year, month, day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(year), month, day,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace cairn::sbom
