#include "sbom/formats/ids.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "core/digest.h"

namespace cairn::sbom {

namespace {

// RFC 4122 appendix C: the name space for URLs.
constexpr unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

std::string package_fingerprint(const Package& p) {
  nlohmann::ordered_json j;
  j["name"] = p.name;
  j["version"] = p.version;
  j["type"] = p.type;
  j["found_by"] = p.found_by;
  j["purl"] = p.purl;
  j["cpes"] = p.cpes;
  j["licenses"] = p.licenses;
  j["locations"] = p.locations;
  j["files"] = p.files;
  j["arch"] = p.arch;
  j["source_name"] = p.source_name;
  j["source_version"] = p.source_version;
  j["supplier"] = p.supplier;
  j["description"] = p.description;
  j["depends"] = p.depends;
  j["provides"] = p.provides;
  j["metadata"] = p.metadata;  // std::map: already in key order
  j["layer"] = p.layer;
  j["deleted"] = p.deleted;
  return sha256_hex(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string sanitize_spdx_id(std::string_view text, std::size_t max_length) {
  std::string out;
  for (char c : text.substr(0, max_length)) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    out += ok ? c : '-';
  }
  return out;
}

std::string uuid_v5(std::string_view name) {
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), sizeof kUrlNamespace);
  input.append(name);
  std::string hex = sha1_hex(input);
  unsigned char bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x50);  // version 5
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string h = to_hex(bytes, sizeof bytes);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string content_uuid(std::string_view content_sha256) {
  return uuid_v5(std::string(kCairnDocumentBase) + "/" + std::string(content_sha256));
}

}  // namespace cairn::sbom
