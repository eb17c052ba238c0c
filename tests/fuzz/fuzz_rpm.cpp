// The rpm readers over arbitrary bytes: the first byte picks the reader, the rest is
// its input. Every header blob a database reader finds is decoded, as the cataloger does.
#include <cstdint>
#include <string_view>

#include "sbom/catalogers/rpm_archive.h"
#include "sbom/catalogers/rpm_bdb.h"
#include "sbom/catalogers/rpm_header.h"
#include "sbom/catalogers/rpm_manifest.h"
#include "sbom/catalogers/rpm_ndb.h"
#include "sbom/catalogers/rpm_signature.h"
#include "sbom/catalogers/rpm_sqlite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::sbom::rpm;
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto decode = [](std::string_view blob) { (void)parse_header_blob(blob); };
  Problems problems;
  switch (data[0] % 7) {
    case 0: decode(input); break;
    case 1: (void)read_bdb_packages(input, decode, problems); break;
    case 2: (void)read_ndb_packages(input, decode, problems); break;
    case 3: (void)read_sqlite_packages(input, decode, problems); break;
    case 4: (void)parse_rpm_manifest(input); break;
    case 5: (void)read_rpm_archive_header(input); break;
    case 6: (void)describe_pgp_signature(input); break;
  }
  return 0;
}
