#include "oci/tar_index.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

namespace cairn::oci {

namespace {

constexpr std::size_t kBlock = 512;
constexpr std::uint64_t kMaxMetaBytes = 1 << 20;       // long names and pax headers
constexpr std::size_t kMaxMembers = 1'000'000;

std::string field_string(const char* p, std::size_t n) { return std::string(p, strnlen(p, n)); }

// Octal, or the GNU base-256 form for large sizes (high bit of the first byte set).
bool parse_number(const unsigned char* p, std::size_t n, std::uint64_t& out) {
  out = 0;
  if (n && (p[0] & 0x80)) {
    if (p[0] & 0x40) return false;  // negative
    std::uint64_t v = p[0] & 0x3f;
    for (std::size_t i = 1; i < n; ++i) {
      if (v >> 56) return false;
      v = (v << 8) | p[i];
    }
    out = v;
    return true;
  }
  std::size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == 0)) ++i;
  for (; i < n && p[i] >= '0' && p[i] <= '7'; ++i) {
    if (out >> 60) return false;
    out = out * 8 + (p[i] - '0');
  }
  for (; i < n; ++i)
    if (p[i] != ' ' && p[i] != 0) return false;
  return true;
}

bool checksum_ok(const unsigned char* h) {
  std::uint64_t stored = 0;
  if (!parse_number(h + 148, 8, stored)) return false;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == stored;
}

std::string normalise(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  while (!name.empty() && name[0] == '/') name.erase(0, 1);
  return name;
}

// Pax records: "<len> key=value\n". Returns the path and size overrides it carries.
bool parse_pax(const std::string& data, std::string& path, std::optional<std::uint64_t>& size) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t sp = data.find(' ', pos);
    if (sp == std::string::npos) return false;
    std::uint64_t len = 0;
    for (std::size_t i = pos; i < sp; ++i) {
      if (data[i] < '0' || data[i] > '9' || len > data.size()) return false;
      len = len * 10 + static_cast<std::uint64_t>(data[i] - '0');
    }
    if (len <= sp - pos || pos + len > data.size() || data[pos + len - 1] != '\n') return false;
    std::string record = data.substr(sp + 1, pos + len - sp - 2);
    auto eq = record.find('=');
    if (eq != std::string::npos) {
      std::string key = record.substr(0, eq), value = record.substr(eq + 1);
      if (key == "path") path = value;
      if (key == "size") {
        std::uint64_t v = 0;
        for (char c : value) {
          if (c < '0' || c > '9' || v > (UINT64_MAX / 10)) return false;
          v = v * 10 + static_cast<std::uint64_t>(c - '0');
        }
        size = v;
      }
    }
    pos += len;
  }
  return true;
}

}  // namespace

Result<std::map<std::string, TarMember>> index_tar(const ReadAt& read_at, std::uint64_t total_size,
                                                   const std::string& where) {
  std::map<std::string, TarMember> members;
  std::uint64_t pos = 0;
  std::string long_name, pax_path;
  std::optional<std::uint64_t> pax_size;
  std::array<unsigned char, kBlock> h{};
  auto at = [&](std::uint64_t off) { return where + ": tar header at offset " + std::to_string(off); };

  while (pos + kBlock <= total_size) {
    auto n = read_at(pos, h.data(), kBlock);
    if (!n) return std::unexpected(n.error());
    if (*n < kBlock) break;
    if (std::all_of(h.begin(), h.end(), [](unsigned char c) { return c == 0; })) break;  // end blocks
    if (!checksum_ok(h.data())) return input_error(at(pos) + " has a bad checksum; the archive is corrupt or not a tar file");
    std::uint64_t size = 0;
    if (!parse_number(h.data() + 124, 12, size)) return input_error(at(pos) + ": malformed size field");
    char type = static_cast<char>(h[156]);
    std::uint64_t data = pos + kBlock;
    if (pax_size && type != 'x' && type != 'g' && type != 'L') size = *pax_size;
    if (size > total_size - std::min(total_size, data))
      return input_error(at(pos) + ": member of " + std::to_string(size) + " bytes runs past the end of the archive (" +
                         std::to_string(total_size) + " bytes); the archive is truncated");
    std::uint64_t next = data + ((size + kBlock - 1) / kBlock) * kBlock;

    if (type == 'L' || type == 'x') {
      if (size > kMaxMetaBytes) return input_error(at(pos) + ": extended header of " + std::to_string(size) + " bytes is too large");
      std::string meta(static_cast<std::size_t>(size), '\0');
      auto got = read_at(data, meta.data(), meta.size());
      if (!got) return std::unexpected(got.error());
      if (*got != meta.size()) return input_error(at(pos) + ": extended header is truncated");
      if (type == 'L') {
        long_name = meta.substr(0, strnlen(meta.c_str(), meta.size()));
      } else if (!parse_pax(meta, pax_path, pax_size)) {
        return input_error(at(pos) + ": malformed pax extended header");
      }
      pos = next;
      continue;
    }
    if (type != 'g') {
      std::string name;
      if (!pax_path.empty()) name = pax_path;
      else if (!long_name.empty()) name = long_name;
      else {
        name = field_string(reinterpret_cast<const char*>(h.data()), 100);
        if (std::memcmp(h.data() + 257, "ustar", 5) == 0) {
          std::string prefix = field_string(reinterpret_cast<const char*>(h.data()) + 345, 155);
          if (!prefix.empty()) name = prefix + "/" + name;
        }
      }
      if (type == '0' || type == '\0' || type == '7') {
        if (members.size() >= kMaxMembers) return input_error(where + ": more than " + std::to_string(kMaxMembers) + " members");
        members[normalise(name)] = TarMember{data, size};
      }
      long_name.clear();
      pax_path.clear();
      pax_size.reset();
    }
    pos = next;
  }
  return members;
}

}  // namespace cairn::oci
