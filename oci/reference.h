#pragma once
// Image references as docker, cosign and skopeo read them:
//   [HOST[:PORT]/]NAME[:TAG][@DIGEST]
// A first component is a registry host when it has a '.' or ':' or is "localhost";
// otherwise the image is on Docker Hub, and one-component names get "library/".
#include <string>
#include <string_view>

#include "core/error.h"

namespace cairn::oci {

struct ImageReference {
  std::string registry;    // "docker.io", "ghcr.io", "127.0.0.1:5000"
  std::string repository;  // "library/alpine", "org/app"
  std::string tag;         // may be empty when digest is set
  std::string digest;      // "sha256:…" or empty

  // Fails with a usage error naming the part that is wrong. A reference with neither
  // tag nor digest gets the tag "latest".
  static Result<ImageReference> parse(std::string_view text);

  // The host the API lives on: Docker Hub's API is registry-1.docker.io.
  std::string api_host() const;
  // "registry/repository:tag@digest", normalised (what cosign signs as docker-reference).
  std::string str() const;
  std::string repository_name() const { return registry + "/" + repository; }
  // The tag if there is one, else the digest: what a manifest GET names.
  std::string reference() const { return digest.empty() ? tag : digest; }
  ImageReference with_digest(std::string d) const;
  ImageReference with_tag(std::string t) const;
};

}  // namespace cairn::oci
