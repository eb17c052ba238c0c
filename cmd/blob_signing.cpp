// `cairn sign-blob` and `cairn verify-blob`: key signatures over files, as a Sigstore
// bundle v0.3 (messageSignature, public-key hint, no log entry) and/or cosign's
// --output-signature form (the base64 of the signature).
//
// sign-blob holds the file in memory (at most attest::kMaxWholeMessageBytes): a Signer
// signs a message, not a digest. verify-blob streams the file and checks the signature
// over its digest, except for Ed25519 keys, whose signatures cover the whole message.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "attest/blob_verification.h"
#include "attest/key_files.h"
#include "attest/signer.h"
#include "attest/sigstore_bundle.h"
#include "cmd/commands.h"
#include "cmd/key_password.h"
#include "core/base64.h"
#include "core/stream.h"

namespace cairn::cmd {

namespace {

namespace fs = std::filesystem;

// A cosign signature file holds base64 of at most a few hundred bytes (RSA-4096: 512).
constexpr std::size_t kMaxSignatureFileBytes = 64 << 10;

Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes) {
  auto stream = FileRangeStream::open(path, 0, UINT64_MAX, path);
  if (!stream) return std::unexpected(stream.error());
  return read_all(**stream, max_bytes);
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec) && !ec;
}

// Written to a temp file in the same directory, then renamed over the target, so a
// failure never leaves half a file.
Status write_atomically(const std::string& path, const std::string& data) {
  std::string tmp = path + ".cairn-tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return input_error("cannot write " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return input_error("cannot write " + path + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return input_error("cannot write " + path + ": " + why);
  }
  return {};
}

struct SignBlobFlags {
  std::string file, key, bundle, signature;
};

Status sign_blob(const SignBlobFlags& flags) {
  if (flags.bundle.empty() && flags.signature.empty()) return usage_error("give --bundle OUT, --output-signature OUT, or both");
  for (const std::string* out : {&flags.bundle, &flags.signature}) {
    if (out->empty()) continue;
    for (const std::string* in : {&flags.file, &flags.key})
      if (same_file(*out, *in)) return usage_error("the output " + *out + " is an input (" + *in + "); choose another path");
  }
  if (!flags.bundle.empty() && !flags.signature.empty() && same_file(flags.bundle, flags.signature))
    return usage_error("--bundle and --output-signature name the same file");

  auto key = load_signing_key(flags.key);
  if (!key) return std::unexpected(key.error());
  attest::KeySigner signer(std::move(*key));
  attest::HashAlgorithm digest_algorithm = attest::message_digest_algorithm(signer.public_key().algorithm());

  auto stream = FileRangeStream::open(flags.file, 0, UINT64_MAX, flags.file);
  if (!stream) return std::unexpected(stream.error());
  auto artifact = attest::read_artifact(**stream, {digest_algorithm}, /*keep_bytes=*/true);
  if (!artifact) return std::unexpected(artifact.error());
  auto signature = signer.sign(*artifact->bytes);
  if (!signature) return std::unexpected(signature.error());

  if (!flags.bundle.empty()) {
    auto bundle = attest::key_message_bundle(signer.public_key(), digest_algorithm, artifact->digests.at(digest_algorithm), *signature);
    auto text = attest::write_bundle(bundle);
    if (!text) return std::unexpected(text.error());
    if (auto written = write_atomically(flags.bundle, *text); !written) return written;
    std::fprintf(stderr, "Wrote bundle to %s\n", flags.bundle.c_str());
  }
  if (!flags.signature.empty()) {
    if (auto written = write_atomically(flags.signature, base64_encode(*signature)); !written) return written;
    std::fprintf(stderr, "Wrote signature to %s\n", flags.signature.c_str());
  }
  return {};
}

struct VerifyBlobFlags {
  std::string file, key, bundle, signature;
};

Status verify_blob(const VerifyBlobFlags& flags) {
  auto key = attest::load_public_key(flags.key);
  if (!key) return std::unexpected(key.error());
  std::vector<attest::HashAlgorithm> algorithms;
  if (auto hash = attest::signature_hash(key->algorithm())) algorithms.push_back(*hash);
  bool keep_bytes = key->algorithm() == attest::KeyAlgorithm::Ed25519;

  std::optional<attest::Bundle> bundle;
  std::string signature;
  if (!flags.bundle.empty()) {
    auto text = read_small_file(flags.bundle, attest::kMaxBundleBytes);
    if (!text) return std::unexpected(text.error());
    auto parsed = attest::parse_bundle(*text, flags.bundle);
    if (!parsed) return std::unexpected(parsed.error());
    if (parsed->message_signature && parsed->message_signature->message_digest)
      algorithms.push_back(parsed->message_signature->message_digest->algorithm);
    bundle = std::move(*parsed);
  } else {
    auto text = read_small_file(flags.signature, kMaxSignatureFileBytes);
    if (!text) return std::unexpected(text.error());
    std::string_view trimmed(*text);
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.remove_suffix(1);
    auto decoded = base64_decode(trimmed);
    if (!decoded) return input_error(flags.signature + ": not a base64 signature (" + decoded.error().message + ")");
    signature = std::move(*decoded);
  }

  auto stream = FileRangeStream::open(flags.file, 0, UINT64_MAX, flags.file);
  if (!stream) return std::unexpected(stream.error());
  auto artifact = attest::read_artifact(**stream, algorithms, keep_bytes);
  if (!artifact) return std::unexpected(artifact.error());
  if (bundle) return attest::verify_bundle_with_key(*bundle, *artifact, *key, flags.bundle);
  if (auto checked = attest::verify_artifact_signature(*key, *artifact, signature); !checked)
    return std::unexpected(checked.error().context(flags.signature));
  return {};
}

}  // namespace

Action register_sign_blob(CLI::App& app) {
  auto flags = std::make_shared<SignBlobFlags>();
  auto* cmd = app.add_subcommand("sign-blob", "Sign a file with a key: a Sigstore bundle and/or a base64 signature (cosign's forms)");
  cmd->add_option("FILE", flags->file, "The file to sign")->required();
  cmd->add_option("--key", flags->key, "Private key: cosign's encrypted format, PKCS#8, SEC1 or PKCS#1 PEM")->required();
  cmd->add_option("--bundle", flags->bundle, "Write a Sigstore bundle v0.3 here");
  cmd->add_option("--output-signature", flags->signature, "Write the signature here, base64 (as cosign does)");
  return [flags] {
    auto done = sign_blob(*flags);
    return done ? 0 : report_error(done.error());
  };
}

Action register_verify_blob(CLI::App& app) {
  auto flags = std::make_shared<VerifyBlobFlags>();
  auto* cmd = app.add_subcommand("verify-blob", "Verify a file's key signature: a Sigstore bundle or a base64 signature");
  cmd->add_option("FILE", flags->file, "The signed file")->required();
  cmd->add_option("--key", flags->key, "Public key (PKIX PEM) or a certificate holding it")->required();
  auto* bundle = cmd->add_option("--bundle", flags->bundle, "A Sigstore bundle (v0.1 to v0.3) with a message signature");
  auto* signature = cmd->add_option("--signature", flags->signature, "A file holding the base64 signature (cosign's --output-signature)");
  bundle->excludes(signature);
  signature->excludes(bundle);
  cmd->callback([cmd] {
    if (cmd->count("--bundle") + cmd->count("--signature") != 1) throw CLI::RequiredError("--bundle or --signature");
  });
  return [flags] {
    auto done = verify_blob(*flags);
    if (!done) return report_error(done.error());
    std::fprintf(stderr, "Verified OK\n");
    return 0;
  };
}

}  // namespace cairn::cmd
