#pragma once
// Wraps a blob's stream and checks its size and digest as the bytes pass: reading past
// the expected size, or reaching the end with another digest, is an error naming the
// blob. Every blob cairn reads from a store goes through one of these.
#include <memory>
#include <string>

#include "core/digest.h"
#include "core/stream.h"
#include "oci/image_model.h"

namespace cairn::oci {

class VerifyingStream final : public ByteStream {
 public:
  // `where` names the blob in errors ("blob sha256:ab… of 127.0.0.1:5000/app").
  VerifyingStream(std::unique_ptr<ByteStream> inner, const Descriptor& expected, std::string where);
  Result<std::size_t> read(void* buffer, std::size_t size) override;
  const std::string& name() const override { return where_; }

 private:
  std::unique_ptr<ByteStream> inner_;
  Descriptor expected_;
  std::string where_;
  Hasher hasher_;
  std::uint64_t seen_ = 0;
  bool done_ = false;
};

}  // namespace cairn::oci
