#include "sbom/catalogers/rpm_header.h"

#include <unordered_map>

#include "sbom/catalogers/rpm_signature.h"
#include "sbom/catalogers/rpm_text.h"

namespace cairn::sbom::rpm {
namespace {

enum Type : std::uint32_t {
  kNull = 0, kChar = 1, kInt8 = 2, kInt16 = 3, kInt32 = 4, kInt64 = 5,
  kString = 6, kBin = 7, kStringArray = 8, kI18nString = 9,
};

const char* type_name(std::uint32_t t) {
  static const char* names[] = {"NULL", "CHAR", "INT8", "INT16", "INT32", "INT64", "STRING", "BIN", "STRING_ARRAY", "I18NSTRING"};
  return t <= kI18nString ? names[t] : "unknown";
}

std::uint32_t be32(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

struct IndexEntry {
  std::uint32_t tag, type, offset, count;
};

// The index and data store of one blob, with typed, bounds-checked access by tag.
// Entries are only checked in full when read, so a header with many entries costs no
// more than the tags cairn asks for.
class Header {
 public:
  static Result<Header> parse(std::string_view blob) {
    if (blob.size() < 8)
      return input_error(cat("header blob of ", blob.size(), " bytes is shorter than its 8-byte preamble"));
    std::uint32_t il = be32(blob, 0), dl = be32(blob, 4);
    if (il == 0 || il > kMaxIndexEntries)
      return input_error(cat("header index count ", il, " is outside 1..", kMaxIndexEntries));
    if (dl > kMaxDataStoreBytes)
      return input_error(cat("header data store of ", dl, " bytes exceeds the ", kMaxDataStoreBytes, "-byte limit"));
    std::uint64_t need = 8 + std::uint64_t{il} * 16 + dl;
    if (need > blob.size())
      return input_error(cat("header declares ", il, " index entries and ", dl, " data bytes (", need, " bytes) but the blob has ", blob.size()));
    Header h;
    h.data_ = blob.substr(8 + std::size_t{il} * 16, dl);
    h.entries_.reserve(il);
    for (std::uint32_t i = 0; i < il; ++i) {
      std::size_t at = 8 + std::size_t{i} * 16;
      IndexEntry e{be32(blob, at), be32(blob, at + 4), be32(blob, at + 8), be32(blob, at + 12)};
      if (e.type > kI18nString)
        return input_error(cat("index entry ", i, " (tag ", e.tag, "): unknown type ", e.type));
      // Region tags point at a 16-byte trailer; everything else must start inside the store.
      if (e.offset > dl || (e.offset == dl && e.type != kNull))
        return input_error(cat("index entry ", i, " (tag ", e.tag, "): offset ", e.offset, " is outside the ", dl, "-byte data store"));
      h.entries_.push_back(e);
      h.by_tag_[e.tag] = i;  // a later entry for the same tag replaces an earlier one, as in rpm
    }
    return h;
  }

  bool has(std::uint32_t t) const { return by_tag_.contains(t); }

  Result<std::optional<std::string>> string(std::uint32_t t) const {
    const IndexEntry* e = find(t);
    if (!e) return std::optional<std::string>{};
    if (e->type != kString && e->type != kI18nString && e->type != kStringArray)
      return type_error(*e, "a string");
    if (e->count == 0) return input_error(cat("tag ", t, ": string with count 0"));
    // I18NSTRING and STRING_ARRAY: the first (default locale) string.
    auto s = string_at(*e, e->offset);
    if (!s) return std::unexpected(s.error());
    return std::optional<std::string>{std::string(*s)};
  }

  Result<std::vector<std::string>> strings(std::uint32_t t) const {
    std::vector<std::string> out;
    const IndexEntry* e = find(t);
    if (!e) return out;
    if (e->type != kStringArray && e->type != kString && e->type != kI18nString) return type_error(*e, "a string array");
    std::size_t count = e->type == kString ? 1 : e->count;
    if (count > kMaxArrayElements) return input_error(cat("tag ", t, ": ", count, " strings, more than the ", kMaxArrayElements, " cairn reads"));
    // Every string takes at least its NUL byte, so a count beyond the bytes left is a lie.
    if (count > data_.size() - e->offset)
      return input_error(cat("tag ", t, ": ", count, " strings cannot fit in ", data_.size() - e->offset, " bytes"));
    out.reserve(count);
    std::size_t pos = e->offset;
    for (std::size_t i = 0; i < count; ++i) {
      auto s = string_at(*e, pos);
      if (!s) return std::unexpected(s.error());
      out.emplace_back(*s);
      pos += s->size() + 1;
    }
    return out;
  }

  // INT8/CHAR/INT16/INT32/INT64 arrays, widened; INT16 values are unsigned (file modes).
  Result<std::vector<std::int64_t>> ints(std::uint32_t t) const {
    std::vector<std::int64_t> out;
    const IndexEntry* e = find(t);
    if (!e) return out;
    std::size_t width = 0;
    switch (e->type) {
      case kChar: case kInt8: width = 1; break;
      case kInt16: width = 2; break;
      case kInt32: width = 4; break;
      case kInt64: width = 8; break;
      default: return type_error(*e, "an integer");
    }
    if (e->count > kMaxArrayElements) return input_error(cat("tag ", t, ": ", e->count, " integers, more than the ", kMaxArrayElements, " cairn reads"));
    auto bytes = fixed_extent(*e, width);
    if (!bytes) return std::unexpected(bytes.error());
    out.reserve(e->count);
    for (std::size_t i = 0; i < e->count; ++i) {
      std::string_view v = bytes->substr(i * width, width);
      std::uint64_t x = 0;
      for (unsigned char c : v) x = x << 8 | c;
      if (width == 4) out.push_back(static_cast<std::int32_t>(x));
      else out.push_back(static_cast<std::int64_t>(x));
    }
    return out;
  }

  Result<std::optional<std::int64_t>> int_value(std::uint32_t t) const {
    auto v = ints(t);
    if (!v) return std::unexpected(v.error());
    if (v->empty()) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{v->front()};
  }

  Result<std::optional<std::string_view>> bin(std::uint32_t t) const {
    const IndexEntry* e = find(t);
    if (!e) return std::optional<std::string_view>{};
    if (e->type != kBin) return type_error(*e, "binary data");
    auto bytes = fixed_extent(*e, 1);
    if (!bytes) return std::unexpected(bytes.error());
    return std::optional<std::string_view>{*bytes};
  }

 private:
  const IndexEntry* find(std::uint32_t t) const {
    auto it = by_tag_.find(t);
    return it == by_tag_.end() ? nullptr : &entries_[it->second];
  }

  std::unexpected<Error> type_error(const IndexEntry& e, const char* wanted) const {
    return input_error(cat("tag ", e.tag, ": expected ", wanted, ", found type ", e.type, " (", type_name(e.type), ")"));
  }

  Result<std::string_view> string_at(const IndexEntry& e, std::size_t pos) const {
    if (pos >= data_.size()) return input_error(cat("tag ", e.tag, ": string starts past the data store"));
    auto nul = data_.find('\0', pos);
    if (nul == std::string_view::npos)
      return input_error(cat("tag ", e.tag, ": string at offset ", pos, " is not NUL-terminated"));
    return data_.substr(pos, nul - pos);
  }

  Result<std::string_view> fixed_extent(const IndexEntry& e, std::size_t width) const {
    std::uint64_t bytes = std::uint64_t{e.count} * width;
    if (bytes > data_.size() - e.offset)
      return input_error(cat("tag ", e.tag, ": ", e.count, " values of ", width, " bytes at offset ", e.offset, " overrun the ", data_.size(), "-byte data store"));
    return data_.substr(e.offset, static_cast<std::size_t>(bytes));
  }

  std::string_view data_;
  std::vector<IndexEntry> entries_;
  std::unordered_map<std::uint32_t, std::size_t> by_tag_;
};

// Unwraps a Result into `out`, or returns its error from the enclosing function.
#define CAIRN_RPM_TRY(out, expr)                                  \
  do {                                                            \
    auto cairn_rpm_r = (expr);                                    \
    if (!cairn_rpm_r) return std::unexpected(cairn_rpm_r.error()); \
    out = std::move(*cairn_rpm_r);                                \
  } while (0)

Result<std::string> required_or_empty(const Header& h, std::uint32_t t) {
  std::optional<std::string> v;
  CAIRN_RPM_TRY(v, h.string(t));
  return v.value_or("");
}

template <class T>
T at_or(const std::vector<T>& v, std::size_t i, T fallback) {
  return i < v.size() ? v[i] : fallback;
}

// Paths from BASENAMES/DIRNAMES/DIRINDEXES (or the pre-4.0 OLDFILENAMES), with the
// per-file arrays that go with them. An inconsistent list is a problem, not a failure:
// the package is still real.
Status read_files(const Header& h, HeaderInfo& info) {
  std::vector<std::string> paths;
  if (h.has(tag::kBasenames)) {
    std::vector<std::string> base, dirs;
    std::vector<std::int64_t> index;
    CAIRN_RPM_TRY(base, h.strings(tag::kBasenames));
    CAIRN_RPM_TRY(dirs, h.strings(tag::kDirNames));
    CAIRN_RPM_TRY(index, h.ints(tag::kDirIndexes));
    if (index.size() != base.size()) {
      info.problems.push_back(cat("DIRINDEXES has ", index.size(), " entries for ", base.size(), " BASENAMES; file list dropped"));
      return {};
    }
    paths.reserve(base.size());
    for (std::size_t i = 0; i < base.size(); ++i) {
      if (index[i] < 0 || static_cast<std::uint64_t>(index[i]) >= dirs.size()) {
        info.problems.push_back(cat("DIRINDEXES[", i, "] = ", index[i], " is outside the ", dirs.size(), " DIRNAMES; file list dropped"));
        return {};
      }
      const std::string& dir = dirs[static_cast<std::size_t>(index[i])];
      paths.push_back(dir.empty() || dir.back() == '/' ? dir + base[i] : dir + "/" + base[i]);
    }
  } else {
    CAIRN_RPM_TRY(paths, h.strings(tag::kOldFilenames));
  }
  if (paths.empty()) return {};

  std::vector<std::string> digests, users, groups;
  std::vector<std::int64_t> modes, sizes, flags;
  CAIRN_RPM_TRY(digests, h.strings(tag::kFileDigests));
  CAIRN_RPM_TRY(users, h.strings(tag::kFileUsername));
  CAIRN_RPM_TRY(groups, h.strings(tag::kFileGroupname));
  CAIRN_RPM_TRY(modes, h.ints(tag::kFileModes));
  CAIRN_RPM_TRY(flags, h.ints(tag::kFileFlags));
  if (h.has(tag::kLongFileSizes)) CAIRN_RPM_TRY(sizes, h.ints(tag::kLongFileSizes));
  else CAIRN_RPM_TRY(sizes, h.ints(tag::kFileSizes));
  std::optional<std::int64_t> algo;
  CAIRN_RPM_TRY(algo, h.int_value(tag::kFileDigestAlgo));
  info.digest_algorithm = digest_algorithm_name(algo.value_or(1));

  info.files.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    FileRecord f;
    f.path = std::move(paths[i]);
    f.mode = static_cast<std::uint16_t>(at_or<std::int64_t>(modes, i, 0));
    f.size = at_or<std::int64_t>(sizes, i, 0);
    // INT32 sizes of files of 2 GiB and more wrap negative; rpm reads them unsigned.
    if (f.size < 0 && !h.has(tag::kLongFileSizes)) f.size += std::int64_t{1} << 32;
    f.digest = at_or<std::string>(digests, i, "");
    f.user = at_or<std::string>(users, i, "");
    f.group = at_or<std::string>(groups, i, "");
    f.flags = static_cast<std::uint32_t>(at_or<std::int64_t>(flags, i, 0));
    info.files.push_back(std::move(f));
  }
  return {};
}

void read_signatures(const Header& h, HeaderInfo& info) {
  static const std::pair<std::uint32_t, const char*> tags[] = {
      {tag::kRsaHeader, "RSAHEADER"}, {tag::kDsaHeader, "DSAHEADER"}, {tag::kSigPgp, "SIGPGP"}, {tag::kSigGpg, "SIGGPG"}};
  for (const auto& [t, name] : tags) {
    auto packet = h.bin(t);
    if (!packet) {
      info.problems.push_back(cat(name, ": ", packet.error().message));
      continue;
    }
    if (!*packet) continue;
    auto text = describe_pgp_signature(**packet);
    if (!text) {
      info.problems.push_back(cat(name, ": ", text.error().message));
      continue;
    }
    bool seen = false;
    for (const auto& s : info.signatures) seen = seen || s == *text;
    if (!seen) info.signatures.push_back(std::move(*text));
  }
}

Result<HeaderInfo> decode(const Header& h) {
  HeaderInfo info;
  CAIRN_RPM_TRY(info.name, required_or_empty(h, tag::kName));
  if (info.name.empty()) return input_error("header has no NAME");
  CAIRN_RPM_TRY(info.version, required_or_empty(h, tag::kVersion));
  CAIRN_RPM_TRY(info.release, required_or_empty(h, tag::kRelease));
  CAIRN_RPM_TRY(info.arch, required_or_empty(h, tag::kArch));
  CAIRN_RPM_TRY(info.source_rpm, required_or_empty(h, tag::kSourceRpm));
  CAIRN_RPM_TRY(info.license, required_or_empty(h, tag::kLicense));
  CAIRN_RPM_TRY(info.vendor, required_or_empty(h, tag::kVendor));
  CAIRN_RPM_TRY(info.modularity_label, required_or_empty(h, tag::kModularityLabel));
  CAIRN_RPM_TRY(info.epoch, h.int_value(tag::kEpoch));
  std::optional<std::int64_t> size;
  if (h.has(tag::kLongSize)) CAIRN_RPM_TRY(size, h.int_value(tag::kLongSize));
  else CAIRN_RPM_TRY(size, h.int_value(tag::kSize));
  info.size = size.value_or(0);
  CAIRN_RPM_TRY(info.requires_names, h.strings(tag::kRequireName));
  CAIRN_RPM_TRY(info.provides_names, h.strings(tag::kProvideName));
  if (auto st = read_files(h, info); !st) return std::unexpected(st.error());
  read_signatures(h, info);
  return info;
}

#undef CAIRN_RPM_TRY

}  // namespace

std::string digest_algorithm_name(std::int64_t algo) {
  switch (algo) {
    case 1: return "md5";
    case 2: return "sha1";
    case 3: return "ripemd160";
    case 5: return "md2";
    case 6: return "tiger192";
    case 7: return "haval-5-160";
    case 8: return "sha256";
    case 9: return "sha384";
    case 10: return "sha512";
    case 11: return "sha224";
  }
  return cat("unknown(", algo, ")");
}

Result<HeaderInfo> parse_header_blob(std::string_view blob) {
  auto h = Header::parse(blob);
  if (!h) return std::unexpected(h.error());
  return decode(*h);
}

}  // namespace cairn::sbom::rpm
