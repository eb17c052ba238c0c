#!/usr/bin/env bash
# bench/registry.sh: cairn's registry client against skopeo, side by side in one run, on
# the lab `app` image (4 layers) and Debian's docker-registry on 127.0.0.1:
#   pull   registry -> fresh OCI layout   cairn copy HOST/app:latest oci-dir:DIR:latest
#                                         skopeo copy docker://HOST/app:latest oci:DIR:latest
#   push   OCI layout -> empty registry   cairn copy oci-dir:LAB/app:latest HOST/app:latest
#                                         skopeo copy oci:LAB/app:latest docker://HOST/app:latest
#   sbom   cairn sbom registry:HOST/app:latest   vs   cairn sbom oci-dir:LAB/app:latest
# Targets (issue 4): pull and push at most skopeo's time; sbom from the registry at most
# 1.2 x the layout. Pushes go to a registry emptied before every run (hyperfine --prepare).
# Results go between the "registry:begin/end" markers of BENCHMARKS.md.
#
# Environment: LAB (default /tmp/cairn-lab), CAIRN (default <repo>/build/cairn), RUNS (5),
# OUT (default <repo>/BENCHMARKS.md; empty to skip writing), SHARED (default <repo>/../shared).
# A benchmark: it reports numbers and never fails on them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
LAB=$(realpath -m "${LAB:-/tmp/cairn-lab}")
CAIRN=${CAIRN:-$REPO/build/cairn}
RUNS=${RUNS:-5}
OUT=${OUT-$REPO/BENCHMARKS.md}
SHARED=${SHARED:-$REPO/../shared}
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
[ -d "$LAB/oci/app" ] || { echo "bench: no lab image at $LAB/oci/app (run $SHARED/lab/build-lab.sh)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-registry-bench.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$CAIRN" "$WORK/cairn"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() {  # start NAME -> prints host
  local port; port=$(free_port)
  pids+=("$("$SHARED/lab/start-registry.sh" "$port" "$WORK/$1")")
  echo "127.0.0.1:$port"
}
SRC=$(start source)
PUSH=$(start push)
skopeo copy -q --dest-tls-verify=false "oci:$LAB/oci/app:latest" "docker://$SRC/app:latest" >&2

# The push registry is restarted empty before each run: its storage is removed under it
# (start-registry.sh runs without the blob-descriptor cache, so that is safe).
empty_push="rm -rf $WORK/push/docker"
hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/copy.json" \
  -n "cairn pull" --prepare "rm -rf $WORK/pull-cairn" "$WORK/cairn copy $SRC/app:latest oci-dir:$WORK/pull-cairn:latest" \
  -n "skopeo pull" --prepare "rm -rf $WORK/pull-skopeo" "skopeo copy -q --src-tls-verify=false docker://$SRC/app:latest oci:$WORK/pull-skopeo:latest" \
  -n "cairn push" --prepare "$empty_push" "$WORK/cairn copy oci-dir:$LAB/oci/app:latest $PUSH/app:latest" \
  -n "skopeo push" --prepare "$empty_push" "skopeo copy -q --dest-tls-verify=false oci:$LAB/oci/app:latest docker://$PUSH/app:latest" >&2
hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/sbom.json" \
  -n "sbom registry" "$WORK/cairn sbom registry:$SRC/app:latest -o cyclonedx-json=$WORK/reg.json" \
  -n "sbom layout" "$WORK/cairn sbom oci-dir:$LAB/oci/app:latest -o cyclonedx-json=$WORK/dir.json" >&2

med() { jq --arg n "$2" '.results[] | select(.command==$n) | .median' "$WORK/$1.json"; }
# Peak RSS (KiB) of one run; GNU time writes it to a file, so the command's own output
# can be discarded without losing the measurement.
rss() { /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1; tail -1 "$WORK/rss"; }
size=$(du -sm "$LAB/oci/app" | cut -f1)
cp_pull=$(med copy "cairn pull") sk_pull=$(med copy "skopeo pull") cp_push=$(med copy "cairn push") sk_push=$(med copy "skopeo push")
s_reg=$(med sbom "sbom registry") s_dir=$(med sbom "sbom layout")
rm -rf "$WORK/rss-pull"; rss_pull=$(rss "$WORK/cairn" copy "$SRC/app:latest" "oci-dir:$WORK/rss-pull:latest")
rm -rf "$WORK/rss-pull"; rss_skopeo=$(rss skopeo copy -q --src-tls-verify=false "docker://$SRC/app:latest" "oci:$WORK/rss-pull:latest")
rss_reg=$(rss "$WORK/cairn" sbom "registry:$SRC/app:latest" -o "cyclonedx-json=$WORK/rss.json")
rss_dir=$(rss "$WORK/cairn" sbom "oci-dir:$LAB/oci/app:latest" -o "cyclonedx-json=$WORK/rss.json")
table=$(awk -v a="$cp_pull" -v b="$sk_pull" -v c="$cp_push" -v d="$sk_push" -v e="$s_reg" -v f="$s_dir" \
  -v r1="$rss_pull" -v r1p="$rss_skopeo" -v r2="$rss_reg" -v r2p="$rss_dir" 'BEGIN {
  printf "| operation | cairn | peer / floor | ratio | target |\n|---|---|---|---|---|\n";
  printf "| pull registry -> OCI layout | %.3f s (%.1f MiB RSS) | skopeo %.3f s (%.1f MiB RSS) | %.2fx | <= 1.00x |\n", a, r1/1024, b, r1p/1024, a/b;
  printf "| push OCI layout -> empty registry | %.3f s | skopeo %.3f s | %.2fx | <= 1.00x |\n", c, d, c/d;
  printf "| sbom from the registry vs from the layout | %.3f s (%.1f MiB RSS) | oci-dir %.3f s (%.1f MiB RSS) | %.2fx | <= 1.20x |\n", e, r2/1024, f, r2p/1024, e/f }')
echo "$table"
if [[ -n $OUT ]]; then
  block=$(printf "<!-- registry:begin (written by bench/registry.sh; edit outside these markers) -->\nMeasured %s on %s, lab image app (%s MB on disk, 4 layers), registry on 127.0.0.1, %s runs each (hyperfine medians).\n\n%s\n<!-- registry:end -->" \
    "$(date -u +%Y-%m-%d)" "$(nproc) cores" "$size" "$RUNS" "$table")
  python3 "$HERE/write-block.py" "$OUT" registry "Registry: pull, push and SBOM from a registry" "$block"
fi
