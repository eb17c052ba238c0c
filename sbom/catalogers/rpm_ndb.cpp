#include "sbom/catalogers/rpm_ndb.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

constexpr std::uint32_t fourcc(char a, char b, char c, char d) {
  return static_cast<std::uint32_t>(a) | static_cast<std::uint32_t>(b) << 8 | static_cast<std::uint32_t>(c) << 16 |
         static_cast<std::uint32_t>(d) << 24;
}
constexpr std::uint32_t kDbMagic = fourcc('R', 'p', 'm', 'P');
constexpr std::uint32_t kSlotMagic = fourcc('S', 'l', 'o', 't');
constexpr std::uint32_t kBlobHeadMagic = fourcc('B', 'l', 'b', 'S');
constexpr std::uint32_t kBlobTailMagic = fourcc('B', 'l', 'b', 'E');
constexpr std::size_t kPageSize = 4096, kSlotSize = 16, kBlockSize = 16;
constexpr std::size_t kHeaderSize = 32, kBlobHeadSize = 16, kBlobTailSize = 12;

std::uint32_t le32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

// RFC 1950 Adler-32, the checksum rpm writes in each blob tail.
std::uint32_t adler32(std::string_view data) {
  std::uint32_t a = 1, b = 0;
  // 5552 is the most bytes that can be summed before b could overflow 32 bits.
  while (!data.empty()) {
    std::size_t n = std::min<std::size_t>(data.size(), 5552);
    for (unsigned char c : data.substr(0, n)) {
      a += c;
      b += a;
    }
    a %= 65521;
    b %= 65521;
    data.remove_prefix(n);
  }
  return b << 16 | a;
}

struct Slot {
  std::uint32_t pkgidx, blkoff, blkcnt;
  std::size_t number;
};

}  // namespace

Status read_ndb_packages(std::string_view db, const BlobVisitor& visit, Problems& problems) {
  if (db.size() < kHeaderSize) return input_error(cat(db.size(), " bytes is too short for an ndb header"));
  if (le32(db, 0) != kDbMagic) return input_error(cat("not an ndb package database (magic ", hex32(le32(db, 0)), ")"));
  if (le32(db, 4) != 0) return input_error(cat("unsupported ndb version ", le32(db, 4)));
  std::uint32_t slot_pages = le32(db, 12);
  if (slot_pages == 0) return input_error("ndb header declares no slot pages");
  if (std::uint64_t{slot_pages} * kPageSize > db.size())
    return input_error(cat(slot_pages, " slot pages do not fit in the ", db.size(), "-byte file"));
  const std::uint64_t file_blocks = db.size() / kBlockSize;
  const std::uint64_t first_data_block = std::uint64_t{slot_pages} * (kPageSize / kBlockSize);

  std::vector<Slot> slots;
  const std::size_t slot_count = std::size_t{slot_pages} * (kPageSize / kSlotSize);
  for (std::size_t n = kHeaderSize / kSlotSize; n < slot_count; ++n) {
    std::size_t at = n * kSlotSize;
    if (le32(db, at) != kSlotMagic) return input_error(cat("slot ", n, " has a bad magic number"));
    Slot s{le32(db, at + 4), le32(db, at + 8), le32(db, at + 12), n};
    if (s.blkoff == 0) continue;  // free slot
    if (s.pkgidx == 0 || s.blkcnt == 0 || s.blkoff < first_data_block || std::uint64_t{s.blkoff} + s.blkcnt > file_blocks) {
      problems.push_back(cat("slot ", n, " (package ", s.pkgidx, "): blocks ", s.blkoff, "+", s.blkcnt, " are outside the data area"));
      continue;
    }
    slots.push_back(s);
  }
  if (slots.size() > kMaxPackagesPerDatabase) {
    problems.push_back(cat(slots.size(), " packages, more than the ", kMaxPackagesPerDatabase, " read"));
    slots.resize(kMaxPackagesPerDatabase);
  }
  // rpm lists packages in block order; blobs must not overlap, so each byte is read once.
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.blkoff < b.blkoff; });
  std::uint64_t previous_end = first_data_block;
  for (const Slot& s : slots) {
    if (s.blkoff < previous_end) {
      problems.push_back(cat("slot ", s.number, " (package ", s.pkgidx, "): blob overlaps the one before it"));
      continue;
    }
    previous_end = std::uint64_t{s.blkoff} + s.blkcnt;
    std::string_view area = db.substr(std::size_t{s.blkoff} * kBlockSize, std::size_t{s.blkcnt} * kBlockSize);
    auto problem = [&](const std::string& what) {
      problems.push_back(cat("package ", s.pkgidx, " (slot ", s.number, "): ", what));
    };
    if (area.size() < kBlobHeadSize + kBlobTailSize) { problem("blob area smaller than its framing"); continue; }
    if (le32(area, 0) != kBlobHeadMagic) { problem("bad blob head magic"); continue; }
    if (le32(area, 4) != s.pkgidx) { problem(cat("blob belongs to package ", le32(area, 4))); continue; }
    std::uint64_t length = le32(area, 12);
    if ((kBlobHeadSize + length + kBlobTailSize + kBlockSize - 1) / kBlockSize != s.blkcnt) {
      problem(cat("blob length ", length, " does not match ", s.blkcnt, " blocks"));
      continue;
    }
    std::string_view tail = area.substr(area.size() - kBlobTailSize);
    if (le32(tail, 8) != kBlobTailMagic) { problem("bad blob tail magic"); continue; }
    if (le32(tail, 4) != length) { problem("blob head and tail disagree on the length"); continue; }
    if (adler32(area.substr(0, area.size() - kBlobTailSize)) != le32(tail, 0)) { problem("blob checksum mismatch"); continue; }
    visit(area.substr(kBlobHeadSize, static_cast<std::size_t>(length)));
  }
  return {};
}

}  // namespace cairn::sbom::rpm
