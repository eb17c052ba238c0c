#include "attest/key_files.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "attest/cosign_key.h"
#include "core/base64.h"
#include "core/stream.h"

namespace cairn::attest {

namespace {

constexpr std::size_t kMaxKeyFileBytes = 1 << 20;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

// The label of the first PEM block, and its base64 body with whitespace removed.
struct PemBlock {
  std::string label;
  std::string body;
};

std::optional<PemBlock> first_pem_block(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN ", kDashes = "-----";
  auto begin = text.find(kBegin);
  if (begin == std::string_view::npos) return std::nullopt;
  auto label_start = begin + kBegin.size();
  auto label_end = text.find(kDashes, label_start);
  if (label_end == std::string_view::npos) return std::nullopt;
  PemBlock block{std::string(text.substr(label_start, label_end - label_start)), ""};
  std::string end_line = "-----END " + block.label + "-----";
  auto body_start = label_end + kDashes.size();
  auto end = text.find(end_line, body_start);
  if (end == std::string_view::npos) return block;  // body stays empty: truncated
  for (char c : text.substr(body_start, end - body_start))
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') block.body += c;
  return block;
}

Result<std::string> read_key_file(const std::string& path) {
  auto stream = FileRangeStream::open(path, 0, UINT64_MAX, path);
  if (!stream) return std::unexpected(stream.error());
  auto text = read_all(**stream, kMaxKeyFileBytes);
  if (!text) return std::unexpected(text.error().context(path));
  return text;
}

// OpenSSL asks for the password only if the PEM block is encrypted.
struct PasswordCallbackState {
  const PasswordSource* source;
  bool asked = false;
  std::optional<Error> failure;
};

int password_callback(char* buf, int size, int /*rwflag*/, void* user) {
  auto* state = static_cast<PasswordCallbackState*>(user);
  state->asked = true;
  if (!*state->source) {
    state->failure = Error{ErrorKind::Usage, "the key is encrypted, and no password source was given"};
    return -1;
  }
  auto password = (*state->source)();
  if (!password) {
    state->failure = password.error();
    return -1;
  }
  if (password->size() > static_cast<std::size_t>(size)) {
    state->failure = Error{ErrorKind::Usage, "the password is longer than OpenSSL accepts (" + std::to_string(size) + " bytes)"};
    return -1;
  }
  std::memcpy(buf, password->data(), password->size());
  return static_cast<int>(password->size());
}

Status write_new_file(const std::string& path, std::string_view content, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return usage_error(path + " already exists; cairn never overwrites a key file (remove it or choose another --output-key-prefix)");
    return input_error("cannot create " + path + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return input_error("writing " + path + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return input_error("writing " + path + ": " + std::strerror(err));
  }
  return {};
}

}  // namespace

std::string pem_encode(std::string_view label, std::string_view der) {
  std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

Result<PrivateKey> parse_private_key(std::string_view pem, const PasswordSource& password, const std::string& where) {
  auto block = first_pem_block(pem);
  if (!block) return input_error(where + ": no PEM block (expected a private key such as cosign.key)");
  if (block->label == "PUBLIC KEY" || block->label == "CERTIFICATE")
    return usage_error(where + ": holds a " + block->label + ", not a private key; signing needs the private key (e.g. cosign.key)");
  if (block->body.empty()) return input_error(where + ": the " + block->label + " block is empty or has no END line (truncated?)");
  if (block->label == kSigstoreKeyLabel || block->label == kCosignKeyLabel) {
    auto json = base64_decode(block->body);
    if (!json) return std::unexpected(json.error().context(where + ": " + block->label));
    if (!password) return usage_error(where + ": the key is encrypted, and no password source was given");
    auto secret = password();
    if (!secret) return std::unexpected(secret.error());
    auto der = decrypt_cosign_key(*json, secret->view(), where);
    if (!der) return std::unexpected(der.error());
    return PrivateKey::from_pkcs8_der(der->view(), where);
  }
  static constexpr std::string_view kOpenSslLabels[] = {"PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"};
  bool known = false;
  for (auto label : kOpenSslLabels) known = known || block->label == label;
  if (!known)
    return input_error(where + ": a \"" + block->label +
                       "\" PEM block is not a private key cairn reads (cosign's ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY, "
                       "PKCS#8 PRIVATE KEY or ENCRYPTED PRIVATE KEY, EC PRIVATE KEY, RSA PRIVATE KEY)");
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PasswordCallbackState state{&password};
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &state);
  if (!key) {
    std::string detail = openssl_error_text();
    if (state.failure) return std::unexpected(*state.failure);
    if (state.asked) return input_error(where + ": wrong password, or the key file is corrupted (" + detail + ")");
    return input_error(where + ": unreadable " + block->label + " (" + detail + ")");
  }
  return PrivateKey::from_evp(key, where);
}

Result<PrivateKey> load_private_key(const std::string& path, const PasswordSource& password) {
  auto text = read_key_file(path);
  if (!text) return std::unexpected(text.error());
  auto key = parse_private_key(*text, password, path);
  OPENSSL_cleanse(text->data(), text->size());
  return key;
}

Result<PublicKey> load_public_key(const std::string& path) {
  auto text = read_key_file(path);
  if (!text) return std::unexpected(text.error());
  auto block = first_pem_block(*text);
  if (block && block->label.find("PRIVATE KEY") != std::string::npos)
    return usage_error(path + ": holds a private key; give the public key (e.g. cosign.pub, or `cairn public-key --key " + path + "`)");
  return PublicKey::from_pem(*text, path);
}

Status write_key_pair(const std::string& prefix, const PrivateKey& key, std::string_view password) {
  std::string key_path = prefix + ".key", pub_path = prefix + ".pub";
  if (::access(pub_path.c_str(), F_OK) == 0)
    return usage_error(pub_path + " already exists; cairn never overwrites a key file (remove it or choose another --output-key-prefix)");
  auto der = key.pkcs8_der();
  if (!der) return std::unexpected(der.error());
  auto json = encrypt_cosign_key(der->view(), password);
  if (!json) return std::unexpected(json.error());
  SecretString pem(pem_encode(kSigstoreKeyLabel, *json));
  if (auto ok = write_new_file(key_path, pem.view(), 0600); !ok) return ok;
  if (auto ok = write_new_file(pub_path, key.public_key().pem(), 0644); !ok) {
    ::unlink(key_path.c_str());
    return ok;
  }
  return {};
}

}  // namespace cairn::attest
