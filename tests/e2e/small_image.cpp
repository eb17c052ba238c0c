#include "tests/e2e/small_image.h"

#include <nlohmann/json.hpp>
#include <random>

#include "core/digest.h"
#include "tests/e2e/e2e_support.h"
#include "tests/unit/tar_builder.h"

namespace cairn::e2e {

namespace {

std::string put_blob(const fs::path& layout, const std::string& bytes) {
  std::string hex = sha256_hex(bytes);
  write_file(layout / "blobs" / "sha256" / hex, bytes);
  return "sha256:" + hex;
}

}  // namespace

SmallImage make_small_image(const fs::path& dir, const std::string& tag, std::size_t big_file_bytes, unsigned seed) {
  fs::create_directories(dir / "blobs" / "sha256");
  testing::TarBuilder tar(big_file_bytes ? testing::TarBuilder::Compression::None : testing::TarBuilder::Compression::Gzip);
  tar.file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
  tar.file("var/lib/dpkg/status",
           "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\n"
           "Package: small-tool\nStatus: install ok installed\nVersion: 1.0-" + std::to_string(seed) + "\nArchitecture: amd64\n\n");
  if (big_file_bytes) {
    std::string data(big_file_bytes, '\0');
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i + 8 <= data.size(); i += 8) {
      auto v = rng();
      std::memcpy(data.data() + i, &v, 8);
    }
    tar.file("data/blob.bin", data);
  }
  std::string layer = tar.finish();
  // diff_id: the uncompressed tar; for the gzip layer, recompute from a plain copy.
  std::string diff_id;
  if (big_file_bytes) {
    diff_id = "sha256:" + sha256_hex(layer);
  } else {
    testing::TarBuilder again(testing::TarBuilder::Compression::None);
    again.file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
    again.file("var/lib/dpkg/status",
               "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\n"
               "Package: small-tool\nStatus: install ok installed\nVersion: 1.0-" + std::to_string(seed) + "\nArchitecture: amd64\n\n");
    diff_id = "sha256:" + sha256_hex(again.finish());
  }
  SmallImage image;
  image.layout = dir;
  image.layer_digest = put_blob(dir, layer);
  image.layer_size = layer.size();
  nlohmann::json config = {{"architecture", "amd64"}, {"os", "linux"}, {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}};
  std::string config_bytes = config.dump();
  std::string config_digest = put_blob(dir, config_bytes);
  nlohmann::json manifest = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", config_digest}, {"size", config_bytes.size()}}},
      {"layers",
       {{{"mediaType", big_file_bytes ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.oci.image.layer.v1.tar+gzip"},
         {"digest", image.layer_digest},
         {"size", layer.size()}}}}};
  std::string manifest_bytes = manifest.dump();
  image.manifest_digest = put_blob(dir, manifest_bytes);
  nlohmann::json index = {{"schemaVersion", 2},
                          {"manifests",
                           {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"digest", image.manifest_digest},
                             {"size", manifest_bytes.size()},
                             {"annotations", {{"org.opencontainers.image.ref.name", tag}}}}}}};
  write_file(dir / "index.json", index.dump());
  write_file(dir / "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  return image;
}

}  // namespace cairn::e2e
