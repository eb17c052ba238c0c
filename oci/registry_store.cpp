#include "oci/registry_store.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <random>
#include <thread>

#include "core/log.h"
#include "oci/image_writer.h"
#include "oci/media_types.h"
#include "oci/verifying_stream.h"

namespace cairn::oci {

namespace {

const std::string kManifestAccept = std::string(media::kOciManifest) + ", " + std::string(media::kOciIndex) + ", " +
                                    std::string(media::kDockerManifest) + ", " + std::string(media::kDockerManifestList);

constexpr const char* kZeroDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

// How much of a blob may wait between the download and the reader.
constexpr std::size_t kPipeBytes = 8 * 1024 * 1024;

std::string strip_parameters(std::string content_type) {
  auto semi = content_type.find(';');
  if (semi != std::string::npos) content_type.resize(semi);
  while (!content_type.empty() && content_type.back() == ' ') content_type.pop_back();
  return content_type;
}

// A blob download running on its own thread, read as a ByteStream: the registry
// client's push-style body callback meets the layer reader's pull-style reads here.
// Hand-offs are batched (the reader is woken once kWakeBytes are waiting, the download
// once half the pipe is free): waking on every socket read cost ~70,000 context switches
// per 100 MB.
class RegistryBlobStream final : public ByteStream {
 public:
  RegistryBlobStream(std::shared_ptr<RegistryClient> client, RegistryCall call, std::string name)
      : name_(std::move(name)) {
    thread_ = std::thread([this, client = std::move(client), call = std::move(call)]() mutable { run(*client, call); });
  }

  ~RegistryBlobStream() override {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    space_.notify_all();
    thread_.join();
  }

  Result<std::size_t> read(void* buffer, std::size_t size) override {
    std::unique_lock lock(mutex_);
    reader_wants_ = std::min(size, kWakeBytes);
    data_.wait(lock, [&] { return buffered_ >= reader_wants_ || finished_; });
    reader_wants_ = 0;
    if (chunks_.empty()) {
      if (error_) return std::unexpected(*error_);
      return 0;
    }
    auto* out = static_cast<char*>(buffer);
    std::size_t copied = 0;
    while (copied < size && !chunks_.empty()) {
      auto& front = chunks_.front();
      std::size_t n = std::min(size - copied, front.size() - offset_);
      std::memcpy(out + copied, front.data() + offset_, n);
      copied += n;
      offset_ += n;
      if (offset_ == front.size()) {
        chunks_.pop_front();
        offset_ = 0;
      }
    }
    buffered_ -= copied;
    if (writer_waiting_ && buffered_ <= kPipeBytes / 2) space_.notify_one();
    return copied;
  }

  const std::string& name() const override { return name_; }

 private:
  static constexpr std::size_t kWakeBytes = 256 * 1024;

  void run(RegistryClient& client, RegistryCall& call) {
    http::BodySink sink = [this](const char* data, std::size_t size) {
      std::unique_lock lock(mutex_);
      writer_waiting_ = true;
      space_.wait(lock, [&] { return buffered_ < kPipeBytes || cancelled_; });
      writer_waiting_ = false;
      if (cancelled_) return false;
      chunks_.emplace_back(data, size);
      buffered_ += size;
      if (reader_wants_ && buffered_ >= reader_wants_) data_.notify_one();
      return true;
    };
    call.sink = &sink;
    auto response = client.call(call);
    std::lock_guard lock(mutex_);
    if (!response) error_ = response.error();
    else if (response->status == 404) error_ = Error{ErrorKind::Input, client.failure(call, *response).message + " (the registry has no such blob)"};
    else if (response->status != 200 && response->status != 206) error_ = client.failure(call, *response);
    finished_ = true;
    data_.notify_one();
  }

  std::string name_;
  std::mutex mutex_;
  std::condition_variable data_;   // the reader waits here for reader_wants_ bytes or the end
  std::condition_variable space_;  // the download waits here for room in the pipe
  std::deque<std::string> chunks_;
  std::size_t offset_ = 0;
  std::size_t buffered_ = 0;
  std::size_t reader_wants_ = 0;
  bool writer_waiting_ = false;
  bool finished_ = false;
  bool cancelled_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

// Reads `limit` bytes of another stream (one chunk of an upload). For the last chunk
// (`reach_end`) it also reads the inner stream's end along with the last bytes, so that a
// checking stream's size or digest failure aborts the request before it completes.
class LimitedStream final : public ByteStream {
 public:
  LimitedStream(ByteStream& inner, std::uint64_t limit, bool reach_end) : inner_(inner), remaining_(limit), reach_end_(reach_end) {}
  Result<std::size_t> read(void* buffer, std::size_t size) override {
    if (!remaining_) return 0;
    auto n = inner_.read(buffer, std::min<std::uint64_t>(size, remaining_));
    if (!n || *n == 0) return n;
    remaining_ -= *n;
    if (remaining_ == 0 && reach_end_) {
      char probe;
      auto end = inner_.read(&probe, 1);
      if (!end) return std::unexpected(end.error());
      if (*end) return input_error(inner_.name() + ": longer than the size its descriptor gives");
    }
    return n;
  }
  const std::string& name() const override { return inner_.name(); }

 private:
  ByteStream& inner_;
  std::uint64_t remaining_;
  bool reach_end_;
};

class RegistryStore final : public Store {
 public:
  RegistryStore(std::shared_ptr<RegistryClient> client, std::string repository)
      : client_(std::move(client)), repository_(std::move(repository)) {}

  std::string describe() const override { return client_->registry() + "/" + repository_; }

  Result<std::optional<FetchedManifest>> find_manifest(const std::string& reference) override {
    RegistryCall call = make_call("fetching manifest " + reference, "GET", "/v2/" + repository_ + "/manifests/" + reference);
    call.headers.emplace("Accept", kManifestAccept);
    auto response = client_->call(call);
    if (!response) return std::unexpected(response.error());
    if (response->status == 404) return std::optional<FetchedManifest>();
    if (response->status != 200) return std::unexpected(client_->failure(call, *response));
    return check_manifest(reference, *response, call);
  }

  Result<std::unique_ptr<ByteStream>> open_unverified_blob(const Descriptor& blob) override {
    RegistryCall call = make_call("fetching blob " + blob.digest.str(), "GET", "/v2/" + repository_ + "/blobs/" + blob.digest.str());
    return std::unique_ptr<ByteStream>(std::make_unique<RegistryBlobStream>(client_, call, "blob " + blob.digest.str() + " of " + describe()));
  }

  Result<bool> has_blob(const Descriptor& blob) override {
    RegistryCall call = make_call("checking blob " + blob.digest.str(), "HEAD", "/v2/" + repository_ + "/blobs/" + blob.digest.str());
    auto response = client_->call(call);
    if (!response) return std::unexpected(response.error());
    if (response->status == 404) return false;
    if (response->status != 200) return std::unexpected(client_->failure(call, *response));
    return true;
  }

  Status push_blob(const Descriptor& blob, const BlobOpener& open, const std::string& mount_from) override {
    auto present = has_blob(blob);
    if (!present) return std::unexpected(present.error());
    if (*present) return {};
    Error last;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      auto pushed = upload(blob, open, attempt == 1 ? mount_from : "");
      if (pushed) return pushed;
      last = pushed.error();
      if (!last.transient) break;
      log::info(last.message + "; starting the upload again");
    }
    return std::unexpected(last);
  }

  Status push_manifest(const Descriptor& manifest, std::string_view bytes, const std::string& tag) override {
    if (manifest.size != bytes.size() || Digest{"sha256", sha256_hex(bytes)} != manifest.digest)
      return input_error("pushing manifest to " + describe() + ": the bytes do not match descriptor " + manifest.digest.str());
    auto put = put_manifest(manifest, bytes, manifest.digest.str());
    if (!put) return std::unexpected(put.error());
    if (!tag.empty()) {
      auto tagged = put_manifest(manifest, bytes, tag);
      if (!tagged) return std::unexpected(tagged.error());
    }
    std::string where = "manifest " + manifest.digest.str() + " pushed to " + describe();
    std::optional<Digest> subject;
    Descriptor entry;
    if (media::is_manifest(manifest.media_type)) {
      // A document the registry took but cairn cannot parse names no subject cairn could index.
      auto parsed = parse_manifest(bytes, where);
      if (parsed && parsed->subject) subject = parsed->subject->digest, entry = referrer_descriptor(*parsed, manifest);
    } else if (media::is_index(manifest.media_type)) {
      auto parsed = parse_index(bytes, where);
      if (parsed && parsed->subject) subject = parsed->subject->digest, entry = referrer_descriptor(*parsed, manifest);
    }
    if (!subject) return {};
    // The registry says it indexed the subject (OCI-Subject); @sigstore/oci also probes
    // the API because some registries send the header without serving referrers.
    auto api = referrers_api();
    if (!api) return std::unexpected(api.error());
    if (*api && !put->header("OCI-Subject").empty()) return {};
    if (*api && client_->options().referrers_mode == ReferrersMode::Api) return {};
    return add_to_referrers_tag(*subject, entry);
  }

  Result<std::vector<Descriptor>> referrers(const Digest& subject, const std::string& artifact_type) override {
    auto api = referrers_api();
    if (!api) return std::unexpected(api.error());
    std::vector<Descriptor> found;
    if (*api) {
      auto listed = referrers_from_api(subject, artifact_type);
      if (!listed) return std::unexpected(listed.error());
      found = std::move(*listed);
    } else {
      auto index = referrers_index(subject);
      if (!index) return std::unexpected(index.error());
      found = std::move(index->manifests);
    }
    std::vector<Descriptor> out;
    for (auto& d : found) {
      if (!artifact_type.empty() && d.artifact_type != artifact_type) continue;
      if (std::any_of(out.begin(), out.end(), [&](const Descriptor& o) { return o.digest == d.digest; })) continue;
      out.push_back(std::move(d));
    }
    std::sort(out.begin(), out.end(), [](const Descriptor& a, const Descriptor& b) { return a.digest < b.digest; });
    return out;
  }

 private:
  RegistryCall make_call(std::string operation, std::string method, std::string path, std::string actions = "pull") const {
    RegistryCall call;
    call.operation = std::move(operation);
    call.method = std::move(method);
    call.repository = repository_;
    call.path = std::move(path);
    call.actions = std::move(actions);
    return call;
  }

  Result<std::optional<FetchedManifest>> check_manifest(const std::string& reference, const http::Response& response,
                                                        const RegistryCall& call) {
    const auto& bytes = response.body;
    if (bytes.size() > kMaxDocumentBytes)
      return input_error(call.operation + " (" + describe() + "): the manifest is larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
    FetchedManifest out;
    out.bytes = bytes;
    std::string expected = reference.find(':') != std::string::npos ? reference : response.header("Docker-Content-Digest");
    Digest digest{"sha256", sha256_hex(bytes)};
    if (!expected.empty()) {
      auto want = Digest::parse(expected);
      if (!want) return input_error(call.operation + " (" + describe() + "): the registry's Docker-Content-Digest \"" + log::printable(expected) + "\" is not a digest");
      if (want->algorithm != "sha256") {
        auto hasher = Hasher::for_digest(*want);
        if (!hasher) return std::unexpected(hasher.error());
        hasher->update(bytes);
        digest = Digest{want->algorithm, hasher->hex_digest()};
      }
      if (digest != *want)
        return input_error(call.operation + " (" + describe() + "): the manifest's bytes have digest " + digest.str() + ", not " +
                           want->str() + "; the registry returned other content than was asked for");
    }
    out.descriptor.digest = digest;
    out.descriptor.size = bytes.size();
    std::string type = strip_parameters(response.header("Content-Type"));
    if (!media::is_manifest(type) && !media::is_index(type)) {
      auto sniffed = sniff_media_type(bytes, "manifest " + digest.str() + " of " + describe());
      if (!sniffed) return std::unexpected(sniffed.error());
      type = *sniffed;
    }
    out.descriptor.media_type = type;
    return std::optional<FetchedManifest>(std::move(out));
  }

  Result<http::Response> put_manifest(const Descriptor& manifest, std::string_view bytes, const std::string& reference) {
    RegistryCall call = make_call("pushing manifest " + reference, "PUT", "/v2/" + repository_ + "/manifests/" + reference, "pull,push");
    call.headers.emplace("Content-Type", manifest.media_type);
    call.body = std::string(bytes);
    auto response = client_->call(call);
    if (!response) return std::unexpected(response.error());
    if (response->status != 201 && response->status != 200) return std::unexpected(client_->failure(call, *response));
    return response;
  }

  Status upload(const Descriptor& blob, const BlobOpener& open, const std::string& mount_from) {
    std::string digest = blob.digest.str();
    std::string start = "/v2/" + repository_ + "/blobs/uploads/";
    RegistryCall post = make_call("starting the upload of blob " + digest, "POST", start, "pull,push");
    if (!mount_from.empty() && mount_from != repository_) {
      post.path += "?mount=" + url_encode(digest) + "&from=" + url_encode(mount_from);
      post.extra_scopes.push_back("repository:" + mount_from + ":pull");
    }
    auto started = client_->call(post);
    if (!started) return std::unexpected(started.error());
    if (started->status == 201) return {};  // mounted
    if (started->status != 202) return std::unexpected(client_->failure(post, *started));
    auto location = upload_location(*started, post);
    if (!location) return std::unexpected(location.error());

    auto source = open();
    if (!source) return std::unexpected(source.error());
    std::shared_ptr<ByteStream> stream =
        std::make_shared<VerifyingStream>(std::move(*source), blob, "pushing blob " + digest + " to " + describe());
    std::string url = *location;
    if (blob.size > kUploadChunkBytes) {
      for (std::uint64_t offset = 0; offset < blob.size; offset += kUploadChunkBytes) {
        std::uint64_t length = std::min(kUploadChunkBytes, blob.size - offset);
        RegistryCall patch = make_call("uploading blob " + digest + " (bytes " + std::to_string(offset) + "-" +
                                           std::to_string(offset + length - 1) + ")", "PATCH", url, "pull,push");
        patch.headers.emplace("Content-Type", "application/octet-stream");
        patch.headers.emplace("Content-Range", std::to_string(offset) + "-" + std::to_string(offset + length - 1));
        patch.body_size = length;
        bool last = offset + length == blob.size;
        patch.body_stream = [stream, length, last]() -> Result<std::unique_ptr<ByteStream>> {
          return std::unique_ptr<ByteStream>(std::make_unique<LimitedStream>(*stream, length, last));
        };
        patch.retry = false;  // a half-sent chunk cannot be repeated; the whole upload is
        auto sent = client_->call(patch);
        if (!sent) return std::unexpected(sent.error());
        if (sent->status != 202) return std::unexpected(client_->failure(patch, *sent));
        auto next = upload_location(*sent, patch);
        if (!next) return std::unexpected(next.error());
        url = *next;
      }
      RegistryCall put = make_call("finishing the upload of blob " + digest, "PUT", with_digest(url, digest), "pull,push");
      put.retry = false;
      auto done = client_->call(put);
      if (!done) return std::unexpected(done.error());
      if (done->status != 201) return std::unexpected(client_->failure(put, *done));
      return {};
    }
    if (blob.size == 0) {  // no body to read through: check the (empty) source now
      char probe;
      if (auto end = stream->read(&probe, 1); !end) return std::unexpected(end.error());
    }
    RegistryCall put = make_call("uploading blob " + digest, "PUT", with_digest(url, digest), "pull,push");
    put.headers.emplace("Content-Type", "application/octet-stream");
    put.body_size = blob.size;
    put.body_stream = [stream, size = blob.size]() -> Result<std::unique_ptr<ByteStream>> {
      return std::unique_ptr<ByteStream>(std::make_unique<LimitedStream>(*stream, size, true));
    };
    put.retry = false;
    auto done = client_->call(put);
    if (!done) return std::unexpected(done.error());
    if (done->status != 201) return std::unexpected(client_->failure(put, *done));
    return {};
  }

  Result<std::string> upload_location(const http::Response& response, const RegistryCall& call) {
    auto location = response.header("Location");
    if (location.empty()) return input_error(call.operation + " (" + describe() + "): the registry gave no upload Location");
    if (location.find("://") != std::string::npos) return location;
    if (location[0] != '/') return input_error(call.operation + " (" + describe() + "): upload Location \"" + log::printable(location) + "\" is neither absolute nor a path");
    return location;
  }

  static std::string with_digest(const std::string& url, const std::string& digest) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "digest=" + url_encode(digest);
  }

  Result<bool> referrers_api() {
    auto mode = client_->options().referrers_mode;
    if (mode == ReferrersMode::Api) return true;
    if (mode == ReferrersMode::Tag) return false;
    if (auto known = client_->referrers_api()) return *known;
    RegistryCall call = make_call("probing the referrers API", "GET", "/v2/" + repository_ + "/referrers/" + kZeroDigest);
    call.headers.emplace("Accept", std::string(media::kOciIndex));
    auto response = client_->call(call);
    if (!response) return std::unexpected(response.error());
    bool supported = response->status == 200 &&
                     strip_parameters(response->header("Content-Type")) == media::kOciIndex;
    client_->set_referrers_api(supported);
    return supported;
  }

  Result<std::vector<Descriptor>> referrers_from_api(const Digest& subject, const std::string& artifact_type) {
    std::vector<Descriptor> out;
    std::string path = "/v2/" + repository_ + "/referrers/" + subject.str();
    if (!artifact_type.empty()) path += "?artifactType=" + url_encode(artifact_type);
    for (int page = 0; !path.empty(); ++page) {
      if (page >= 100) return input_error("listing referrers of " + subject.str() + " in " + describe() + ": more than 100 pages");
      RegistryCall call = make_call("listing referrers of " + subject.str(), "GET", path);
      call.headers.emplace("Accept", std::string(media::kOciIndex));
      auto response = client_->call(call);
      if (!response) return std::unexpected(response.error());
      if (response->status == 404) return out;
      if (response->status != 200) return std::unexpected(client_->failure(call, *response));
      auto index = parse_index(response->body, "referrers of " + subject.str() + " in " + describe());
      if (!index) return std::unexpected(index.error());
      for (auto& d : index->manifests) out.push_back(std::move(d));
      path = next_link(response->header("Link"));
    }
    return out;
  }

  // RFC 8288 Link: <URL>; rel="next"
  static std::string next_link(const std::string& link) {
    if (link.find("rel=\"next\"") == std::string::npos && link.find("rel=next") == std::string::npos) return "";
    auto open = link.find('<');
    auto close = link.find('>', open);
    if (open == std::string::npos || close == std::string::npos) return "";
    return link.substr(open + 1, close - open - 1);
  }

  struct TagIndex {
    std::vector<Descriptor> manifests;
    std::string bytes;  // as stored: entries other writers made are kept verbatim
    std::string etag;
    bool exists = false;
  };

  Result<TagIndex> referrers_index(const Digest& subject) {
    std::string tag = referrers_tag(subject);
    RegistryCall call = make_call("reading the referrers index " + tag, "GET", "/v2/" + repository_ + "/manifests/" + tag);
    call.headers.emplace("Accept", std::string(media::kOciIndex));
    auto response = client_->call(call);
    if (!response) return std::unexpected(response.error());
    TagIndex out;
    if (response->status == 404) return out;
    if (response->status != 200) return std::unexpected(client_->failure(call, *response));
    auto checked = check_manifest(tag, *response, call);
    if (!checked) return std::unexpected(checked.error());
    auto index = parse_index(response->body, "referrers index " + tag + " of " + describe());
    if (!index) return std::unexpected(index.error());
    out.manifests = std::move(index->manifests);
    out.bytes = response->body;
    out.etag = response->header("ETag");
    out.exists = true;
    return out;
  }

  // The referrers tag schema is read-modify-write with no lock on registries that ignore
  // If-Match (distribution 2.8 does), so a writer checks after a pause longer than its
  // own read-modify-write that its entry survived, and writes again if another writer's
  // index replaced it.
  Status add_to_referrers_tag(const Digest& subject, const Descriptor& entry) {
    std::string tag = referrers_tag(subject);
    thread_local std::mt19937 rng{std::random_device{}()};
    for (int round = 0; round < 20; ++round) {
      auto started = std::chrono::steady_clock::now();
      auto current = referrers_index(subject);
      if (!current) return std::unexpected(current.error());
      bool present = std::any_of(current->manifests.begin(), current->manifests.end(),
                                 [&](const Descriptor& d) { return d.digest == entry.digest; });
      if (present && round > 0) return {};
      if (!present) {
        std::string bytes;
        if (current->exists) {
          auto doc = nlohmann::ordered_json::parse(current->bytes);  // parse_index accepted it
          doc["manifests"].push_back(descriptor_json(entry));
          bytes = doc.dump();
        } else {
          bytes = write_index({entry});
        }
        RegistryCall call = make_call("updating the referrers index " + tag, "PUT", "/v2/" + repository_ + "/manifests/" + tag, "pull,push");
        call.headers.emplace("Content-Type", std::string(media::kOciIndex));
        if (!current->etag.empty()) call.headers.emplace("If-Match", current->etag);
        else if (!current->exists) call.headers.emplace("If-None-Match", "*");
        call.body = bytes;
        auto response = client_->call(call);
        if (!response) return std::unexpected(response.error());
        if (response->status == 412) continue;  // someone else wrote first: read again
        if (response->status != 201 && response->status != 200) return std::unexpected(client_->failure(call, *response));
      }
      auto took = std::chrono::steady_clock::now() - started;
      auto pause = std::max<std::chrono::steady_clock::duration>(std::chrono::milliseconds(150), 3 * took) +
                   std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 100)(rng));
      std::this_thread::sleep_for(pause);
      if (present) return {};
    }
    return input_error("updating the referrers index " + tag + " of " + describe() +
                       ": other writers kept replacing it; the referrer " + entry.digest.str() + " is pushed but may not be listed");
  }

  std::shared_ptr<RegistryClient> client_;
  std::string repository_;
};

}  // namespace

std::string referrers_tag(const Digest& subject) { return subject.algorithm + "-" + subject.hex; }

std::unique_ptr<Store> open_registry_store(std::shared_ptr<RegistryClient> client, const std::string& repository) {
  return std::make_unique<RegistryStore>(std::move(client), repository);
}

}  // namespace cairn::oci
