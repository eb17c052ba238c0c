#pragma once
// cosign's legacy signature storage: the tag sha256-<hex>.sig beside the image, an OCI
// manifest whose layers are simple-signing payloads, each with its signature (and, for
// keyless, certificate and bundle) as annotations. New signatures are appended; existing
// ones are kept byte for byte.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/error.h"
#include "oci/image_model.h"
#include "oci/store.h"

namespace cairn::attest {

// More layers than this in one .sig manifest is refused rather than fetched one by one.
inline constexpr std::size_t kMaxSignatureLayers = 1000;
inline constexpr std::size_t kMaxPayloadBytes = 1 << 20;

std::string signature_tag(const Digest& image);  // "sha256-<hex>.sig"

// The .sig manifest of an image; nullopt when the image has none.
Result<std::optional<oci::Manifest>> read_signature_manifest(oci::Store& store, const Digest& image);

// Appends a layer holding `payload` with `annotations` (at least the signature) to the
// image's .sig manifest, creating it when missing. An identical layer already there is
// not added twice. Returns the new .sig manifest's digest.
Result<Digest> append_signature(oci::Store& store, const Digest& image, std::string_view payload,
                                const std::map<std::string, std::string>& annotations);

}  // namespace cairn::attest
