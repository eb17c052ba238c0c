#pragma once
// Digests in the OCI form "algorithm:hex" and a streaming SHA-256/SHA-1/SHA-512 hasher.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn {

// A validated OCI digest. Only sha256 and sha512 are accepted: they are the algorithms
// the image spec registers; anything else is refused rather than left unchecked.
struct Digest {
  std::string algorithm;  // "sha256" or "sha512"
  std::string hex;        // lowercase, full length for the algorithm

  static Result<Digest> parse(std::string_view text);
  std::string str() const { return algorithm + ":" + hex; }
  bool operator==(const Digest&) const = default;
  auto operator<=>(const Digest&) const = default;
};

class Hasher {
 public:
  enum class Algorithm { Sha1, Sha256, Sha512 };
  explicit Hasher(Algorithm algorithm = Algorithm::Sha256);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  static Result<Hasher> for_digest(const Digest& digest);

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  std::string hex_digest();  // finalizes; the hasher must not be updated afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string to_hex(const unsigned char* data, std::size_t size);

// Constant-time equality for secrets and digests.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace cairn
