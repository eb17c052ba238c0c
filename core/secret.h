#pragma once
// A string that holds a secret (a password, private key bytes): its bytes are cleared
// when it is destroyed or moved from, so they do not linger in freed memory.
#include <openssl/crypto.h>

#include <string>
#include <string_view>

namespace cairn {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const char* data, std::size_t size) : value_(data, size) {}
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  // Copies, then clears the source: moving a short std::string leaves its bytes behind.
  SecretString(SecretString&& other) noexcept : value_(other.value_) { other.clear(); }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      clear();
      value_ = other.value_;
      other.clear();
    }
    return *this;
  }
  ~SecretString() { clear(); }

  std::string_view view() const { return value_; }
  const char* data() const { return value_.data(); }
  std::size_t size() const { return value_.size(); }
  bool empty() const { return value_.empty(); }
  std::string& mutable_value() { return value_; }  // to fill in place; cleared all the same

  void clear() {
    OPENSSL_cleanse(value_.data(), value_.capacity());
    value_.clear();
  }

 private:
  std::string value_;
};

}  // namespace cairn
