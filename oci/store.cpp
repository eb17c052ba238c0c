#include "oci/store.h"

#include "oci/verifying_stream.h"

namespace cairn::oci {

Result<FetchedManifest> Store::fetch_manifest(const std::string& reference) {
  auto found = find_manifest(reference);
  if (!found) return std::unexpected(found.error());
  if (!*found) return input_error(describe() + ": no manifest " + reference);
  return std::move(**found);
}

Result<std::unique_ptr<ByteStream>> Store::open_blob(const Descriptor& blob) {
  auto raw = open_unverified_blob(blob);
  if (!raw) return raw;
  return std::unique_ptr<ByteStream>(std::make_unique<VerifyingStream>(std::move(*raw), blob, "blob " + blob.digest.str() + " of " + describe()));
}

Result<std::string> Store::fetch_blob(const Descriptor& blob, std::size_t max_bytes) {
  if (blob.size > max_bytes)
    return input_error(describe() + ": blob " + blob.digest.str() + " is " + std::to_string(blob.size) + " bytes, more than the " +
                       std::to_string(max_bytes) + " allowed for it");
  auto stream = open_blob(blob);
  if (!stream) return std::unexpected(stream.error());
  return read_all(**stream, max_bytes);
}

Status Store::push_bytes(const Descriptor& blob, std::string bytes) {
  return push_blob(blob, [bytes = std::move(bytes), name = "blob " + blob.digest.str()]() -> Result<std::unique_ptr<ByteStream>> {
    return std::unique_ptr<ByteStream>(std::make_unique<MemoryStream>(bytes, name));
  });
}

Descriptor describe_bytes(std::string media_type, std::string_view bytes) {
  Descriptor d;
  d.media_type = std::move(media_type);
  d.digest = Digest{"sha256", sha256_hex(bytes)};
  d.size = bytes.size();
  return d;
}

}  // namespace cairn::oci
