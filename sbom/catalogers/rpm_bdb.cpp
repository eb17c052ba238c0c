#include "sbom/catalogers/rpm_bdb.h"

#include <cstdint>
#include <string>
#include <vector>

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

constexpr std::uint32_t kHashMagic = 0x00061561;
constexpr std::uint32_t kBtreeMagic = 0x00053162;
constexpr std::size_t kPageHeaderSize = 26;  // LSN, pgno, prev, next, entries, hf_offset, level, type
constexpr std::uint8_t kPageHashUnsorted = 2, kPageOverflow = 7, kPageHashMeta = 8, kPageHash = 13;
constexpr std::uint8_t kItemKeyData = 1, kItemOffPage = 3;

class Pages {
 public:
  Pages(std::string_view db, bool swapped, std::uint32_t page_size, std::uint32_t last_page)
      : db_(db), swapped_(swapped), page_size_(page_size), last_page_(last_page), seen_(std::size_t{last_page} + 1) {}

  std::uint16_t u16(std::string_view page, std::size_t at) const {
    auto a = static_cast<std::uint16_t>(static_cast<unsigned char>(page[at]));
    auto b = static_cast<std::uint16_t>(static_cast<unsigned char>(page[at + 1]));
    return swapped_ ? static_cast<std::uint16_t>(a << 8 | b) : static_cast<std::uint16_t>(b << 8 | a);
  }
  std::uint32_t u32(std::string_view page, std::size_t at) const {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      auto byte = static_cast<std::uint32_t>(static_cast<unsigned char>(page[at + (swapped_ ? i : 3 - i)]));
      v = v << 8 | byte;
    }
    return v;
  }

  // A page that exists, carries its own number, and has not been used before: a chain
  // that loops or two chains sharing pages is corruption, not something to follow.
  Result<std::string_view> take(std::uint32_t pgno, const char* what) {
    if (pgno == 0 || pgno > last_page_)
      return input_error(cat(what, " page ", pgno, " is outside pages 1..", last_page_));
    std::uint64_t start = std::uint64_t{pgno} * page_size_;
    if (start + page_size_ > db_.size())
      return input_error(cat(what, " page ", pgno, " lies past the end of the ", db_.size(), "-byte file"));
    if (seen_[pgno]) return input_error(cat(what, " page ", pgno, " is reached twice (a loop or shared page)"));
    seen_[pgno] = true;
    std::string_view page = db_.substr(static_cast<std::size_t>(start), page_size_);
    if (u32(page, 8) != pgno)
      return input_error(cat(what, " page ", pgno, " says it is page ", u32(page, 8)));
    return page;
  }

  std::uint32_t page_size() const { return page_size_; }

 private:
  std::string_view db_;
  bool swapped_;
  std::uint32_t page_size_;
  std::uint32_t last_page_;
  std::vector<bool> seen_;
};

// Concatenates an overflow chain of exactly `total` bytes.
Result<std::string> read_overflow(Pages& pages, std::uint32_t pgno, std::uint32_t total) {
  if (total == 0) return input_error("overflow item of length 0");
  std::string out;
  while (out.size() < total) {
    auto page = pages.take(pgno, "overflow");
    if (!page) return std::unexpected(page.error());
    if (static_cast<std::uint8_t>((*page)[25]) != kPageOverflow)
      return input_error(cat("page ", pgno, " in an overflow chain has type ", static_cast<unsigned>(static_cast<std::uint8_t>((*page)[25])), ", not overflow (7)"));
    std::uint16_t len = pages.u16(*page, 22);  // on overflow pages hf_offset is the byte count
    if (len + kPageHeaderSize > pages.page_size() || len > total - out.size())
      return input_error(cat("overflow page ", pgno, " holds ", len, " bytes, more than the page or the item allows"));
    out.append(page->substr(kPageHeaderSize, len));
    pgno = pages.u32(*page, 16);
    if (out.size() < total && pgno == 0)
      return input_error(cat("overflow chain ends after ", out.size(), " of ", total, " bytes"));
  }
  return out;
}

}  // namespace

Status read_bdb_packages(std::string_view db, const BlobVisitor& visit, Problems& problems) {
  if (db.size() < 512) return input_error(cat(db.size(), " bytes is too short for a Berkeley DB file"));
  auto le32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(db[at + i]);
    return v;
  };
  std::uint32_t magic = le32(12);
  bool swapped = false;
  if (magic == kHashMagic) {
    swapped = false;
  } else if (__builtin_bswap32(magic) == kHashMagic) {
    swapped = true;
  } else if (magic == kBtreeMagic || __builtin_bswap32(magic) == kBtreeMagic) {
    return input_error("a Berkeley DB btree, but rpm's Packages database is a hash");
  } else {
    return input_error(cat("not a Berkeley DB hash database (magic ", hex32(magic), ")"));
  }
  auto meta32 = [&](std::size_t at) { return swapped ? __builtin_bswap32(le32(at)) : le32(at); };
  std::uint32_t version = meta32(16), page_size = meta32(20), last_page = meta32(32);
  if (version < 8 || version > 10) return input_error(cat("unsupported hash version ", version, " (rpm reads 8 to 10)"));
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)))
    return input_error(cat("page size ", page_size, " is not a power of two from 512 to 65536"));
  if (static_cast<std::uint8_t>(db[24]) != 0) return input_error("the database is encrypted");
  if (static_cast<std::uint8_t>(db[25]) != kPageHashMeta)
    return input_error(cat("first page has type ", static_cast<unsigned>(static_cast<std::uint8_t>(db[25])), ", not hash metadata (8)"));
  if (std::uint64_t{last_page} + 1 > db.size() / page_size + 1)
    return input_error(cat("last page ", last_page, " lies past the end of the ", db.size(), "-byte file"));
  std::uint32_t max_bucket = meta32(72);
  std::uint32_t spares[32];
  for (int i = 0; i < 32; ++i) spares[i] = meta32(96 + 4 * static_cast<std::size_t>(i));

  Pages pages(db, swapped, page_size, last_page);
  std::size_t blobs = 0;
  // Buckets are numbered from 0; bucket b's first page is b + spares[bit length of b].
  for (std::uint64_t bucket = 0; bucket <= max_bucket; ++bucket) {
    int bits = 0;
    for (auto b = bucket; b; b >>= 1) ++bits;
    std::uint64_t pgno64 = bucket + spares[bits];
    if (pgno64 > last_page) return input_error(cat("bucket ", bucket, " maps to page ", pgno64, ", past the last page ", last_page));
    auto pgno = static_cast<std::uint32_t>(pgno64);
    while (pgno != 0) {
      auto page = pages.take(pgno, "hash");
      if (!page) return std::unexpected(page.error().context(cat("bucket ", bucket)));
      auto type = static_cast<std::uint8_t>((*page)[25]);
      if (type != kPageHash && type != kPageHashUnsorted)
        return input_error(cat("bucket ", bucket, ": page ", pgno, " has type ", static_cast<unsigned>(type), ", not a hash page (13)"));
      std::uint16_t entries = pages.u16(*page, 20);
      if (kPageHeaderSize + std::size_t{entries} * 2 > page_size)
        return input_error(cat("hash page ", pgno, ": ", entries, " entries overflow the page"));
      if (entries % 2) return input_error(cat("hash page ", pgno, ": odd entry count ", entries, " (keys and values come in pairs)"));
      for (std::uint16_t i = 0; i + 1 < entries; i += 2) {
        std::size_t koff = pages.u16(*page, kPageHeaderSize + 2 * std::size_t{i});
        std::size_t voff = pages.u16(*page, kPageHeaderSize + 2 * std::size_t{i} + 2);
        std::size_t kend = i == 0 ? page_size : pages.u16(*page, kPageHeaderSize + 2 * std::size_t{i} - 2);
        std::size_t min_off = kPageHeaderSize + std::size_t{entries} * 2;
        if (koff < min_off || voff < min_off || kend > page_size || voff >= koff || koff >= kend) {
          problems.push_back(cat("hash page ", pgno, " item ", i / 2, ": offsets out of order or outside the page"));
          continue;
        }
        std::string_view key = page->substr(koff, kend - koff);
        std::string_view value = page->substr(voff, koff - voff);
        // rpm keeps a record under package number 0 holding the next free number.
        if (static_cast<std::uint8_t>(key[0]) == kItemKeyData && key.size() == 5 && key.substr(1) == std::string_view("\0\0\0\0", 4))
          continue;
        if (++blobs > kMaxPackagesPerDatabase) {
          problems.push_back(cat("more than ", kMaxPackagesPerDatabase, " packages; the rest are not read"));
          return {};
        }
        auto item_type = static_cast<std::uint8_t>(value[0]);
        if (item_type == kItemKeyData) {
          visit(value.substr(1));
        } else if (item_type == kItemOffPage) {
          if (value.size() != 12) {
            problems.push_back(cat("hash page ", pgno, " item ", i / 2, ": off-page reference of ", value.size(), " bytes, not 12"));
            continue;
          }
          auto blob = read_overflow(pages, pages.u32(value, 4), pages.u32(value, 8));
          if (!blob) {
            problems.push_back(cat("hash page ", pgno, " item ", i / 2, ": ", blob.error().message));
            continue;
          }
          visit(*blob);
        } else {
          problems.push_back(cat("hash page ", pgno, " item ", i / 2, ": value of item type ", static_cast<unsigned>(item_type), " (duplicates are not used by rpm)"));
        }
      }
      pgno = pages.u32(*page, 16);
    }
  }
  return {};
}

}  // namespace cairn::sbom::rpm
