#include "core/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace cairn {

namespace {
bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

Result<Digest> Digest::parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return input_error("digest \"" + std::string(text.substr(0, 100)) +
                       "\" has no algorithm prefix; expected \"sha256:<64 hex digits>\"");
  }
  Digest d{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  std::size_t want = 0;
  if (d.algorithm == "sha256") want = 64;
  else if (d.algorithm == "sha512") want = 128;
  else
    return input_error("digest algorithm \"" + d.algorithm.substr(0, 32) +
                       "\" is not supported; expected sha256 or sha512");
  if (d.hex.size() != want || !is_lower_hex(d.hex)) {
    return input_error("digest \"" + std::string(text.substr(0, 200)) + "\" is malformed; expected " +
                       d.algorithm + ": followed by " + std::to_string(want) + " lowercase hex digits");
  }
  return d;
}

struct Hasher::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(Algorithm algorithm) : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  const EVP_MD* md = algorithm == Algorithm::Sha1     ? EVP_sha1()
                     : algorithm == Algorithm::Sha512 ? EVP_sha512()
                                                      : EVP_sha256();
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx, md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL digest initialisation failed");
  }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

Result<Hasher> Hasher::for_digest(const Digest& digest) {
  if (digest.algorithm == "sha256") return Hasher(Algorithm::Sha256);
  if (digest.algorithm == "sha512") return Hasher(Algorithm::Sha512);
  return input_error("unsupported digest algorithm " + digest.algorithm);
}

void Hasher::update(const void* data, std::size_t size) {
  if (size) EVP_DigestUpdate(state_->ctx, data, size);
}

std::string Hasher::hex_digest() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, out, &len);
  return to_hex(out, len);
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Hasher h(Hasher::Algorithm::Sha256);
  h.update(data);
  return h.hex_digest();
}

std::string sha1_hex(std::string_view data) {
  Hasher h(Hasher::Algorithm::Sha1);
  h.update(data);
  return h.hex_digest();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cairn
