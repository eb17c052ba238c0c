// The OCI layout as a content store: blobs, tags, untagged entries, referrers, hostile
// layouts and concurrent writers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/log.h"
#include "oci/layout_store.h"
#include "oci/media_types.h"

namespace cairn::oci {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cairn-layout-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string str(const std::string& rel = "") const { return rel.empty() ? path_.string() : (path_ / rel).string(); }

 private:
  fs::path path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& data) { std::ofstream(path, std::ios::binary) << data; }

std::unique_ptr<Store> must_open(const std::string& path, bool create = true) {
  auto store = open_layout_store(path, create);
  EXPECT_TRUE(store) << (store ? "" : store.error().message);
  return store ? std::move(*store) : nullptr;
}

BlobOpener bytes_opener(std::string bytes) {
  return [bytes]() -> Result<std::unique_ptr<ByteStream>> { return std::make_unique<MemoryStream>(bytes, "test bytes"); };
}

const std::string kEmptyConfig = "{}";

// An image or artifact manifest; with a subject it is a referrer.
struct Doc {
  Descriptor descriptor;
  std::string bytes;
};

Doc make_manifest(const std::string& layer_content, const std::optional<Descriptor>& subject = std::nullopt,
                  const std::string& artifact_type = "", const std::string& config_type = std::string(media::kOciEmpty),
                  const std::map<std::string, std::string>& annotations = {}) {
  auto layer = describe_bytes("application/octet-stream", layer_content);
  auto config = describe_bytes(config_type, kEmptyConfig);
  json m = {{"schemaVersion", 2}, {"mediaType", media::kOciManifest}};
  if (!artifact_type.empty()) m["artifactType"] = artifact_type;
  m["config"] = {{"mediaType", config.media_type}, {"digest", config.digest.str()}, {"size", config.size}};
  m["layers"] = json::array({{{"mediaType", layer.media_type}, {"digest", layer.digest.str()}, {"size", layer.size}}});
  if (subject)
    m["subject"] = {{"mediaType", subject->media_type}, {"digest", subject->digest.str()}, {"size", subject->size}};
  if (!annotations.empty()) m["annotations"] = annotations;
  std::string bytes = m.dump();
  return {describe_bytes(std::string(media::kOciManifest), bytes), bytes};
}

// Pushes a manifest with its config and layer blobs.
void push_doc(Store& store, const Doc& doc, const std::string& layer_content, const std::string& tag = "") {
  auto parsed = parse_manifest(doc.bytes, "test manifest");
  ASSERT_TRUE(parsed);
  ASSERT_TRUE(store.push_blob(parsed->config, bytes_opener(kEmptyConfig)));
  ASSERT_TRUE(store.push_blob(parsed->layers[0], bytes_opener(layer_content)));
  auto pushed = store.push_manifest(doc.descriptor, doc.bytes, tag);
  ASSERT_TRUE(pushed) << pushed.error().message;
}

json index_of(const TempDir& dir) { return json::parse(slurp(dir.str("index.json"))); }

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

TEST(LayoutStore, CreateWritesAnEmptyLayoutAndOpeningRequiresOne) {
  TempDir dir;
  auto missing = open_layout_store(dir.str("layout"), false);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find(dir.str("layout")), std::string::npos) << missing.error().message;

  fs::create_directories(dir.str("plain"));
  auto plain = open_layout_store(dir.str("plain"), false);
  ASSERT_FALSE(plain);
  EXPECT_NE(plain.error().message.find("oci-layout"), std::string::npos) << plain.error().message;

  auto store = must_open(dir.str("layout/nested"), true);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->describe(), "oci-dir:" + dir.str("layout/nested"));
  EXPECT_EQ(json::parse(slurp(dir.str("layout/nested/oci-layout")))["imageLayoutVersion"], "1.0.0");
  auto index = json::parse(slurp(dir.str("layout/nested/index.json")));
  EXPECT_EQ(index["schemaVersion"], 2);
  EXPECT_EQ(index["mediaType"], media::kOciIndex);
  EXPECT_EQ(index["manifests"], json::array());
  EXPECT_TRUE(fs::is_directory(dir.str("layout/nested/blobs")));
  EXPECT_TRUE(open_layout_store(dir.str("layout/nested"), false));
  EXPECT_TRUE(open_layout_store(dir.str("layout/nested/"), true));  // idempotent
}

TEST(LayoutStore, PushesAndReadsBlobs) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  std::string content(200000, 'x');
  auto blob = describe_bytes("application/octet-stream", content);
  EXPECT_FALSE(*store->has_blob(blob));
  ASSERT_TRUE(store->push_blob(blob, bytes_opener(content)));
  EXPECT_TRUE(*store->has_blob(blob));
  EXPECT_EQ(slurp(dir.str("blobs/sha256/" + blob.digest.hex)), content);
  auto read = store->fetch_blob(blob, content.size());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, content);
  // Present: the opener is not called again.
  ASSERT_TRUE(store->push_blob(blob, [] () -> Result<std::unique_ptr<ByteStream>> { return input_error("must not be called"); }));
  EXPECT_EQ(files_in(dir.str("blobs/sha256")).size(), 1u);

  auto absent = describe_bytes("application/octet-stream", "nope");
  auto missing = store->open_blob(absent);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find(absent.digest.str()), std::string::npos);
  EXPECT_NE(missing.error().message.find(dir.str()), std::string::npos);
}

TEST(LayoutStore, WrongDigestPushIsRefusedAndLeavesNothing) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto claimed = describe_bytes("application/octet-stream", "the real bytes");
  auto pushed = store->push_blob(claimed, bytes_opener("other  bytes!!"));  // same size, other digest
  ASSERT_FALSE(pushed);
  EXPECT_NE(pushed.error().message.find("digest"), std::string::npos) << pushed.error().message;
  EXPECT_TRUE(files_in(dir.str("blobs/sha256")).empty());

  auto too_long = store->push_blob(claimed, bytes_opener("the real bytes and more"));
  ASSERT_FALSE(too_long);
  EXPECT_TRUE(files_in(dir.str("blobs/sha256")).empty());

  auto doc = make_manifest("layer");
  auto forged = doc.descriptor;
  forged.digest = describe_bytes("", "something else").digest;
  auto refused = store->push_manifest(forged, doc.bytes, "latest");
  ASSERT_FALSE(refused);
  EXPECT_TRUE(files_in(dir.str("blobs/sha256")).empty());
  EXPECT_EQ(index_of(dir)["manifests"].size(), 0u);
}

TEST(LayoutStore, TamperedBlobIsDetectedOnRead) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto blob = describe_bytes("application/octet-stream", "original content");
  ASSERT_TRUE(store->push_blob(blob, bytes_opener("original content")));
  spit(dir.str("blobs/sha256/" + blob.digest.hex), "tampered content");
  auto stream = store->open_blob(blob);
  ASSERT_TRUE(stream);
  auto read = read_all(**stream, 1024);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("digest"), std::string::npos) << read.error().message;
  EXPECT_NE(read.error().message.find(blob.digest.str()), std::string::npos) << read.error().message;

  auto doc = make_manifest("layer");
  push_doc(*store, doc, "layer", "v1");
  std::string tampered = doc.bytes;
  tampered.replace(tampered.find("schemaVersion"), 13, "schemaVersioN");
  spit(dir.str("blobs/sha256/" + doc.descriptor.digest.hex), tampered);
  EXPECT_FALSE(store->find_manifest("v1"));
  EXPECT_FALSE(store->find_manifest(doc.descriptor.digest.str()));
}

TEST(LayoutStore, FindsManifestsByTagAndDigest) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto doc = make_manifest("layer one");
  push_doc(*store, doc, "layer one", "v1");

  auto by_tag = store->find_manifest("v1");
  ASSERT_TRUE(by_tag) << by_tag.error().message;
  ASSERT_TRUE(*by_tag);
  EXPECT_EQ((*by_tag)->bytes, doc.bytes);
  EXPECT_EQ((*by_tag)->descriptor.digest, doc.descriptor.digest);
  EXPECT_EQ((*by_tag)->descriptor.media_type, media::kOciManifest);

  auto by_digest = store->find_manifest(doc.descriptor.digest.str());
  ASSERT_TRUE(by_digest && *by_digest);
  EXPECT_EQ((*by_digest)->descriptor.size, doc.bytes.size());
  EXPECT_EQ((*by_digest)->descriptor.media_type, media::kOciManifest);

  auto none = store->find_manifest("v2");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto absent = store->find_manifest(describe_bytes("", "absent").digest.str());
  ASSERT_TRUE(absent);
  EXPECT_FALSE(*absent);
  EXPECT_FALSE(store->find_manifest("sha256:nothex"));

  auto index = index_of(dir);
  ASSERT_EQ(index["manifests"].size(), 1u);
  EXPECT_EQ(index["manifests"][0]["annotations"][std::string(kLayoutRefNameAnnotation)], "v1");
  EXPECT_EQ(index["manifests"][0]["digest"], doc.descriptor.digest.str());
  EXPECT_FALSE(index["manifests"][0].contains("artifactType"));  // a plain image
}

TEST(LayoutStore, RetagReplacesTheEarlierEntry) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto first = make_manifest("first");
  auto second = make_manifest("second");
  push_doc(*store, first, "first", "latest");
  push_doc(*store, first, "first", "stable");
  push_doc(*store, second, "second", "latest");
  auto latest = store->fetch_manifest("latest");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->descriptor.digest, second.descriptor.digest);
  auto stable = store->fetch_manifest("stable");
  ASSERT_TRUE(stable);
  EXPECT_EQ(stable->descriptor.digest, first.descriptor.digest);
  EXPECT_EQ(index_of(dir)["manifests"].size(), 2u);
  // Pushing the same tag again changes nothing.
  std::string before = slurp(dir.str("index.json"));
  push_doc(*store, second, "second", "latest");
  EXPECT_EQ(slurp(dir.str("index.json")), before);
}

TEST(LayoutStore, UntaggedEntriesAreListedOnceAndGiveWayToATag) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto doc = make_manifest("untagged");
  push_doc(*store, doc, "untagged");
  push_doc(*store, doc, "untagged");
  auto index = index_of(dir);
  ASSERT_EQ(index["manifests"].size(), 1u);
  EXPECT_FALSE(index["manifests"][0].contains("annotations"));
  push_doc(*store, doc, "untagged", "now-tagged");
  index = index_of(dir);
  ASSERT_EQ(index["manifests"].size(), 1u);
  EXPECT_EQ(index["manifests"][0]["annotations"][std::string(kLayoutRefNameAnnotation)], "now-tagged");
  push_doc(*store, doc, "untagged");  // already listed (tagged): no untagged duplicate
  EXPECT_EQ(index_of(dir)["manifests"].size(), 1u);
}

TEST(LayoutStore, ListsReferrersWithTheirArtifactTypesAndFilters) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto image = make_manifest("image layer");
  push_doc(*store, image, "image layer", "latest");
  auto other_image = make_manifest("other image");
  push_doc(*store, other_image, "other image", "other");

  auto sbom = make_manifest("sbom", image.descriptor, "application/spdx+json", std::string(media::kOciEmpty),
                            {{"org.opencontainers.image.created", "2024-01-01T00:00:00Z"}});
  auto legacy = make_manifest("sig", image.descriptor, "", "application/vnd.example.sig.config+json");
  auto unrelated = make_manifest("unrelated", other_image.descriptor, "application/spdx+json");
  push_doc(*store, sbom, "sbom");
  push_doc(*store, legacy, "sig", "tagged-referrer");
  push_doc(*store, unrelated, "unrelated");

  auto all = store->referrers(image.descriptor.digest);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_LT((*all)[0].digest.str(), (*all)[1].digest.str());
  for (const auto& d : *all) {
    EXPECT_EQ(d.media_type, media::kOciManifest);
    if (d.digest == sbom.descriptor.digest) {
      EXPECT_EQ(d.artifact_type, "application/spdx+json");
      EXPECT_EQ(d.annotations.at("org.opencontainers.image.created"), "2024-01-01T00:00:00Z");
      EXPECT_EQ(d.size, sbom.bytes.size());
    } else {
      EXPECT_EQ(d.digest, legacy.descriptor.digest);
      EXPECT_EQ(d.artifact_type, "application/vnd.example.sig.config+json");  // config.mediaType
    }
  }
  auto filtered = store->referrers(image.descriptor.digest, "application/spdx+json");
  ASSERT_TRUE(filtered);
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ((*filtered)[0].digest, sbom.descriptor.digest);
  auto nothing = store->referrers(sbom.descriptor.digest);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());

  // The untagged entry carries what the referrers API would list.
  auto listed = index_of(dir);
  for (const auto& e : listed["manifests"])
    if (e["digest"] == sbom.descriptor.digest.str()) {
      EXPECT_EQ(e["artifactType"], "application/spdx+json");
      EXPECT_EQ(e["annotations"]["org.opencontainers.image.created"], "2024-01-01T00:00:00Z");
    }

  // Retagging away from a referrer keeps it listed (untagged), so it stays reachable.
  push_doc(*store, image, "image layer", "tagged-referrer");
  auto after = store->referrers(image.descriptor.digest);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 2u);
}

TEST(LayoutStore, ReferrersSkipUnreadableManifestsWithAWarning) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto image = make_manifest("image");
  push_doc(*store, image, "image", "latest");
  auto good = make_manifest("good", image.descriptor, "application/example");
  push_doc(*store, good, "good");
  // A listed manifest that mentions the subject but is not a valid manifest.
  std::string broken = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","subject":")" +
                       image.descriptor.digest.str() + R"("})";
  auto broken_desc = describe_bytes(std::string(media::kOciManifest), broken);
  spit(dir.str("blobs/sha256/" + broken_desc.digest.hex), broken);
  auto index = index_of(dir);
  index["manifests"].push_back({{"mediaType", media::kOciManifest}, {"digest", broken_desc.digest.str()}, {"size", broken.size()}});
  index["manifests"].push_back({{"mediaType", media::kOciManifest}, {"digest", describe_bytes("", "gone").digest.str()}, {"size", 4}});
  spit(dir.str("index.json"), index.dump());

  log::set_quiet(true);
  int warnings = log::warning_count();
  auto found = store->referrers(image.descriptor.digest);
  log::set_quiet(false);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].digest, good.descriptor.digest);
  EXPECT_GE(log::warning_count() - warnings, 2);
}

TEST(LayoutStore, KeepsUnknownFieldsOfIndexJson) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto doc = make_manifest("kept");
  auto parsed = parse_manifest(doc.bytes, "m");
  ASSERT_TRUE(parsed);
  json index = {{"schemaVersion", 2},
                {"mediaType", media::kOciIndex},
                {"x-tool", {{"version", 3}}},
                {"manifests", json::array({{{"mediaType", media::kOciManifest},
                                            {"digest", doc.descriptor.digest.str()},
                                            {"size", doc.descriptor.size},
                                            {"x-entry", true},
                                            {"annotations", {{"org.opencontainers.image.ref.name", "old"}}}}})}};
  spit(dir.str("index.json"), index.dump());
  auto other = make_manifest("other");
  push_doc(*store, other, "other", "new");
  auto after = index_of(dir);
  EXPECT_EQ(after["x-tool"]["version"], 3);
  ASSERT_EQ(after["manifests"].size(), 2u);
  EXPECT_EQ(after["manifests"][0]["x-entry"], true);
}

TEST(LayoutStore, HostileIndexJsonIsNamedInTheError) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  std::string index_path = dir.str("index.json");
  auto expect_named = [&](const std::string& content, const std::string& field) {
    spit(index_path, content);
    auto found = store->find_manifest("latest");
    ASSERT_FALSE(found) << content.substr(0, 80);
    EXPECT_NE(found.error().message.find(index_path), std::string::npos) << found.error().message;
    EXPECT_NE(found.error().message.find(field), std::string::npos) << found.error().message;
    auto doc = make_manifest("x");
    EXPECT_FALSE(store->push_manifest(doc.descriptor, doc.bytes, "latest"));
    EXPECT_FALSE(store->referrers(doc.descriptor.digest));
  };
  expect_named("{", "not valid JSON");
  expect_named(R"({"schemaVersion":2,"manifests":{}})", "manifests");
  expect_named(R"({"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:../../etc/passwd","size":1}]})",
               "manifests[0]");
  expect_named(R"({"schemaVersion":3,"manifests":[]})", "schemaVersion");
  expect_named(std::string(kMaxDocumentBytes + 1, ' '), "limit");
  spit(index_path, R"({"schemaVersion":2,"manifests":[]})");
  EXPECT_TRUE(store->find_manifest("latest"));
}

TEST(LayoutStore, BlobPathThatIsASymlinkOrDirectoryIsAnError) {
  TempDir dir;
  auto store = must_open(dir.str("layout"));
  ASSERT_TRUE(store);
  auto blob = describe_bytes("application/octet-stream", "secret");
  spit(dir.str("outside"), "secret");
  fs::create_directories(dir.str("layout/blobs/sha256"));
  fs::create_symlink(dir.str("outside"), dir.str("layout/blobs/sha256/" + blob.digest.hex));
  auto has = store->has_blob(blob);
  ASSERT_FALSE(has);
  EXPECT_NE(has.error().message.find("symbolic link"), std::string::npos) << has.error().message;
  EXPECT_FALSE(store->open_blob(blob));
  EXPECT_FALSE(store->find_manifest(blob.digest.str()));
  EXPECT_FALSE(store->push_blob(blob, bytes_opener("secret")));
  EXPECT_EQ(slurp(dir.str("outside")), "secret");

  auto other = describe_bytes("application/octet-stream", "dir");
  fs::create_directories(dir.str("layout/blobs/sha256/" + other.digest.hex));
  auto is_dir = store->has_blob(other);
  ASSERT_FALSE(is_dir);
  EXPECT_NE(is_dir.error().message.find("directory"), std::string::npos) << is_dir.error().message;
  EXPECT_FALSE(store->push_blob(other, bytes_opener("dir")));

  // A blobs/sha512 that leads outside the layout is never written through.
  fs::create_directories(dir.str("elsewhere"));
  fs::create_symlink(dir.str("elsewhere"), dir.str("layout/blobs/sha512"));
  Descriptor sha512 = blob;
  sha512.digest = Digest{"sha512", std::string(128, 'a')};
  EXPECT_FALSE(store->push_blob(sha512, bytes_opener("secret")));
  EXPECT_TRUE(fs::is_empty(dir.str("elsewhere")));
}

TEST(LayoutStore, PushManifestChecksItsDescriptorAndTag) {
  TempDir dir;
  auto store = must_open(dir.str());
  ASSERT_TRUE(store);
  auto doc = make_manifest("layer");
  auto wrong_type = doc.descriptor;
  wrong_type.media_type = std::string(media::kOciIndex);
  EXPECT_FALSE(store->push_manifest(wrong_type, doc.bytes, ""));
  auto bad_tag = store->push_manifest(doc.descriptor, doc.bytes, "not a tag");
  ASSERT_FALSE(bad_tag);
  EXPECT_EQ(bad_tag.error().kind, ErrorKind::Usage);
  auto not_json = describe_bytes(std::string(media::kOciManifest), "{not json");
  EXPECT_FALSE(store->push_manifest(not_json, "{not json", ""));
  EXPECT_EQ(index_of(dir)["manifests"].size(), 0u);
}

TEST(LayoutStore, TagGrammar) {
  for (const char* ok : {"latest", "v1.0", "sha256-abc.sig", "docker.io/library/alpine:3.18", "a--b", "1_2+3@4"})
    EXPECT_TRUE(valid_layout_tag(ok)) << ok;
  for (const char* bad : {"", "-x", "x-", "a//b", "/a", "a/", "a b", "a---b", "a\nb", "ü"}) EXPECT_FALSE(valid_layout_tag(bad)) << bad;
}

TEST(LayoutStore, ConcurrentProcessesPushingReferrersLoseNone) {
  TempDir dir;
  {
    auto store = must_open(dir.str());
    ASSERT_TRUE(store);
  }
  auto image = make_manifest("shared image");
  {
    auto store = must_open(dir.str(), false);
    push_doc(*store, image, "shared image", "latest");
  }
  constexpr int kWriters = 8;
  std::vector<pid_t> children;
  for (int i = 0; i < kWriters; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Each child opens the layout itself and pushes its own referrer.
      auto store = open_layout_store(dir.str(), true);
      if (!store) ::_exit(2);
      std::string layer = "referrer " + std::to_string(i);
      auto doc = make_manifest(layer, image.descriptor, "application/vnd.test." + std::to_string(i));
      auto parsed = parse_manifest(doc.bytes, "m");
      if (!parsed || !(*store)->push_blob(parsed->config, bytes_opener(kEmptyConfig)) ||
          !(*store)->push_blob(parsed->layers[0], bytes_opener(layer)) ||
          !(*store)->push_manifest(doc.descriptor, doc.bytes, i % 2 ? "" : "ref-" + std::to_string(i)))
        ::_exit(1);
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer exited with status " << status;
  }
  auto store = must_open(dir.str(), false);
  auto found = store->referrers(image.descriptor.digest);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), static_cast<std::size_t>(kWriters));
  EXPECT_EQ(index_of(dir)["manifests"].size(), static_cast<std::size_t>(kWriters + 1));
  for (const auto& name : files_in(dir.str("blobs/sha256"))) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

TEST(LayoutStore, ConcurrentThreadsPushingReferrersLoseNone) {
  TempDir dir;
  auto image = make_manifest("threaded image");
  {
    auto store = must_open(dir.str());
    ASSERT_TRUE(store);
    push_doc(*store, image, "threaded image", "latest");
  }
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      auto store = open_layout_store(dir.str(), false);
      if (!store) return;
      std::string layer = "thread " + std::to_string(i);
      auto doc = make_manifest(layer, image.descriptor, "application/vnd.thread");
      auto parsed = parse_manifest(doc.bytes, "m");
      ok[i] = parsed && (*store)->push_blob(parsed->config, bytes_opener(kEmptyConfig)) &&
              (*store)->push_blob(parsed->layers[0], bytes_opener(layer)) &&
              (*store)->push_manifest(doc.descriptor, doc.bytes, "");
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(ok[i]) << i;
  auto store = must_open(dir.str(), false);
  auto found = store->referrers(image.descriptor.digest, "application/vnd.thread");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->size(), 8u);
}

TEST(LayoutIndex, UpdatedIndexIsPureAndKeepsOrder) {
  auto a = describe_bytes(std::string(media::kOciManifest), "a");
  auto b = describe_bytes(std::string(media::kOciManifest), "b");
  std::string empty = R"({"schemaVersion":2,"manifests":[]})";
  auto never = [](const Descriptor&) { return false; };
  auto with_a = updated_layout_index(empty, "index.json", a, "", never);
  ASSERT_TRUE(with_a && *with_a);
  EXPECT_FALSE(*updated_layout_index(**with_a, "index.json", a, "", never));  // no change
  Descriptor tagged_b = b;
  tagged_b.annotations[std::string(kLayoutRefNameAnnotation)] = "t";
  auto with_b = updated_layout_index(**with_a, "index.json", tagged_b, "t", never);
  ASSERT_TRUE(with_b && *with_b);
  auto parsed = parse_layout_index(**with_b, "index.json");
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->manifests.size(), 2u);
  EXPECT_EQ(parsed->manifests[0].digest, a.digest);
  EXPECT_EQ(parsed->manifests[1].digest, b.digest);
  EXPECT_FALSE(updated_layout_index("[]", "index.json", a, "", never));
}

}  // namespace
}  // namespace cairn::oci
