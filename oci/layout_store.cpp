#include "oci/layout_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "core/log.h"
#include "oci/media_types.h"
#include "oci/verifying_stream.h"

namespace cairn::oci {

namespace {

using ordered_json = nlohmann::ordered_json;

const std::string kRefName(kLayoutRefNameAnnotation);
constexpr std::string_view kEmptyIndex =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";
constexpr std::string_view kLayoutMarker = R"({"imageLayoutVersion":"1.0.0"})";

std::string errno_text(int error) { return std::strerror(error); }

std::string ref_name(const Descriptor& d) {
  auto it = d.annotations.find(kRefName);
  return it == d.annotations.end() ? std::string() : it->second;
}

std::string blob_relative(const Digest& d) { return "blobs/" + d.algorithm + "/" + d.hex; }

// ---- files ---------------------------------------------------------------------------

// The size of the regular file at path; nullopt when nothing is there. Symlinks,
// directories and devices are errors: a layout holds plain files, and following a link
// could lead outside the layout (or block on a FIFO).
Result<std::optional<std::uint64_t>> plain_file_size(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    return input_error("cannot inspect " + path + ": " + errno_text(errno));
  }
  if (S_ISLNK(st.st_mode))
    return input_error(path + " is a symbolic link; the files of an OCI layout must be regular files, so cairn does not follow it");
  if (S_ISDIR(st.st_mode)) return input_error(path + " is a directory where the OCI layout needs a file");
  if (!S_ISREG(st.st_mode)) return input_error(path + " is not a regular file");
  return static_cast<std::uint64_t>(st.st_size);
}

// A small file read whole (index.json, manifests); nullopt when it does not exist.
Result<std::optional<std::string>> read_plain_file(const std::string& path, std::size_t max_bytes) {
  auto size = plain_file_size(path);
  if (!size) return std::unexpected(size.error());
  if (!*size) return std::nullopt;
  if (**size > max_bytes)
    return input_error(path + " is " + std::to_string(**size) + " bytes, more than the " + std::to_string(max_bytes) +
                       "-byte limit for it");
  auto stream = FileRangeStream::open(path, 0, UINT64_MAX, path);
  if (!stream) return std::unexpected(stream.error());
  auto bytes = read_all(**stream, max_bytes);
  if (!bytes) return std::unexpected(bytes.error());
  return std::move(*bytes);
}

// Makes dir unless it exists; an existing symlink or file there is refused so that no
// write leaves the layout.
Status ensure_directory(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) return {};
  int error = errno;
  struct stat st {};
  if (error != EEXIST || ::lstat(dir.c_str(), &st) != 0) return input_error("cannot create directory " + dir + ": " + errno_text(error));
  if (S_ISLNK(st.st_mode)) return input_error(dir + " is a symbolic link; cairn writes only inside the OCI layout, so it refuses to follow it");
  if (!S_ISDIR(st.st_mode)) return input_error(dir + " is not a directory; the OCI layout needs a directory there");
  return {};
}

// Distinct across threads, processes and hosts sharing a directory.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  unsigned char random[8] = {};
  if (::getrandom(random, sizeof random, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof random)) {
    auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::memcpy(random, &now, sizeof random);
  }
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" + to_hex(random, sizeof random);
}

void sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);  // durability of the rename; a failure here loses nothing already written
  ::close(fd);
}

// A file written under a unique hidden name next to its destination, renamed over the
// destination only when complete; removed if never committed.
class TempFile {
 public:
  static Result<TempFile> create(const std::string& dir, const std::string& stem) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      std::string path = dir + "/." + stem + ".tmp-" + unique_suffix();
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd >= 0) return TempFile(fd, std::move(path));
      if (errno != EEXIST) return input_error("cannot create a temporary file in " + dir + ": " + errno_text(errno));
    }
    return input_error("cannot create a temporary file in " + dir + ": every unique name was taken");
  }
  TempFile(TempFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)), path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  Status write(const char* data, std::size_t size) {
    while (size > 0) {
      ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return input_error("writing " + path_ + ": " + errno_text(errno));
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return {};
  }

  // Flushes to disk and renames over target (in dir), atomically replacing it.
  Status commit(const std::string& target, const std::string& dir) {
    if (::fsync(fd_) != 0) return input_error("writing " + path_ + ": " + errno_text(errno));
    if (::close(std::exchange(fd_, -1)) != 0) return input_error("writing " + path_ + ": " + errno_text(errno));
    if (::rename(path_.c_str(), target.c_str()) != 0)
      return input_error("cannot move " + path_ + " into place as " + target + ": " + errno_text(errno));
    path_.clear();
    sync_directory(dir);
    return {};
  }

 private:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

Status write_file_atomically(const std::string& dir, const std::string& name, std::string_view content) {
  auto temp = TempFile::create(dir, name);
  if (!temp) return std::unexpected(temp.error());
  if (auto w = temp->write(content.data(), content.size()); !w) return w;
  return temp->commit(dir + "/" + name, dir);
}

// An exclusive flock held until destruction. flock locks belong to the open file
// description, so threads of one process exclude each other as processes do.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      int error = errno;
      if (error == ELOOP) return input_error(path + " is a symbolic link; refusing to use it as the layout's lock file");
      return input_error("cannot open the lock file " + path + ": " + errno_text(error));
    }
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      return input_error("cannot lock " + path + ": " + errno_text(error));
    }
    return FileLock(fd);
  }
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// ---- documents -----------------------------------------------------------------------

Status check_digest(std::string_view bytes, const Digest& digest, const std::string& where) {
  auto hasher = Hasher::for_digest(digest);
  if (!hasher) return std::unexpected(hasher.error().context(where));
  hasher->update(bytes);
  std::string actual = hasher->hex_digest();
  if (!constant_time_equal(actual, digest.hex))
    return input_error(where + ": content has digest " + digest.algorithm + ":" + actual + ", not " + digest.str() +
                       "; the blob is corrupt or was tampered with");
  return {};
}

// What the layout needs to know of a manifest or index: its type, its subject and the
// fields a referrers listing reports.
struct ManifestFacts {
  std::string media_type;
  std::optional<Digest> subject;
  std::string artifact_type;           // as the document states it
  std::string referrer_artifact_type;  // artifactType, else config.mediaType (distribution spec)
  std::map<std::string, std::string> annotations;
};

// Parses a manifest or index strictly; declared_type (from a descriptor) must match the
// document's own type when given.
Result<ManifestFacts> manifest_facts(std::string_view bytes, const std::string& declared_type, const std::string& where) {
  auto sniffed = sniff_media_type(bytes, where);
  if (!sniffed) return std::unexpected(sniffed.error());
  if (!declared_type.empty() && declared_type != *sniffed)
    return input_error(where + ": its descriptor gives media type \"" + log::printable(declared_type) +
                       "\" but the document is \"" + log::printable(*sniffed) + "\"");
  ManifestFacts facts;
  facts.media_type = *sniffed;
  if (media::is_manifest(facts.media_type)) {
    auto m = parse_manifest(bytes, where);
    if (!m) return std::unexpected(m.error());
    if (m->subject) facts.subject = m->subject->digest;
    facts.artifact_type = m->artifact_type;
    facts.referrer_artifact_type = m->artifact_type.empty() ? m->config.media_type : m->artifact_type;
    facts.annotations = std::move(m->annotations);
    return facts;
  }
  if (media::is_index(facts.media_type)) {
    auto idx = parse_index(bytes, where);
    if (!idx) return std::unexpected(idx.error());
    if (idx->subject) facts.subject = idx->subject->digest;
    facts.artifact_type = idx->artifact_type;
    facts.referrer_artifact_type = idx->artifact_type;
    facts.annotations = std::move(idx->annotations);
    return facts;
  }
  return input_error(where + ": media type \"" + log::printable(facts.media_type) +
                     "\" is neither an image manifest nor an image index");
}

// ---- index.json ----------------------------------------------------------------------

struct LoadedIndex {
  Index index;       // checked descriptors, in document order
  ordered_json doc;  // the whole document, unknown fields and key order kept for rewriting
};

Result<LoadedIndex> load_layout_index(std::string_view bytes, const std::string& where) {
  auto index = parse_index(bytes, where);  // size cap, JSON, every entry a valid descriptor
  if (!index) return std::unexpected(index.error());
  ordered_json doc = ordered_json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return input_error(where + ": expected a JSON object");
  if (auto v = doc.find("schemaVersion"); v != doc.end()) {
    if (!v->is_number_integer() || v->get<std::int64_t>() != 2) return input_error(where + ": field \"schemaVersion\" must be 2");
  }
  if (doc["manifests"].size() != index->manifests.size()) return input_error(where + ": field \"manifests\" could not be read");
  return LoadedIndex{std::move(*index), std::move(doc)};
}

ordered_json descriptor_json(const Descriptor& d) {
  ordered_json j = ordered_json::object();
  j["mediaType"] = d.media_type;
  j["digest"] = d.digest.str();
  j["size"] = d.size;
  if (!d.artifact_type.empty()) j["artifactType"] = d.artifact_type;
  if (d.platform) {
    ordered_json p = ordered_json::object();
    p["architecture"] = d.platform->architecture;
    p["os"] = d.platform->os;
    if (!d.platform->variant.empty()) p["variant"] = d.platform->variant;
    j["platform"] = std::move(p);
  }
  if (!d.annotations.empty()) {
    ordered_json a = ordered_json::object();
    for (const auto& [k, v] : d.annotations) a[k] = v;
    j["annotations"] = std::move(a);
  }
  return j;
}

Result<std::string> dump_json(const ordered_json& doc, const std::string& where) {
  try {
    return doc.dump();
  } catch (const nlohmann::json::exception& e) {
    return input_error(where + ": cannot write the updated document: " + e.what());
  }
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// component ::= alphanum (separator alphanum)*; separator ::= [-._:@+] | "--"
bool valid_component(std::string_view c) {
  std::size_t i = 0;
  for (;;) {
    std::size_t start = i;
    while (i < c.size() && is_alnum(c[i])) ++i;
    if (i == start) return false;
    if (i == c.size()) return true;
    if (c.substr(i, 2) == "--") {
      i += 2;
    } else if (std::string_view("-._:@+").find(c[i]) != std::string_view::npos) {
      ++i;
    } else {
      return false;
    }
  }
}

// ---- the store -----------------------------------------------------------------------

class LayoutStore final : public Store {
 public:
  explicit LayoutStore(std::string root) : root_(std::move(root)) {}

  std::string describe() const override { return "oci-dir:" + root_; }

  Result<std::optional<FetchedManifest>> find_manifest(const std::string& reference) override {
    if (reference.rfind("sha256:", 0) == 0 || reference.rfind("sha512:", 0) == 0) return find_by_digest(reference);
    auto index = read_index();
    if (!index) return std::unexpected(index.error());
    std::optional<Descriptor> found;
    for (const auto& entry : index->manifests) {
      if (ref_name(entry) != reference) continue;
      if (found && found->digest != entry.digest)
        return input_error(path("index.json") + ": tag \"" + log::printable(reference) + "\" names both " +
                           found->digest.str() + " and " + entry.digest.str() + "; retag it to choose one");
      found = entry;
    }
    if (!found) return std::nullopt;
    auto bytes = read_document(*found);
    if (!bytes) return std::unexpected(bytes.error());
    if (!*bytes)
      return input_error(path("index.json") + ": tag \"" + log::printable(reference) + "\" names " + found->digest.str() +
                         " but the layout has no blob " + path(blob_relative(found->digest)));
    FetchedManifest fetched;
    fetched.descriptor.media_type = found->media_type;
    fetched.descriptor.digest = found->digest;
    fetched.descriptor.size = found->size;
    fetched.bytes = std::move(**bytes);
    return fetched;
  }

  Result<std::unique_ptr<ByteStream>> open_unverified_blob(const Descriptor& blob) override {
    std::string file = path(blob_relative(blob.digest));
    auto size = plain_file_size(file);
    if (!size) return std::unexpected(size.error().context(blob_where(blob.digest)));
    if (!*size) return input_error(describe() + " has no blob " + blob.digest.str() + " (looked for " + file + ")");
    auto stream = FileRangeStream::open(file, 0, UINT64_MAX, file);
    if (!stream) return std::unexpected(stream.error());
    return std::unique_ptr<ByteStream>(std::move(*stream));
  }

  Result<bool> has_blob(const Descriptor& blob) override {
    auto size = plain_file_size(path(blob_relative(blob.digest)));
    if (!size) return std::unexpected(size.error().context(blob_where(blob.digest)));
    return *size && **size == blob.size;
  }

  Status push_blob(const Descriptor& blob, const BlobOpener& open, const std::string& /*mount_from: registries only*/) override {
    auto present = has_blob(blob);
    if (!present) return std::unexpected(present.error());
    if (*present) return {};
    if (!open) return input_error(blob_where(blob.digest) + ": nothing to read the blob from");
    auto dir = blob_directory(blob.digest.algorithm);
    if (!dir) return std::unexpected(dir.error());
    auto source = open();
    if (!source) return std::unexpected(source.error().context("pushing " + blob_where(blob.digest)));
    // Size and digest are checked as the bytes pass; a mismatch fails the last read, and
    // the temporary file is removed without ever being renamed into place.
    VerifyingStream verified(std::move(*source), blob, "pushing " + blob_where(blob.digest));
    auto temp = TempFile::create(*dir, blob.digest.hex);
    if (!temp) return std::unexpected(temp.error());
    std::vector<char> buffer(1 << 16);
    for (;;) {
      auto n = verified.read(buffer.data(), buffer.size());
      if (!n) return std::unexpected(n.error());
      if (*n == 0) break;
      if (auto w = temp->write(buffer.data(), *n); !w) return w;
    }
    return temp->commit(path(blob_relative(blob.digest)), *dir);
  }

  Status push_manifest(const Descriptor& manifest, std::string_view bytes, const std::string& tag) override {
    std::string where = "manifest " + manifest.digest.str() + " pushed to " + describe();
    if (!tag.empty() && !valid_layout_tag(tag))
      return usage_error(describe() + ": \"" + log::printable(tag) +
                         "\" is not a valid tag for an OCI layout (org.opencontainers.image.ref.name: letters and digits "
                         "joined by one of - . _ : @ + or --, in components separated by /)");
    if (bytes.size() > kMaxDocumentBytes)
      return input_error(where + ": " + std::to_string(bytes.size()) + " bytes exceeds the " + std::to_string(kMaxDocumentBytes) +
                         "-byte limit for manifests");
    if (bytes.size() != manifest.size)
      return input_error(where + ": " + std::to_string(bytes.size()) + " bytes, but its descriptor gives " +
                         std::to_string(manifest.size));
    if (auto ok = check_digest(bytes, manifest.digest, where); !ok) return ok;
    auto facts = manifest_facts(bytes, manifest.media_type, where);
    if (!facts) return std::unexpected(facts.error());
    Descriptor blob = manifest;
    blob.media_type = facts->media_type;
    auto pushed = push_bytes(blob, std::string(bytes));
    if (!pushed) return pushed;

    Descriptor entry;
    entry.media_type = facts->media_type;
    entry.digest = manifest.digest;
    entry.size = manifest.size;
    if (facts->subject) {
      // Listed as the referrers API would list it, so tools reading index.json see the same.
      entry.artifact_type = facts->referrer_artifact_type;
      if (tag.empty()) entry.annotations = facts->annotations;
    } else {
      entry.artifact_type = facts->artifact_type;
    }
    if (!tag.empty()) entry.annotations[kRefName] = tag;
    return record_in_index(entry, tag);
  }

  Result<std::vector<Descriptor>> referrers(const Digest& subject, const std::string& artifact_type) override {
    auto index = read_index();
    if (!index) return std::unexpected(index.error());
    std::set<Digest> seen;
    std::vector<Descriptor> out;
    for (const auto& entry : index->manifests) {
      if (!seen.insert(entry.digest).second) continue;
      if (!media::is_manifest(entry.media_type) && !media::is_index(entry.media_type)) continue;
      std::string where = "manifest " + entry.digest.str() + " listed in " + path("index.json");
      auto bytes = read_document(entry);
      if (!bytes) {
        log::warn("skipping " + where + " while listing referrers: " + bytes.error().message);
        continue;
      }
      if (!*bytes) {
        log::warn("skipping " + where + " while listing referrers: the layout has no blob for it");
        continue;
      }
      // A referrer names its subject's digest; most manifests can be passed over unparsed.
      if ((*bytes)->find(subject.hex) == std::string::npos) continue;
      auto facts = manifest_facts(**bytes, entry.media_type, where);
      if (!facts) {
        log::warn("skipping a manifest while listing referrers: " + facts.error().message);
        continue;
      }
      if (facts->subject != subject) continue;
      if (!artifact_type.empty() && facts->referrer_artifact_type != artifact_type) continue;
      Descriptor d;
      d.media_type = facts->media_type;
      d.digest = entry.digest;
      d.size = entry.size;
      d.artifact_type = facts->referrer_artifact_type;
      d.annotations = std::move(facts->annotations);
      out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const Descriptor& a, const Descriptor& b) { return a.digest.str() < b.digest.str(); });
    return out;
  }

 private:
  std::string path(const std::string& relative) const { return root_ + "/" + relative; }
  std::string blob_where(const Digest& d) const { return "blob " + d.str() + " of " + describe(); }

  Result<Index> read_index() const {
    std::string file = path("index.json");
    auto bytes = read_plain_file(file, kMaxDocumentBytes);
    if (!bytes) return std::unexpected(bytes.error());
    if (!*bytes) return input_error(file + " is missing; " + root_ + " is not a complete OCI image layout");
    return parse_layout_index(**bytes, file);
  }

  Result<std::optional<FetchedManifest>> find_by_digest(const std::string& reference) const {
    auto digest = Digest::parse(reference);
    if (!digest) return usage_error(describe() + ": \"" + log::printable(reference) + "\" is not a valid digest: " + digest.error().message);
    std::string file = path(blob_relative(*digest));
    auto bytes = read_plain_file(file, kMaxDocumentBytes);
    if (!bytes) return std::unexpected(bytes.error());
    if (!*bytes) return std::nullopt;
    if (auto ok = check_digest(**bytes, *digest, file); !ok) return std::unexpected(ok.error());
    auto type = sniff_media_type(**bytes, file);
    if (!type) return std::unexpected(type.error());
    FetchedManifest fetched;
    fetched.descriptor.media_type = *type;
    fetched.descriptor.digest = *digest;
    fetched.descriptor.size = (*bytes)->size();
    fetched.bytes = std::move(**bytes);
    return fetched;
  }

  // A listed manifest's bytes, checked against its descriptor; nullopt when absent.
  Result<std::optional<std::string>> read_document(const Descriptor& d) const {
    std::string file = path(blob_relative(d.digest));
    if (d.size > kMaxDocumentBytes)
      return input_error(file + ": its descriptor gives " + std::to_string(d.size) + " bytes, above the " +
                         std::to_string(kMaxDocumentBytes) + "-byte limit for manifests");
    auto bytes = read_plain_file(file, kMaxDocumentBytes);
    if (!bytes || !*bytes) return bytes;
    if ((*bytes)->size() != d.size)
      return input_error(file + ": " + std::to_string((*bytes)->size()) + " bytes, but its descriptor gives " + std::to_string(d.size));
    if (auto ok = check_digest(**bytes, d.digest, file); !ok) return std::unexpected(ok.error());
    return bytes;
  }

  Result<std::string> blob_directory(const std::string& algorithm) const {
    if (auto s = ensure_directory(path("blobs")); !s) return std::unexpected(s.error());
    std::string dir = path("blobs/" + algorithm);
    if (auto s = ensure_directory(dir); !s) return std::unexpected(s.error());
    return dir;
  }

  // Whether a manifest that loses its tag must stay listed: referrers are found through
  // index.json, so one with a subject would otherwise vanish from listings.
  bool has_subject(const Descriptor& d) const {
    auto bytes = read_document(d);
    if (!bytes || !*bytes) return false;
    auto facts = manifest_facts(**bytes, d.media_type, path(blob_relative(d.digest)));
    return facts && facts->subject.has_value();
  }

  Status record_in_index(const Descriptor& entry, const std::string& tag) {
    auto lock = FileLock::acquire(path("index.json.lock"));
    if (!lock) return std::unexpected(lock.error());
    std::string file = path("index.json");
    auto current = read_plain_file(file, kMaxDocumentBytes);
    if (!current) return std::unexpected(current.error());
    if (!*current) return input_error(file + " is missing; " + root_ + " is not a complete OCI image layout");
    auto updated = updated_layout_index(**current, file, entry, tag, [this](const Descriptor& d) { return has_subject(d); });
    if (!updated) return std::unexpected(updated.error());
    if (!*updated) return {};
    return write_file_atomically(root_, "index.json", **updated);
  }

  std::string root_;
};

}  // namespace

bool valid_layout_tag(std::string_view tag) {
  std::size_t i = 0;
  for (;;) {
    auto slash = tag.find('/', i);
    auto component = tag.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    if (!valid_component(component)) return false;
    if (slash == std::string_view::npos) return true;
    i = slash + 1;
  }
}

Result<Index> parse_layout_index(std::string_view bytes, const std::string& where) {
  auto loaded = load_layout_index(bytes, where);
  if (!loaded) return std::unexpected(loaded.error());
  return std::move(loaded->index);
}

Result<std::optional<std::string>> updated_layout_index(std::string_view current, const std::string& where,
                                                        const Descriptor& entry, const std::string& tag,
                                                        const std::function<bool(const Descriptor&)>& stays_listed) {
  auto loaded = load_layout_index(current, where);
  if (!loaded) return std::unexpected(loaded.error());
  const auto& entries = loaded->index.manifests;
  ordered_json& doc = loaded->doc;
  auto before = dump_json(doc, where);
  if (!before) return std::unexpected(before.error());

  if (tag.empty()) {
    for (const auto& e : entries)
      if (e.digest == entry.digest) return std::nullopt;
    doc["manifests"].push_back(descriptor_json(entry));
    return dump_json(doc, where);
  }

  // Entries that give way: those carrying the tag, and an untagged twin of the new entry.
  auto gives_way = [&](const Descriptor& e) {
    std::string name = ref_name(e);
    return name == tag || (name.empty() && e.digest == entry.digest);
  };
  std::set<Digest> still_listed;
  for (const auto& e : entries)
    if (!gives_way(e)) still_listed.insert(e.digest);
  still_listed.insert(entry.digest);

  const ordered_json& raw = doc["manifests"];
  ordered_json kept = ordered_json::array();
  std::optional<std::size_t> slot;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (!gives_way(e)) {
      kept.push_back(raw[i]);
      continue;
    }
    if (!slot) slot = kept.size();
    if (still_listed.count(e.digest) || !stays_listed(e)) continue;
    ordered_json untagged = raw[i];
    untagged["annotations"].erase(kRefName);
    if (untagged["annotations"].empty()) untagged.erase("annotations");
    kept.push_back(std::move(untagged));
    still_listed.insert(e.digest);
  }
  kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(slot.value_or(kept.size())), descriptor_json(entry));
  doc["manifests"] = std::move(kept);
  auto after = dump_json(doc, where);
  if (!after) return std::unexpected(after.error());
  if (*after == *before) return std::nullopt;
  return after;
}

Result<std::unique_ptr<Store>> open_layout_store(const std::string& path_in, bool create) {
  std::string root = path_in;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (root.empty()) return usage_error("an OCI layout path must not be empty");
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) return input_error("cannot create the OCI layout directory " + root + ": " + ec.message());
  }
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0)
    return input_error("cannot open the OCI layout " + root + ": " + errno_text(errno));
  if (!S_ISDIR(st.st_mode))
    return input_error(root + " is not a directory; an OCI image layout is a directory holding oci-layout, index.json and blobs/");

  std::string marker = root + "/oci-layout";
  auto layout = read_plain_file(marker, 4096);
  if (!layout) return std::unexpected(layout.error());
  if (!*layout) {
    if (!create) return input_error(root + " is not an OCI image layout: it has no oci-layout file");
    if (auto w = write_file_atomically(root, "oci-layout", kLayoutMarker); !w) return std::unexpected(w.error());
  } else {
    auto doc = nlohmann::json::parse(**layout, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("imageLayoutVersion") || !doc["imageLayoutVersion"].is_string())
      return input_error(marker + ": expected {\"imageLayoutVersion\": \"1.0.0\"}");
  }

  std::string index = root + "/index.json";
  auto index_size = plain_file_size(index);
  if (!index_size) return std::unexpected(index_size.error());
  if (!*index_size) {
    if (!create) return input_error(root + " is not a complete OCI image layout: it has no index.json");
    // Under the lock, so that a concurrent creator's first push is never overwritten.
    auto lock = FileLock::acquire(index + ".lock");
    if (!lock) return std::unexpected(lock.error());
    auto again = plain_file_size(index);
    if (!again) return std::unexpected(again.error());
    if (!*again)
      if (auto w = write_file_atomically(root, "index.json", kEmptyIndex); !w) return std::unexpected(w.error());
  }
  if (create)
    if (auto s = ensure_directory(root + "/blobs"); !s) return std::unexpected(s.error());
  return std::unique_ptr<Store>(std::make_unique<LayoutStore>(root));
}

}  // namespace cairn::oci
