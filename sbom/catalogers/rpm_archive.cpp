#include "sbom/catalogers/rpm_archive.h"

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

constexpr std::size_t kLeadSize = 96;
constexpr std::string_view kLeadMagic("\xed\xab\xee\xdb", 4);
constexpr std::string_view kHeaderMagic("\x8e\xad\xe8\x01", 4);

std::uint32_t be32(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// The blob (index count onwards) of the header structure starting at `at`.
Result<std::string_view> header_at(std::string_view file, std::size_t at, const char* which) {
  if (file.size() < at + 16) return input_error(cat("file ends before the ", which, " header"));
  if (file.substr(at, 4) != kHeaderMagic) return input_error(cat(which, " header magic is missing at offset ", at));
  std::uint64_t il = be32(file, at + 8), dl = be32(file, at + 12);
  if (il > kMaxIndexEntries || dl > kMaxDataStoreBytes)
    return input_error(cat(which, " header declares ", il, " entries and ", dl, " data bytes, beyond rpm's limits"));
  std::uint64_t size = 8 + il * 16 + dl;
  if (at + 8 + size > file.size()) return input_error(cat(which, " header of ", size, " bytes is truncated"));
  return file.substr(at + 8, static_cast<std::size_t>(size));
}

}  // namespace

Result<HeaderInfo> read_rpm_archive_header(std::string_view file) {
  if (file.size() < kLeadSize) return input_error(cat("a .rpm file starts with a 96-byte lead; this one has ", file.size(), " bytes"));
  if (file.substr(0, 4) != kLeadMagic) return input_error("not an rpm package file (lead magic ed ab ee db missing)");
  auto signature = header_at(file, kLeadSize, "signature");
  if (!signature) return std::unexpected(signature.error());
  std::size_t main_at = kLeadSize + 8 + signature->size();
  main_at = (main_at + 7) / 8 * 8;  // the signature header is padded to 8 bytes
  auto main = header_at(file, main_at, "main");
  if (!main) return std::unexpected(main.error());
  auto info = parse_header_blob(*main);
  if (!info) return std::unexpected(info.error().context("main header"));
  return info;
}

}  // namespace cairn::sbom::rpm
