#!/usr/bin/env bash
# bench/language-overhead.sh: what the language and binary catalogers cost on top of the
# OS catalogers. For each lab image it times, side by side under hyperfine (runs
# interleaved by hyperfine's alternation of commands):
#   os    cairn sbom oci-dir:LAYOUT:latest --catalogers os -o cyclonedx-json=FILE
#   all   cairn sbom oci-dir:LAYOUT:latest                 -o cyclonedx-json=FILE
# and reports the medians, their ratio (target: all <= 1.15 x os), peak RSS of one run
# each, and the package counts, between the "overhead:begin/end" markers of BENCHMARKS.md.
#
# Environment: LAB (default /tmp/cairn-lab), CAIRN (default <repo>/build/cairn), RUNS (10),
# IMAGES ("base app"), OUT (default <repo>/BENCHMARKS.md; empty to skip writing).
# A benchmark: it reports numbers and never fails on them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
LAB=$(realpath -m "${LAB:-/tmp/cairn-lab}")
CAIRN=${CAIRN:-$REPO/build/cairn}
RUNS=${RUNS:-10}
IMAGES=${IMAGES:-base app}
OUT=${OUT-$REPO/BENCHMARKS.md}
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-overhead.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$CAIRN" "$WORK/cairn"   # a fixed copy: build/ may be rebuilt while we run

table="| image | OS catalogers only | all catalogers | ratio | peak RSS os / all | packages os / all |\n|---|---|---|---|---|---|\n"
for img in $IMAGES; do
  src="oci-dir:$LAB/oci/$img:latest"
  hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/$img.json" \
    -n os "$WORK/cairn sbom $src --catalogers os -o cyclonedx-json=$WORK/$img-os.json" \
    -n all "$WORK/cairn sbom $src -o cyclonedx-json=$WORK/$img-all.json" >&2
  os=$(jq '.results[] | select(.command=="os") | .median' "$WORK/$img.json")
  all=$(jq '.results[] | select(.command=="all") | .median' "$WORK/$img.json")
  rss_os=$( { /usr/bin/time -f %M "$WORK/cairn" sbom "$src" --catalogers os -o cyclonedx-json=/dev/null; } 2>&1 | tail -1)
  rss_all=$( { /usr/bin/time -f %M "$WORK/cairn" sbom "$src" -o cyclonedx-json=/dev/null; } 2>&1 | tail -1)
  n_os=$(jq '.components | length' "$WORK/$img-os.json")
  n_all=$(jq '.components | length' "$WORK/$img-all.json")
  row=$(awk -v i="$img" -v o="$os" -v a="$all" -v ro="$rss_os" -v ra="$rss_all" -v no="$n_os" -v na="$n_all" \
    'BEGIN { printf "| %s | %.3f s | %.3f s | %.2fx | %.1f / %.1f MiB | %d / %d |", i, o, a, a / o, ro / 1024, ra / 1024, no, na }')
  echo "$row"
  table+="$row\n"
done
if [[ -n $OUT ]]; then
  block=$(printf "<!-- overhead:begin (written by bench/language-overhead.sh; edit outside these markers) -->\nMeasured %s on %s, %s runs each (hyperfine medians).\n\n%b<!-- overhead:end -->" \
    "$(date -u +%Y-%m-%d)" "$(nproc) cores" "$RUNS" "$table")
  python3 "$HERE/write-block.py" "$OUT" overhead "Language and binary catalogers: cost over the OS catalogers" "$block"
fi
