#pragma once
// Builds tar streams in memory with libarchive's writer, for layer and archive tests.
#include <archive.h>
#include <archive_entry.h>

#include <string>

namespace cairn::testing {

class TarBuilder {
 public:
  enum class Compression { None, Gzip, Zstd };
  explicit TarBuilder(Compression c = Compression::None) : a_(archive_write_new()) {
    archive_write_set_format_pax_restricted(a_);
    if (c == Compression::Gzip) archive_write_add_filter_gzip(a_);
    if (c == Compression::Zstd) archive_write_add_filter_zstd(a_);
    archive_write_set_bytes_in_last_block(a_, 1);
    archive_write_open(a_, &out_, nullptr, &TarBuilder::write_cb, nullptr);
  }
  ~TarBuilder() {
    if (a_) archive_write_free(a_);
  }
  TarBuilder& file(const std::string& path, const std::string& content) {
    return add(path, AE_IFREG, content, "", "");
  }
  TarBuilder& dir(const std::string& path) { return add(path, AE_IFDIR, "", "", ""); }
  TarBuilder& symlink(const std::string& path, const std::string& target) { return add(path, AE_IFLNK, "", target, ""); }
  TarBuilder& hardlink(const std::string& path, const std::string& target) { return add(path, AE_IFREG, "", "", target); }
  std::string finish() {
    archive_write_close(a_);
    archive_write_free(a_);
    a_ = nullptr;
    return out_;
  }

 private:
  TarBuilder& add(const std::string& path, unsigned type, const std::string& content, const std::string& symlink,
                  const std::string& hardlink) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    if (!symlink.empty()) archive_entry_set_symlink(e, symlink.c_str());
    if (!hardlink.empty()) {
      archive_entry_set_hardlink(e, hardlink.c_str());
      archive_entry_set_size(e, 0);
    }
    archive_write_header(a_, e);
    if (!content.empty()) archive_write_data(a_, content.data(), content.size());
    archive_entry_free(e);
    return *this;
  }
  static la_ssize_t write_cb(archive*, void* self, const void* buf, size_t n) {
    static_cast<std::string*>(self)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  }
  archive* a_;
  std::string out_;
};

}  // namespace cairn::testing
