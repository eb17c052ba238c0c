#!/usr/bin/env bash
# Installs every build and test dependency of cairn on Debian 12. Idempotent:
# packages already present are left alone, so a second run is quick.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  libssl-dev libsodium-dev libcpp-httplib-dev nlohmann-json3-dev
  libarchive-dev libcli11-dev libsqlite3-dev libzstd-dev zlib1g-dev
  googletest libgtest-dev
  # sanitizer build and libFuzzer targets
  clang libclang-rt-14-dev
  # tests: real images, registry and rpm databases
  rpm docker-registry umoci skopeo debootstrap python3 python3-jsonschema
  python3-cryptography python3-nacl jq gzip zstd tar
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
