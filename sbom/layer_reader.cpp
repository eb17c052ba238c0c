#include "sbom/layer_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

#include "core/log.h"

namespace cairn::sbom {

namespace {

constexpr std::size_t kBufferSize = 256 * 1024;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

// Feeds the compressed blob to libarchive, hashing and counting it on the way.
struct BlobFeed {
  ByteStream* stream;
  Hasher hasher;
  std::optional<std::uint64_t> expected_size;  // more bytes than this are refused as they arrive
  std::uint64_t bytes = 0;
  std::vector<char> buffer = std::vector<char>(kBufferSize);
  std::optional<Error> error;

  static la_ssize_t read(archive*, void* self, const void** out) {
    auto* f = static_cast<BlobFeed*>(self);
    auto n = f->stream->read(f->buffer.data(), f->buffer.size());
    if (!n) {
      f->error = n.error();
      return -1;
    }
    if (auto e = f->count(*n)) {
      f->error = std::move(*e);
      return -1;
    }
    f->hasher.update(f->buffer.data(), *n);
    *out = f->buffer.data();
    return static_cast<la_ssize_t>(*n);
  }

  // An endless or oversized stream (a hostile registry) fails here, not after it is read.
  std::optional<Error> count(std::size_t n) {
    bytes += n;
    if (expected_size && bytes > *expected_size)
      return Error{ErrorKind::Input, "blob is longer than the " + std::to_string(*expected_size) +
                                         " bytes the manifest gives; refusing the rest"};
    return std::nullopt;
  }
};

// Feeds the decompressed tar stream to the tar reader, hashing it for the diff_id and
// remembering its last 1 KiB to tell whether the end-of-archive blocks were there.
struct TarFeed {
  archive* decompressor;
  Hasher hasher;
  std::uint64_t bytes = 0;
  std::vector<char> buffer = std::vector<char>(kBufferSize);
  std::array<char, 1024> tail{};
  std::size_t tail_len = 0;
  std::optional<std::string> error;
  bool exhausted = false;  // the decompressed stream has ended

  void consume(const char* data, std::size_t n) {
    hasher.update(data, n);
    bytes += n;
    if (n >= tail.size()) {
      std::memcpy(tail.data(), data + n - tail.size(), tail.size());
      tail_len = tail.size();
    } else {
      std::size_t keep = std::min(tail_len, tail.size() - n);
      std::memmove(tail.data(), tail.data() + tail_len - keep, keep);
      std::memcpy(tail.data() + keep, data, n);
      tail_len = keep + n;
    }
  }

  static la_ssize_t read(archive*, void* self, const void** out) {
    auto* f = static_cast<TarFeed*>(self);
    la_ssize_t n = archive_read_data(f->decompressor, f->buffer.data(), f->buffer.size());
    if (n < 0) {
      const char* msg = archive_error_string(f->decompressor);
      f->error = msg ? msg : "decompression failed";
      return -1;
    }
    if (n == 0) f->exhausted = true;
    f->consume(f->buffer.data(), static_cast<std::size_t>(n));
    *out = f->buffer.data();
    return n;
  }

  bool ended_with_zero_blocks() const {
    return tail_len == tail.size() && std::all_of(tail.begin(), tail.end(), [](char c) { return c == 0; });
  }
};

struct FileHashes {
  Hasher sha1{Hasher::Algorithm::Sha1};
  Hasher sha256{Hasher::Algorithm::Sha256};
  void update(const void* data, std::size_t size) {
    sha1.update(data, size);
    sha256.update(data, size);
  }
};

bool has_dotdot(std::string_view path) {
  std::size_t i = 0;
  while (i <= path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (path.substr(i, j - i) == "..") return true;
    i = j + 1;
  }
  return false;
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string libarchive_message(archive* a, const char* fallback) {
  const char* m = archive_error_string(a);
  return m ? m : fallback;
}

void warn_too_large(const std::string& layer, const Entry& e, std::size_t cap) {
  log::warn(layer + ": " + e.path + " is " + std::to_string(e.size) + " bytes, above the " + std::to_string(cap) +
            "-byte limit for this file; not read");
}

}  // namespace

Result<LayerReadResult> read_layer(ByteStream& blob, const LayerExpectations& expect, const CapturePolicy& policy,
                                   const std::string& name, bool hash_files) {
  BlobFeed blob_feed{&blob, Hasher(Hasher::Algorithm::Sha256), expect.size};
  if (expect.digest && expect.digest->algorithm != "sha256") {
    auto h = Hasher::for_digest(*expect.digest);
    if (!h) return std::unexpected(h.error());
    blob_feed.hasher = std::move(*h);
  }
  ArchivePtr decompressor(archive_read_new());
  archive_read_support_filter_all(decompressor.get());
  archive_read_support_format_raw(decompressor.get());
  if (archive_read_open(decompressor.get(), &blob_feed, nullptr, &BlobFeed::read, nullptr) != ARCHIVE_OK) {
    if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
    return input_error(name + ": cannot decompress: " + libarchive_message(decompressor.get(), "unknown format"));
  }
  LayerReadResult result;
  archive_entry* raw_entry = nullptr;
  int rc = archive_read_next_header(decompressor.get(), &raw_entry);
  bool empty_blob = rc == ARCHIVE_EOF;
  if (rc != ARCHIVE_OK && !empty_blob) {
    if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
    return input_error(name + ": cannot decompress: " + libarchive_message(decompressor.get(), "unknown format"));
  }

  TarFeed tar_feed{decompressor.get(), Hasher(Hasher::Algorithm::Sha256)};
  if (!empty_blob) {
    ArchivePtr tar(archive_read_new());
    archive_read_support_format_tar(tar.get());
    if (archive_read_open(tar.get(), &tar_feed, nullptr, &TarFeed::read, nullptr) != ARCHIVE_OK) {
      if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
      std::string why = tar_feed.error ? *tar_feed.error : libarchive_message(tar.get(), "not a tar stream");
      return input_error(name + ": not a readable tar stream: " + why);
    }
    struct Kept {
      std::shared_ptr<const std::string> content;
      std::shared_ptr<const Extracts> extracts;
    };
    std::unordered_map<std::string, Kept> captured;
    std::size_t skipped_long = 0, skipped_escaping = 0;
    std::string first_escaping;
    for (;;) {
      archive_entry* entry = nullptr;
      rc = archive_read_next_header(tar.get(), &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN && tar_feed.exhausted && !tar_feed.error && !blob_feed.error) {
        // Every entry so far was read whole, but the stream ends inside the padding or
        // where the end-of-archive blocks belong (umoci 0.4.7 writes such layers). GNU tar
        // keeps what is complete; so do we, and the caller warns.
        result.missing_end_blocks = true;
        break;
      }
      if (rc < ARCHIVE_WARN) {
        if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
        std::string why = tar_feed.error ? "decompression failed: " + *tar_feed.error
                                         : libarchive_message(tar.get(), "corrupt tar header");
        return input_error(name + ": tar entry " + std::to_string(result.contents.entries.size() + 1) + ": " + why);
      }
      if (result.contents.entries.size() >= kMaxEntriesPerLayer)
        return input_error(name + ": more than " + std::to_string(kMaxEntriesPerLayer) + " entries; refusing the layer");
      const char* raw_path = archive_entry_pathname(entry);
      if (!raw_path) continue;
      std::string_view raw(raw_path);
      if (raw.size() > kMaxEntryPath) {
        ++skipped_long;
        continue;
      }
      if (has_dotdot(raw)) {
        if (skipped_escaping++ == 0) first_escaping = std::string(raw);
        continue;
      }
      Entry e;
      e.path = normalize_path(raw);
      if (e.path == "/") continue;
      e.size = static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(entry)));
      e.mode = static_cast<std::uint32_t>(archive_entry_perm(entry));

      // OCI whiteouts: ".wh..wh..opq" hides the lower contents of its directory,
      // ".wh.NAME" deletes NAME from lower layers.
      std::string base = e.path.substr(e.path.rfind('/') + 1);
      if (base.rfind(".wh.", 0) == 0) {
        std::string dir = parent_dir(e.path);
        if (base == ".wh..wh..opq") result.contents.opaque_dirs.push_back(dir);
        else if (base.size() > 4) result.contents.whiteouts.push_back(normalize_path(dir + "/" + base.substr(4)));
        continue;
      }

      if (const char* hard = archive_entry_hardlink(entry)) {
        e.type = EntryType::Hardlink;
        e.link = normalize_path(hard);
        if (auto it = captured.find(e.link); it != captured.end()) {
          e.content = it->second.content;
          e.extracts = it->second.extracts;
        }
      } else {
        switch (archive_entry_filetype(entry)) {
          case AE_IFREG: e.type = EntryType::File; break;
          case AE_IFDIR: e.type = EntryType::Directory; break;
          case AE_IFLNK:
            e.type = EntryType::Symlink;
            e.link = archive_entry_symlink(entry) ? archive_entry_symlink(entry) : "";
            break;
          default: e.type = EntryType::Other; break;
        }
      }

      // What a capture rule wants of a regular file is collected from the same data blocks
      // that are hashed (libarchive's read_data and read_data_block must not be mixed):
      // every byte when a rule names the path, or, when only its content can tell
      // (executables), its first bytes, then the rest if they show an executable.
      std::string collected;
      bool collecting = false, undecided = false;
      std::optional<std::size_t> name_cap;
      if (e.type == EntryType::File) {
        name_cap = policy.cap_for(e.path);
        bool by_name = name_cap && e.size <= *name_cap;
        undecided = !by_name && policy.executable_cap() > 0 && e.size <= policy.executable_cap() &&
                    e.size >= CapturePolicy::kMagicBytes;
        collecting = by_name || undecided;
        if (!collecting && name_cap) warn_too_large(name, e, *name_cap);
      }
      // Read the rest of the entry's data here rather than letting the next header skip
      // it, so a layer cut short inside an entry is told apart from one that only lacks
      // its padding and end blocks.
      std::uint64_t high_water = 0;
      bool stream_ended_cleanly = false;
      std::optional<FileHashes> hashes;
      if (hash_files && e.type == EntryType::File) hashes.emplace();
      for (;;) {
        const void* block = nullptr;
        size_t block_size = 0;
        la_int64_t block_offset = 0;
        int drc = archive_read_data_block(tar.get(), &block, &block_size, &block_offset);
        if (drc == ARCHIVE_EOF) break;
        if (drc < ARCHIVE_WARN) {
          if (high_water >= e.size && tar_feed.exhausted && !tar_feed.error && !blob_feed.error) {
            stream_ended_cleanly = true;
            break;
          }
          std::string why = tar_feed.error ? "decompression failed: " + *tar_feed.error
                                           : libarchive_message(tar.get(), "read error");
          return input_error(name + ": reading " + e.path + ": " + why);
        }
        auto offset = static_cast<std::uint64_t>(block_offset);
        if (collecting) {
          if (offset < collected.size() || offset + block_size > e.size) {
            collecting = false;  // blocks out of order or past the size: not a file to trust
            collected.clear();
          } else {
            // One allocation of the whole size once the file is known to be wanted.
            if (!undecided && collected.capacity() < e.size) collected.reserve(static_cast<std::size_t>(e.size));
            collected.resize(static_cast<std::size_t>(offset));  // a sparse hole reads as zeros
            collected.append(static_cast<const char*>(block), block_size);
            if (undecided && collected.size() >= CapturePolicy::kMagicBytes) {
              undecided = false;
              if (!CapturePolicy::looks_executable(collected)) {
                collecting = false;
                collected.clear();
                if (name_cap) warn_too_large(name, e, *name_cap);
              }
            }
          }
        }
        // A block that does not start where the last ended means a sparse hole.
        if (hashes && offset != high_water) hashes.reset();
        if (hashes) hashes->update(block, block_size);
        high_water = std::max<std::uint64_t>(high_water, offset + block_size);
      }
      if (collecting && !undecided && high_water == e.size) {
        collected.resize(static_cast<std::size_t>(e.size));
        Entry kept;
        policy.keep(e.path, std::move(collected), kept);
        e.content = kept.content;
        e.extracts = kept.extracts;
        if (e.content || e.extracts) captured[e.path] = {e.content, e.extracts};
      }
      if (hashes && high_water == e.size) {
        e.sha1 = hashes->sha1.hex_digest();
        e.sha256 = hashes->sha256.hex_digest();
      }
      result.contents.entries.push_back(std::move(e));
      if (stream_ended_cleanly) {
        result.missing_end_blocks = true;
        break;
      }
    }
    if (skipped_long)
      log::warn(name + ": skipped " + std::to_string(skipped_long) + " entries with paths longer than " +
                std::to_string(kMaxEntryPath) + " bytes");
    if (skipped_escaping)
      log::warn(name + ": skipped " + std::to_string(skipped_escaping) + " entries whose names climb out of the root with \"..\" (first: \"" +
                first_escaping.substr(0, 200) + "\")");
  }
  // Hash whatever follows the tar's end (padding, trailing data): the diff_id covers it.
  if (!empty_blob) {
    for (;;) {
      la_ssize_t n = archive_read_data(decompressor.get(), tar_feed.buffer.data(), tar_feed.buffer.size());
      if (n < 0) {
        if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
        return input_error(name + ": decompression failed: " + libarchive_message(decompressor.get(), "corrupt data"));
      }
      if (n == 0) break;
      tar_feed.consume(tar_feed.buffer.data(), static_cast<std::size_t>(n));
    }
  }
  if (blob_feed.error) return std::unexpected(blob_feed.error->context(name));
  // And whatever of the blob the decompressor did not need.
  for (;;) {
    auto n = blob.read(blob_feed.buffer.data(), blob_feed.buffer.size());
    if (!n) return std::unexpected(n.error().context(name));
    if (*n == 0) break;
    if (auto e = blob_feed.count(*n)) return std::unexpected(e->context(name));
    blob_feed.hasher.update(blob_feed.buffer.data(), *n);
  }

  result.size = blob_feed.bytes;
  result.uncompressed_size = tar_feed.bytes;
  result.digest = Digest{expect.digest ? expect.digest->algorithm : "sha256", blob_feed.hasher.hex_digest()};
  result.diff_id = Digest{"sha256", tar_feed.hasher.hex_digest()};
  if (expect.size && *expect.size != result.size)
    return input_error(name + ": blob is " + std::to_string(result.size) + " bytes but the manifest says " +
                       std::to_string(*expect.size) + "; the blob is truncated, corrupt or was replaced");
  if (expect.digest && !constant_time_equal(result.digest.hex, expect.digest->hex))
    return input_error(name + ": blob has digest " + result.digest.str() + " but the manifest says " + expect.digest->str() +
                       "; the blob is corrupt or was tampered with");
  if (expect.diff_id && !constant_time_equal(result.diff_id.hex, expect.diff_id->hex))
    return input_error(name + ": uncompressed content has digest " + result.diff_id.str() + " but the config's diff_id is " +
                       expect.diff_id->str() + "; the layer is corrupt or does not belong to this image");
  if (!empty_blob && tar_feed.bytes > 0 && !tar_feed.ended_with_zero_blocks()) result.missing_end_blocks = true;
  return result;
}

}  // namespace cairn::sbom
