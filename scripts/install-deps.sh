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
  # libFuzzer targets: clang 16 (clang 14 cannot compile libstdc++'s std::expected)
  clang-16 libclang-rt-16-dev
  # tests: real images, registry and rpm databases
  rpm docker-registry umoci skopeo debootstrap python3 python3-jsonschema
  python3-cryptography python3-nacl jq gzip zstd tar gnupg
  # tests: real Go and Rust binaries built offline for the Go and cargo-auditable catalogers
  golang-go cargo
  # tests: a static busybox whose version the binary classifier must read
  busybox-static
  # tests: registries with htpasswd auth, raw HTTP checks, the token server (ES256 JWTs)
  apache2-utils curl openssl
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

# node and npm: tests/e2e run ../shared/tools/validate-sbom, and the SPDX license data
# below comes from npm. Keep a node that is already there (it may not be Debian's).
if ! command -v npm >/dev/null 2>&1; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm
fi

# The SPDX license and exception id lists, pinned by scripts/spdx-license-data/
# package-lock.json. cmake/SpdxLicenseList.cmake turns them into a generated header at
# configure time and finds them in the same directory (CAIRN_SPDX_DATA_DIR overrides it).
# Reinstalled only when the lock file changes; after that the build needs no network.
spdx_src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/spdx-license-data"
spdx_dir="${CAIRN_SPDX_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn/spdx-license-data}"
spdx_stamp="$(sha256sum "$spdx_src/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$spdx_dir/.installed" 2>/dev/null || true)" != "$spdx_stamp" ]; then
  mkdir -p "$(dirname "$spdx_dir")"
  spdx_tmp="$(mktemp -d "$spdx_dir.tmp.XXXXXX")"
  cp "$spdx_src/package.json" "$spdx_src/package-lock.json" "$spdx_tmp/"
  (cd "$spdx_tmp" && npm ci --prefer-offline --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$spdx_stamp" >"$spdx_tmp/.installed"
  rm -rf "$spdx_dir"
  mv -T "$spdx_tmp" "$spdx_dir"
fi
