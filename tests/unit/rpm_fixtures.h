#pragma once
// Builders for rpm test inputs: header blobs, and the three database containers rpm
// stores them in (Berkeley DB hash, ndb, sqlite), laid out as rpm lays them out. The
// e2e tests feed these builders real headers written by rpm, and check the Berkeley DB
// one against rpm's own read-only reader.
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cairn::testing::rpm {

inline void put_be32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
}
inline void append_be32(std::string& s, std::uint32_t v) {
  s.append(4, '\0');
  put_be32(s, s.size() - 4, v);
}
inline void put_le32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
}

// A header blob: entries in the order added, data aligned as rpm aligns it.
class HeaderBuilder {
 public:
  enum Type : std::uint32_t { kChar = 1, kInt8 = 2, kInt16 = 3, kInt32 = 4, kInt64 = 5, kString = 6, kBin = 7, kStringArray = 8, kI18n = 9 };

  HeaderBuilder& string(std::uint32_t tag, const std::string& v, Type type = kString) {
    return add(tag, type, 1, v + std::string(1, '\0'), 1);
  }
  HeaderBuilder& strings(std::uint32_t tag, const std::vector<std::string>& v) {
    std::string data;
    for (const auto& s : v) data += s + std::string(1, '\0');
    return add(tag, kStringArray, static_cast<std::uint32_t>(v.size()), data, 1);
  }
  HeaderBuilder& int32s(std::uint32_t tag, const std::vector<std::int64_t>& v) { return ints(tag, kInt32, 4, v); }
  HeaderBuilder& int16s(std::uint32_t tag, const std::vector<std::int64_t>& v) { return ints(tag, kInt16, 2, v); }
  HeaderBuilder& int64s(std::uint32_t tag, const std::vector<std::int64_t>& v) { return ints(tag, kInt64, 8, v); }
  HeaderBuilder& bin(std::uint32_t tag, const std::string& v) { return add(tag, kBin, static_cast<std::uint32_t>(v.size()), v, 1); }

  // An entry whose fields are given as they are, for malformed headers.
  HeaderBuilder& raw_entry(std::uint32_t tag, std::uint32_t type, std::uint32_t offset, std::uint32_t count) {
    entries_.push_back({tag, type, offset, count});
    return *this;
  }
  HeaderBuilder& raw_data(const std::string& bytes) {
    data_ += bytes;
    return *this;
  }

  std::string build() const {
    std::string out;
    append_be32(out, static_cast<std::uint32_t>(entries_.size()));
    append_be32(out, static_cast<std::uint32_t>(data_.size()));
    for (const auto& e : entries_) {
      append_be32(out, e.tag);
      append_be32(out, e.type);
      append_be32(out, e.offset);
      append_be32(out, e.count);
    }
    return out + data_;
  }

 private:
  struct Entry {
    std::uint32_t tag, type, offset, count;
  };
  HeaderBuilder& ints(std::uint32_t tag, Type type, std::size_t width, const std::vector<std::int64_t>& v) {
    std::string data;
    for (auto x : v)
      for (std::size_t i = 0; i < width; ++i) data += static_cast<char>(static_cast<std::uint64_t>(x) >> (8 * (width - 1 - i)));
    return add(tag, type, static_cast<std::uint32_t>(v.size()), data, width);
  }
  HeaderBuilder& add(std::uint32_t tag, std::uint32_t type, std::uint32_t count, const std::string& data, std::size_t align) {
    while (data_.size() % align) data_ += '\0';
    entries_.push_back({tag, type, static_cast<std::uint32_t>(data_.size()), count});
    data_ += data;
    return *this;
  }
  std::vector<Entry> entries_;
  std::string data_;
};

// A Berkeley DB hash database as rpm's Packages: one bucket (page 1, chained to more
// hash pages as it fills), keys are 4-byte package numbers from 1, a record under
// number 0 holds the next free number, blobs larger than a quarter page go to
// overflow pages. `big_endian` writes it as a big-endian machine would.
inline std::string bdb_database(const std::vector<std::string>& blobs, std::uint32_t page_size = 4096,
                                bool big_endian = false) {
  auto put16 = [&](std::string& page, std::size_t at, std::uint32_t v) {
    page[at + (big_endian ? 1 : 0)] = static_cast<char>(v & 0xff);
    page[at + (big_endian ? 0 : 1)] = static_cast<char>((v >> 8) & 0xff);
  };
  auto put32 = [&](std::string& page, std::size_t at, std::uint32_t v) {
    if (big_endian) put_be32(page, at, v);
    else put_le32(page, at, v);
  };
  auto key = [&](std::uint32_t n) {
    std::string k(5, '\0');
    k[0] = 1;  // H_KEYDATA
    put32(k, 1, n);
    return k;
  };
  std::vector<std::string> pages(2, std::string(page_size, '\0'));
  auto new_page = [&](std::uint8_t type) {
    std::string p(page_size, '\0');
    p[25] = static_cast<char>(type);
    pages.push_back(p);
    return static_cast<std::uint32_t>(pages.size() - 1);
  };
  // Items as (key, value) byte strings.
  std::vector<std::pair<std::string, std::string>> items;
  {
    std::string next = std::string(1, '\1') + std::string(4, '\0');
    put32(next, 1, static_cast<std::uint32_t>(blobs.size() + 1));
    items.push_back({key(0), next});
  }
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    const std::string& blob = blobs[i];
    std::string value;
    if (blob.size() + 1 <= page_size / 4) {
      value = std::string(1, '\1') + blob;
    } else {
      // Overflow chain: each page holds up to page_size - 26 bytes, hf_offset = count.
      std::uint32_t first = 0, prev = 0;
      for (std::size_t at = 0; at < blob.size(); at += page_size - 26) {
        std::uint32_t pg = new_page(7);
        std::size_t n = std::min<std::size_t>(page_size - 26, blob.size() - at);
        pages[pg].replace(26, n, blob.substr(at, n));
        put16(pages[pg], 22, static_cast<std::uint32_t>(n));
        put16(pages[pg], 20, 1);
        if (prev) {
          put32(pages[prev], 16, pg);
          put32(pages[pg], 12, prev);
        } else {
          first = pg;
        }
        prev = pg;
      }
      value = std::string(12, '\0');
      value[0] = 3;  // H_OFFPAGE
      put32(value, 4, first);
      put32(value, 8, static_cast<std::uint32_t>(blob.size()));
    }
    items.push_back({key(static_cast<std::uint32_t>(i + 1)), value});
  }
  // Fill bucket pages: index grows up from byte 26, items grow down from the end.
  std::uint32_t current = 1;
  pages[1][25] = 13;
  std::size_t entries = 0, high = page_size;
  for (const auto& [k, v] : items) {
    if (26 + (entries + 2) * 2 + k.size() + v.size() > high) {
      std::uint32_t next = new_page(13);
      put32(pages[current], 16, next);
      put32(pages[next], 12, current);
      current = next;
      entries = 0;
      high = page_size;
    }
    high -= k.size();
    pages[current].replace(high, k.size(), k);
    put16(pages[current], 26 + entries * 2, static_cast<std::uint32_t>(high));
    high -= v.size();
    pages[current].replace(high, v.size(), v);
    put16(pages[current], 26 + (entries + 1) * 2, static_cast<std::uint32_t>(high));
    entries += 2;
    put16(pages[current], 20, static_cast<std::uint32_t>(entries));
    put16(pages[current], 22, static_cast<std::uint32_t>(high));
  }
  for (std::size_t i = 1; i < pages.size(); ++i) put32(pages[i], 8, static_cast<std::uint32_t>(i));
  std::string& meta = pages[0];
  put32(meta, 12, 0x00061561);
  put32(meta, 16, 9);
  put32(meta, 20, page_size);
  meta[25] = 8;
  put32(meta, 32, static_cast<std::uint32_t>(pages.size() - 1));  // last page
  put32(meta, 40, static_cast<std::uint32_t>(items.size()));       // key count
  put32(meta, 44, static_cast<std::uint32_t>(items.size()));       // record count
  put32(meta, 72, 0);                                               // max bucket
  put32(meta, 76, 1);                                               // high mask
  put32(meta, 80, 0);                                               // low mask
  put32(meta, 84, 40);                                              // fill factor
  put32(meta, 88, static_cast<std::uint32_t>(items.size()));
  put32(meta, 96, 1);  // spares[0]: bucket 0 lives on page 0 + 1
  std::string out;
  for (const auto& p : pages) out += p;
  return out;
}

inline std::uint32_t adler32(const std::string& data) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

// An ndb Packages.db with the blobs as packages 1..n, in that order after the slot pages.
inline std::string ndb_database(const std::vector<std::string>& blobs) {
  const std::size_t slots_needed = blobs.size() + 2;
  const std::uint32_t slot_pages = static_cast<std::uint32_t>((slots_needed + 255) / 256);
  std::string db(std::size_t{slot_pages} * 4096, '\0');
  auto fourcc = [](const char* s) {
    return static_cast<std::uint32_t>(s[0]) | static_cast<std::uint32_t>(s[1]) << 8 | static_cast<std::uint32_t>(s[2]) << 16 |
           static_cast<std::uint32_t>(s[3]) << 24;
  };
  put_le32(db, 0, fourcc("RpmP"));
  put_le32(db, 4, 0);
  put_le32(db, 8, 1);
  put_le32(db, 12, slot_pages);
  put_le32(db, 16, static_cast<std::uint32_t>(blobs.size() + 1));
  for (std::size_t slot = 2; slot < std::size_t{slot_pages} * 256; ++slot) put_le32(db, slot * 16, fourcc("Slot"));
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    const std::string& blob = blobs[i];
    std::uint32_t blkcnt = static_cast<std::uint32_t>((16 + blob.size() + 12 + 15) / 16);
    std::uint32_t blkoff = static_cast<std::uint32_t>(db.size() / 16);
    std::string area(std::size_t{blkcnt} * 16, '\0');
    put_le32(area, 0, fourcc("BlbS"));
    put_le32(area, 4, static_cast<std::uint32_t>(i + 1));
    put_le32(area, 8, 1700000000);
    put_le32(area, 12, static_cast<std::uint32_t>(blob.size()));
    area.replace(16, blob.size(), blob);
    put_le32(area, area.size() - 12, adler32(area.substr(0, area.size() - 12)));
    put_le32(area, area.size() - 8, static_cast<std::uint32_t>(blob.size()));
    put_le32(area, area.size() - 4, fourcc("BlbE"));
    db += area;
    std::size_t slot = (i + 2) * 16;
    put_le32(db, slot + 4, static_cast<std::uint32_t>(i + 1));
    put_le32(db, slot + 8, blkoff);
    put_le32(db, slot + 12, blkcnt);
  }
  return db;
}

// A sqlite database with rpm's Packages table holding the blobs, as file bytes.
inline std::string sqlite_database(const std::vector<std::string>& blobs) {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
  sqlite3_exec(db, "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &st, nullptr);
  for (const auto& b : blobs) {
    sqlite3_bind_blob(st, 1, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::string out(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

}  // namespace cairn::testing::rpm
