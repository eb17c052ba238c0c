#include "oci/verifying_stream.h"

namespace cairn::oci {

namespace {

Hasher hasher_for(const Digest& digest) {
  auto h = Hasher::for_digest(digest);
  return h ? std::move(*h) : Hasher(Hasher::Algorithm::Sha256);  // Digest::parse admits only sha256/sha512
}

}  // namespace

VerifyingStream::VerifyingStream(std::unique_ptr<ByteStream> inner, const Descriptor& expected, std::string where)
    : inner_(std::move(inner)), expected_(expected), where_(std::move(where)), hasher_(hasher_for(expected.digest)) {}

Result<std::size_t> VerifyingStream::read(void* buffer, std::size_t size) {
  if (done_) return 0;
  auto n = inner_->read(buffer, size);
  if (!n) return std::unexpected(n.error().context(where_));
  if (*n > 0) {
    seen_ += *n;
    if (seen_ > expected_.size)
      return input_error(where_ + ": more than the " + std::to_string(expected_.size) + " bytes its descriptor gives; refusing it");
    hasher_.update(buffer, *n);
    return *n;
  }
  done_ = true;
  if (seen_ != expected_.size)
    return input_error(where_ + ": ended after " + std::to_string(seen_) + " of the " + std::to_string(expected_.size) +
                       " bytes its descriptor gives");
  auto got = expected_.digest.algorithm + ":" + hasher_.hex_digest();
  if (got != expected_.digest.str())
    return input_error(where_ + ": content has digest " + got + ", not " + expected_.digest.str() +
                       "; the store returned other bytes than were asked for");
  return 0;
}

}  // namespace cairn::oci
