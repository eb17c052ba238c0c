#include "sbom/catalogers/rpm_signature.h"

#include <cstdint>
#include <ctime>
#include <optional>

#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

// Names as rpm's pgpValString tables spell them (RFC 4880 section 9).
std::string pubkey_algorithm_name(unsigned v) {
  switch (v) {
    case 1: return "RSA";
    case 2: return "RSA(Encrypt-Only)";
    case 3: return "RSA(Sign-Only)";
    case 16: return "Elgamal(Encrypt-Only)";
    case 17: return "DSA";
    case 18: return "Elliptic Curve";
    case 19: return "ECDSA";
    case 20: return "Elgamal";
    case 21: return "Diffie-Hellman";
    case 22: return "EdDSA";
  }
  return cat("Unknown(", v, ")");
}

std::string hash_algorithm_name(unsigned v) {
  switch (v) {
    case 1: return "MD5";
    case 2: return "SHA1";
    case 3: return "RIPEMD160";
    case 5: return "MD2";
    case 6: return "TIGER192";
    case 7: return "HAVAL-5-160";
    case 8: return "SHA256";
    case 9: return "SHA384";
    case 10: return "SHA512";
    case 11: return "SHA224";
  }
  return cat("Unknown(", v, ")");
}

std::uint32_t be32(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// C-locale "%a %b %e %H:%M:%S %Y" in UTC, independent of the process locale and TZ.
std::string format_utc(std::uint32_t seconds) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto two = [](int v, char pad) { return v < 10 ? cat(pad, v) : cat(v); };
  return cat(days[tm.tm_wday % 7], " ", months[tm.tm_mon % 12], " ", two(tm.tm_mday, ' '), " ", two(tm.tm_hour, '0'), ":",
             two(tm.tm_min, '0'), ":", two(tm.tm_sec, '0'), " ", tm.tm_year + 1900);
}

// The body of the first packet, which must be a signature (tag 2).
Result<std::string_view> signature_body(std::string_view p) {
  if (p.empty()) return input_error("empty signature");
  auto first = static_cast<unsigned char>(p[0]);
  if (!(first & 0x80)) return input_error("not an OpenPGP packet (first octet lacks bit 7)");
  std::size_t pos = 1;
  std::size_t length = 0;
  unsigned packet_tag = 0;
  auto need = [&](std::size_t n) { return p.size() >= pos + n; };
  if (first & 0x40) {  // new format
    packet_tag = first & 0x3f;
    if (!need(1)) return input_error("truncated packet length");
    auto o1 = static_cast<unsigned char>(p[pos]);
    if (o1 < 192) {
      length = o1;
      pos += 1;
    } else if (o1 < 224) {
      if (!need(2)) return input_error("truncated packet length");
      length = ((o1 - 192u) << 8) + static_cast<unsigned char>(p[pos + 1]) + 192u;
      pos += 2;
    } else if (o1 == 255) {
      if (!need(5)) return input_error("truncated packet length");
      length = be32(p, pos + 1);
      pos += 5;
    } else {
      return input_error("partial body length in a signature packet");
    }
  } else {  // old format
    packet_tag = (first >> 2) & 0x0f;
    switch (first & 3) {
      case 0:
        if (!need(1)) return input_error("truncated packet length");
        length = static_cast<unsigned char>(p[pos]);
        pos += 1;
        break;
      case 1:
        if (!need(2)) return input_error("truncated packet length");
        length = static_cast<std::size_t>(static_cast<unsigned char>(p[pos])) << 8 |
                 static_cast<unsigned char>(p[pos + 1]);
        pos += 2;
        break;
      case 2:
        if (!need(4)) return input_error("truncated packet length");
        length = be32(p, pos);
        pos += 4;
        break;
      default:
        length = p.size() - pos;  // indeterminate: the rest of the data
    }
  }
  if (packet_tag != 2) return input_error(cat("packet tag ", packet_tag, " is not a signature (2)"));
  if (length > p.size() - pos) return input_error(cat("packet length ", length, " exceeds the ", p.size() - pos, " bytes present"));
  return p.substr(pos, length);
}

struct SubpacketFacts {
  std::optional<std::uint32_t> created;
  std::optional<std::string_view> issuer;              // 8-byte key ID
  std::optional<std::string_view> issuer_fingerprint;  // version octet + fingerprint
};

Status read_subpackets(std::string_view area, bool hashed, SubpacketFacts& facts) {
  std::size_t pos = 0;
  while (pos < area.size()) {
    auto o1 = static_cast<unsigned char>(area[pos]);
    std::size_t length = 0;
    if (o1 < 192) {
      length = o1;
      pos += 1;
    } else if (o1 < 255) {
      if (pos + 2 > area.size()) return input_error("truncated subpacket length");
      length = ((o1 - 192u) << 8) + static_cast<unsigned char>(area[pos + 1]) + 192u;
      pos += 2;
    } else {
      if (pos + 5 > area.size()) return input_error("truncated subpacket length");
      length = be32(area, pos + 1);
      pos += 5;
    }
    if (length == 0 || length > area.size() - pos) return input_error("subpacket length exceeds its area");
    auto type = static_cast<unsigned char>(area[pos]) & 0x7f;
    auto data = area.substr(pos + 1, length - 1);
    // rpm takes the creation time only from the hashed area; the issuer from either.
    if (type == 2 && hashed && data.size() == 4) facts.created = be32(data, 0);
    if (type == 16 && data.size() == 8) facts.issuer = data;
    if (type == 33 && data.size() >= 9) facts.issuer_fingerprint = data;
    pos += length;
  }
  return {};
}

}  // namespace

Result<std::string> describe_pgp_signature(std::string_view packet) {
  auto body = signature_body(packet);
  if (!body) return std::unexpected(body.error());
  std::string_view b = *body;
  if (b.empty()) return input_error("empty signature packet");
  auto version = static_cast<unsigned char>(b[0]);
  if (version == 3 || version == 2) {
    // version, hashed length (5), type, created[4], key id[8], pubkey algo, hash algo
    if (b.size() < 17) return input_error("v3 signature packet shorter than 17 bytes");
    if (static_cast<unsigned char>(b[1]) != 5) return input_error("v3 signature with hashed length other than 5");
    return cat(pubkey_algorithm_name(static_cast<unsigned char>(b[15])), "/", hash_algorithm_name(static_cast<unsigned char>(b[16])), ", ", format_utc(be32(b, 3)), ", Key ID ", hex(b.substr(7, 8)));
  }
  if (version != 4) return input_error(cat("unsupported signature packet version ", version));
  // version, type, pubkey algo, hash algo, hashed area, unhashed area
  if (b.size() < 6) return input_error("v4 signature packet shorter than 6 bytes");
  unsigned pubkey = static_cast<unsigned char>(b[2]);
  unsigned hash = static_cast<unsigned char>(b[3]);
  std::size_t hashed_len = static_cast<std::size_t>(static_cast<unsigned char>(b[4])) << 8 | static_cast<unsigned char>(b[5]);
  if (6 + hashed_len + 2 > b.size()) return input_error("hashed subpacket area exceeds the packet");
  std::size_t unhashed_at = 6 + hashed_len;
  std::size_t unhashed_len = static_cast<std::size_t>(static_cast<unsigned char>(b[unhashed_at])) << 8 |
                             static_cast<unsigned char>(b[unhashed_at + 1]);
  if (unhashed_at + 2 + unhashed_len > b.size()) return input_error("unhashed subpacket area exceeds the packet");
  SubpacketFacts facts;
  if (auto st = read_subpackets(b.substr(6, hashed_len), true, facts); !st) return std::unexpected(st.error());
  if (auto st = read_subpackets(b.substr(unhashed_at + 2, unhashed_len), false, facts); !st)
    return std::unexpected(st.error());
  std::string key_id;
  if (facts.issuer) {
    key_id = hex(*facts.issuer);
  } else if (facts.issuer_fingerprint && static_cast<unsigned char>((*facts.issuer_fingerprint)[0]) == 4 &&
             facts.issuer_fingerprint->size() == 21) {
    key_id = hex(facts.issuer_fingerprint->substr(13, 8));  // a v4 key ID is the fingerprint's low 64 bits
  } else {
    return input_error("signature names no issuer key ID");
  }
  if (!facts.created) return input_error("signature has no creation time");
  return cat(pubkey_algorithm_name(pubkey), "/", hash_algorithm_name(hash), ", ", format_utc(*facts.created), ", Key ID ", key_id);
}

}  // namespace cairn::sbom::rpm
