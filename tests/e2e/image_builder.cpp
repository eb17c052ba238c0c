#include "tests/e2e/image_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/digest.h"
#include "tests/unit/tar_builder.h"

namespace cairn::e2e {

namespace {

la_ssize_t append_to_string(archive*, void* self, const void* buf, size_t n) {
  static_cast<std::string*>(self)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

std::string descriptor(const char* media_type, const std::string& bytes) {
  return std::string("{\"mediaType\":\"") + media_type + "\",\"digest\":\"sha256:" + sha256_hex(bytes) +
         "\",\"size\":" + std::to_string(bytes.size()) + "}";
}

std::string put_blob(const fs::path& layout, const std::string& bytes) {
  std::string hex = sha256_hex(bytes);
  write_file(blob_path(layout, hex), bytes);
  return hex;
}

std::string config_json(const std::vector<Layer>& layers, const std::vector<std::string>& diff_id_override) {
  std::string ids;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string id = diff_id_override.empty() ? layers[i].diff_id : diff_id_override.at(i);
    ids += (i ? "," : "") + ("\"" + id + "\"");
  }
  return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}";
}

}  // namespace

Layer tar_layer(const std::string& tar) { return {tar, kTarLayerType, "sha256:" + sha256_hex(tar)}; }

Layer gzip_layer(const std::string& tar) { return {gzip(tar), kGzipLayerType, "sha256:" + sha256_hex(tar)}; }

std::string gzip(const std::string& bytes) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, &append_to_string, nullptr);
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "data");
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
  archive_write_header(a, e);
  archive_write_data(a, bytes.data(), bytes.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string tar_with_sparse_files(const std::vector<std::pair<std::string, std::uint64_t>>& sparse,
                                  const std::vector<std::pair<std::string, std::string>>& files) {
  constexpr std::uint64_t kTail = 4096;
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax(a);  // pax writes GNU sparse 1.0 maps
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, &append_to_string, nullptr);
  const std::string zeros(16u << 20, '\0');
  const std::string tail(kTail, 'x');
  for (const auto& [path, size] : sparse) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_entry_sparse_add_entry(e, static_cast<la_int64_t>(size - kTail), static_cast<la_int64_t>(kTail));
    archive_write_header(a, e);
    // The writer skips what falls in holes without storing it, so zeros cost no space.
    for (std::uint64_t done = 0; done < size - kTail;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(zeros.size(), size - kTail - done));
      archive_write_data(a, zeros.data(), n);
      done += n;
    }
    archive_write_data(a, tail.data(), tail.size());
    archive_entry_free(e);
  }
  for (const auto& [path, content] : files) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string dpkg_stanza(const std::string& name, const std::string& version, const std::string& extra) {
  return "Package: " + name + "\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: " + version +
         "\n" + extra + "Description: " + name + " for tests\n\n";
}

fs::path blob_path(const fs::path& layout, const std::string& hex) { return layout / "blobs" / "sha256" / hex; }

WrittenImage write_oci_layout(const fs::path& dir, const std::vector<Layer>& layers, const ImageOptions& options) {
  WrittenImage img;
  write_file(dir / "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  std::string layer_descriptors;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    img.layer_hex.push_back(put_blob(dir, layers[i].blob));
    layer_descriptors += (i ? "," : "") + descriptor(layers[i].media_type.c_str(), layers[i].blob);
  }
  img.config_json = config_json(layers, options.diff_ids);
  img.config_hex = put_blob(dir, img.config_json);
  // The annotation gives tests a same-length value to tamper with.
  img.manifest_json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":" +
                      descriptor("application/vnd.oci.image.config.v1+json", img.config_json) + ",\"layers\":[" +
                      layer_descriptors + "],\"annotations\":{\"org.example.note\":\"original\"}}";
  img.manifest_hex = put_blob(dir, img.manifest_json);
  write_index(dir, img.manifest_hex, img.manifest_json.size(), options.tag);
  return img;
}

void write_index(const fs::path& dir, const std::string& manifest_hex, std::uint64_t size, const std::string& tag) {
  write_file(dir / "index.json",
             "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
             "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" +
                 manifest_hex + "\",\"size\":" + std::to_string(size) +
                 ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
}

std::string docker_archive(const std::vector<Layer>& layers, const std::vector<std::string>& listed_layers) {
  cairn::testing::TarBuilder tar;
  std::string config = config_json(layers, {});
  std::string config_name = sha256_hex(config) + ".json";
  std::string names;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string path = std::to_string(i) + "/layer.tar";
    tar.file(path, layers[i].blob);
    std::string listed = listed_layers.empty() ? path : listed_layers.at(i);
    names += (i ? "," : "") + ("\"" + listed + "\"");
  }
  tar.file(config_name, config);
  tar.file("manifest.json",
           "[{\"Config\":\"" + config_name + "\",\"RepoTags\":[\"example/hostile:latest\"],\"Layers\":[" + names + "]}]");
  return tar.finish();
}

std::string tar_directory(const fs::path& dir) {
  cairn::testing::TarBuilder tar;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) tar.file(f.lexically_relative(dir).generic_string(), read_file(f));
  return tar.finish();
}

}  // namespace cairn::e2e
