#pragma once
// One rpm header blob, as rpm keeps it in its databases (and, after the lead and the
// signature header, in a .rpm file): a big-endian count of index entries and the size
// of the data store, the entries (tag, type, offset, count; 16 bytes each), then the
// data store they point into. Every count, offset and length is checked against the
// blob before it is used, and only the tags cairn reads are decoded.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cairn::sbom::rpm {

// Limits a header must respect: the same numbers rpm's own header checks use.
inline constexpr std::uint32_t kMaxIndexEntries = 0xffff;
inline constexpr std::uint32_t kMaxDataStoreBytes = 256u * 1024 * 1024;
// Elements cairn decodes from one array tag. The largest real packages list some 10^5
// files; the cap keeps a data store full of one-byte strings from turning into
// hundreds of millions of decoded objects.
inline constexpr std::uint32_t kMaxArrayElements = 1u << 20;

// rpm tag numbers (lib/rpmtag.h) of the fields cairn reads.
namespace tag {
inline constexpr std::uint32_t kHeaderImage = 61, kHeaderSignatures = 62, kHeaderImmutable = 63;
inline constexpr std::uint32_t kSigPgp = 259, kSigGpg = 262, kDsaHeader = 267, kRsaHeader = 268;
inline constexpr std::uint32_t kName = 1000, kVersion = 1001, kRelease = 1002, kEpoch = 1003;
inline constexpr std::uint32_t kSize = 1009, kVendor = 1011, kLicense = 1014, kArch = 1022;
inline constexpr std::uint32_t kOldFilenames = 1027, kFileSizes = 1028, kFileModes = 1030;
inline constexpr std::uint32_t kFileDigests = 1035, kFileFlags = 1037, kFileUsername = 1039;
inline constexpr std::uint32_t kFileGroupname = 1040, kSourceRpm = 1044, kProvideName = 1047;
inline constexpr std::uint32_t kRequireName = 1049, kDirIndexes = 1116, kBasenames = 1117;
inline constexpr std::uint32_t kDirNames = 1118, kLongFileSizes = 5008, kLongSize = 5009;
inline constexpr std::uint32_t kFileDigestAlgo = 5011, kModularityLabel = 5096;
}  // namespace tag

struct FileRecord {
  std::string path;
  std::uint16_t mode = 0;
  std::int64_t size = 0;
  std::string digest;  // hex, empty for directories and links
  std::string user;
  std::string group;
  std::uint32_t flags = 0;  // RPMFILE_* bits (config, doc, ...)
};

struct HeaderInfo {
  std::string name;
  std::optional<std::int64_t> epoch;  // absent when the package has no EPOCH tag
  std::string version;
  std::string release;
  std::string arch;
  std::string source_rpm;
  std::string license;
  std::string vendor;
  std::string modularity_label;
  std::int64_t size = 0;  // installed size: LONGSIZE when present, else SIZE
  std::vector<std::string> requires_names;
  std::vector<std::string> provides_names;
  std::vector<FileRecord> files;
  std::string digest_algorithm;  // "md5", "sha256", ... for FileRecord::digest
  // "RSA/SHA256, Wed May 11 11:12:32 2022, Key ID 702d426d350d275d", as rpm's
  // %{RSAHEADER:pgpsig} prints it (time in UTC); one per distinct signature tag.
  std::vector<std::string> signatures;
  // Problems that did not make the header unusable (an inconsistent file list, a
  // signature cairn cannot read), each naming the tag.
  std::vector<std::string> problems;
};

// Decodes the package fields of a header blob. Fails, naming the entry or tag, when the
// blob is not a well-formed header or a field has the wrong type or shape.
Result<HeaderInfo> parse_header_blob(std::string_view blob);

// The lowercase name of a FILEDIGESTALGO value ("md5" when the tag is absent).
std::string digest_algorithm_name(std::int64_t algo);

}  // namespace cairn::sbom::rpm
