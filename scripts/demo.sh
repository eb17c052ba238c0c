#!/usr/bin/env bash
# Quick start (1): installs what is needed, builds cairn, assembles the bundled example
# image (an OCI layout made from examples/debian-mini, no network) and prints its SBOM.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
"$root/scripts/make-example-image.sh" "$root/build/example-image"
"$root/build/cairn" sbom "oci-dir:$root/build/example-image:latest" -o table
"$root/build/cairn" sbom "oci-dir:$root/build/example-image:latest" -o spdx-json
