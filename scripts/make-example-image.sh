#!/usr/bin/env bash
# Assembles the bundled example image, an OCI image layout with two gzip layers, from
# the files in examples/debian-mini (no network, no container engine). The layout is
# reproducible: the same files give the same digests.
#   scripts/make-example-image.sh OUT_DIR     → OUT_DIR is an OCI layout, tag "latest"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$here/examples/debian-mini
out=${1:?usage: make-example-image.sh OUT_DIR}
rm -rf "$out"
mkdir -p "$out/blobs/sha256"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

put_blob() {  # FILE → prints its digest after storing it under blobs/
  local hex
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$out/blobs/sha256/$hex"
  echo "$hex"
}

layers_json="" diff_ids=""
for layer in layer1 layer2; do
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
      -C "$src/$layer" -cf "$work/$layer.tar" .
  diff=$(sha256sum "$work/$layer.tar" | cut -d' ' -f1)
  gzip -n -9 -c "$work/$layer.tar" > "$work/$layer.tar.gz"
  hex=$(put_blob "$work/$layer.tar.gz")
  size=$(stat -c %s "$work/$layer.tar.gz")
  layers_json+="${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$hex\",\"size\":$size}"
  diff_ids+="${diff_ids:+,}\"sha256:$diff\""
done

printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[{"created_by":"examples/debian-mini/layer1"},{"created_by":"examples/debian-mini/layer2"}]}' \
  "$diff_ids" > "$work/config.json"
config_hex=$(put_blob "$work/config.json")
config_size=$(stat -c %s "$work/config.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$config_hex" "$config_size" "$layers_json" > "$work/manifest.json"
manifest_hex=$(put_blob "$work/manifest.json")
manifest_size=$(stat -c %s "$work/manifest.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' \
  "$manifest_hex" "$manifest_size" > "$out/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
echo "$out: OCI layout, manifest sha256:$manifest_hex" >&2
