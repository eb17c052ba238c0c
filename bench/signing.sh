#!/usr/bin/env bash
# bench/signing.sh: key-based image signing and verification, side by side in one run.
#   sign     cairn sign HOST/lab/base@DIGEST --key K --signature-format legacy
#              vs cosign_peer.py sign K PASS HOST/lab/base:v1 (the same form)
#            and, for information, cairn's default (legacy + bundle referrer) on another repository
#   verify   cairn verify HOST/lab/base:v1 --key PUB   vs   cosign_peer.py verify PUB HOST/lab/base:v1
#   HTTP requests per command, counted in the registry's own log (one run each).
#   In-process: 1,000 ECDSA P-256 verifications (build/cairn_bench_verify) beside
#   `openssl speed ecdsap256`, the floor for the same curve on this CPU.
# cosign_peer.py (../shared/lab) is an independent implementation of cosign's legacy
# format; cosign itself is not on this machine. Both use the lab's TEST-ONLY key.
# Results go between the "signing:begin/end" markers of BENCHMARKS.md.
#
# Environment: LAB (default /tmp/cairn-lab), CAIRN (default <repo>/build/cairn), RUNS (10),
# OUT (default <repo>/BENCHMARKS.md; empty to skip writing), SHARED (default <repo>/../shared).
# A benchmark: it reports numbers and never fails on them.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
LAB=$(realpath -m "${LAB:-/tmp/cairn-lab}")
CAIRN=${CAIRN:-$REPO/build/cairn}
VERIFY_BENCH=${VERIFY_BENCH:-$(dirname "$CAIRN")/cairn_bench_verify}
RUNS=${RUNS:-10}
OUT=${OUT-$REPO/BENCHMARKS.md}
SHARED=${SHARED:-$REPO/../shared}
PEER=(/usr/bin/python3 "$SHARED/lab/cosign_peer.py")
S=$SHARED/lab/samples
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
[ -d "$LAB/oci/base" ] || { echo "bench: no lab image at $LAB/oci/base (run $SHARED/lab/build-lab.sh)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-signing-bench.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cp "$CAIRN" "$WORK/cairn"
export CAIRN_PASSWORD
CAIRN_PASSWORD=$(cat "$S/TEST-ONLY-cosign.pass")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=$("$SHARED/lab/start-registry.sh" "$port" "$WORK/registry")
HOST=127.0.0.1:$port
skopeo copy -q --dest-tls-verify=false "oci:$LAB/oci/base:latest" "docker://$HOST/lab/base:v1" >&2
skopeo copy -q --dest-tls-verify=false "oci:$LAB/oci/base:latest" "docker://$HOST/lab/both:v1" >&2
DIGEST=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$HOST/lab/base:v1")

# requests CMD...: how many HTTP requests the registry answered while CMD ran.
requests() {
  local before after
  before=$(grep -c 'msg="response completed"' "$WORK/registry.log" || true)
  "$@" >/dev/null 2>&1
  sleep 0.2  # the registry writes its log line after the response
  after=$(grep -c 'msg="response completed"' "$WORK/registry.log" || true)
  echo $((after - before))
}
req_cairn_sign=$(requests "$WORK/cairn" sign "$HOST/lab/base@$DIGEST" --key "$S/TEST-ONLY-cosign.key" --signature-format legacy)
req_cairn_both=$(requests "$WORK/cairn" sign "$HOST/lab/both@$DIGEST" --key "$S/TEST-ONLY-cosign.key")
req_peer_sign=$(requests "${PEER[@]}" sign "$S/TEST-ONLY-cosign.key" "$S/TEST-ONLY-cosign.pass" "$HOST/lab/base:v1")

hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/sign.json" \
  -n "cairn sign" "$WORK/cairn sign $HOST/lab/base@$DIGEST --key $S/TEST-ONLY-cosign.key --signature-format legacy" \
  -n "peer sign" "${PEER[*]} sign $S/TEST-ONLY-cosign.key $S/TEST-ONLY-cosign.pass $HOST/lab/base:v1" \
  -n "cairn sign both" "$WORK/cairn sign $HOST/lab/both@$DIGEST --key $S/TEST-ONLY-cosign.key" >&2
req_cairn_verify=$(requests "$WORK/cairn" verify "$HOST/lab/base:v1" --key "$S/cosign.pub")
req_peer_verify=$(requests "${PEER[@]}" verify "$S/cosign.pub" "$HOST/lab/base:v1")
layers=$(skopeo inspect --raw --tls-verify=false "docker://$HOST/lab/base:sha256-${DIGEST#sha256:}.sig" | jq '.layers | length')
hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/verify.json" \
  -n "cairn verify" "$WORK/cairn verify $HOST/lab/base:v1 --key $S/cosign.pub" \
  -n "peer verify" "${PEER[*]} verify $S/cosign.pub $HOST/lab/base:v1" >&2

in_process=$("$VERIFY_BENCH" 1000)
openssl_line=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | grep 'nistp256' | tail -1)
ours=$(sed -E 's/.*: ([0-9]+) verifications\/s/\1/' <<<"$in_process")
floor=$(awk '{print $NF}' <<<"$openssl_line")

med() { jq --arg n "$2" '.results[] | select(.command==$n) | .median' "$WORK/$1.json"; }
table=$(awk -v cs="$(med sign 'cairn sign')" -v ps="$(med sign 'peer sign')" -v cv="$(med verify 'cairn verify')" \
  -v pv="$(med verify 'peer verify')" -v cb="$(med sign 'cairn sign both')" -v rcb="$req_cairn_both" -v rcs="$req_cairn_sign" -v rps="$req_peer_sign" -v rcv="$req_cairn_verify" \
  -v rpv="$req_peer_verify" -v ours="$ours" -v floor="$floor" -v layers="$layers" 'BEGIN {
  printf "| operation | cairn | cosign_peer.py / openssl | ratio |\n|---|---|---|---|\n";
  printf "| sign and push (legacy .sig) | %.3f s, %d HTTP requests | %.3f s, %d HTTP requests | %.2fx |\n", cs, rcs, ps, rps, cs/ps;
  printf "| sign and push, cairn default (legacy + bundle referrer) | %.3f s, %d HTTP requests | - | - |\n", cb, rcb;
  printf "| verify (%d signatures in the .sig tag) | %.3f s, %d HTTP requests | %.3f s, %d HTTP requests | %.2fx |\n", layers, cv, rcv, pv, rpv, cv/pv;
  printf "| ECDSA P-256 verifications per second, in process | %d | openssl speed: %d | %.2fx |\n", ours, floor, ours/floor }')
echo "$table"
if [[ -n $OUT ]]; then
  block=$(printf "<!-- signing:begin (written by bench/signing.sh; edit outside these markers) -->\nMeasured %s on %s against Debian's docker-registry on 127.0.0.1 (lab image base), %s runs each (hyperfine medians); HTTP requests counted in the registry's log for one run of each.\n\n%s\n<!-- signing:end -->" \
    "$(date -u +%Y-%m-%d)" "$(nproc) cores" "$RUNS" "$table")
  python3 "$HERE/write-block.py" "$OUT" signing "Signing and verifying images with a key" "$block"
fi
