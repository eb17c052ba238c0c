#!/usr/bin/env bash
# Quick start (2): installs what is needed, builds cairn and runs every test:
#   1. unit tests (hermetic) and acceptance/end-to-end tests (../shared corpus, the lab
#      images built with debootstrap + umoci, validate-sbom) through ctest;
#   2. the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. a short libFuzzer run of every fuzz target (clang).
# CAIRN_LAB (default /tmp/cairn-lab) is where the lab images live; they are built when
# missing (about 4 minutes, needs root). FUZZ_SECONDS (default 10) per fuzz target (30 targets).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CAIRN_LAB=${CAIRN_LAB:-/tmp/cairn-lab}
fuzz_seconds=${FUZZ_SECONDS:-10}

"$root/scripts/install-deps.sh"

echo "== build and test"
"$root/scripts/build.sh"
# The lab images (real Debian images with ground truth) are built once, here, so that
# tests running in parallel never race to build them.
if [ ! -f "$CAIRN_LAB/truth/summary.tsv" ]; then
  echo "-- building the lab images into $CAIRN_LAB (about 4 minutes)"
  bash "$root/../shared/lab/build-lab.sh" "$CAIRN_LAB" > "$root/build/lab-build.log" 2>&1 ||
    { tail -n 30 "$root/build/lab-build.log"; exit 1; }
fi
(cd "$root/build" && ctest --output-on-failure --timeout 1800 -j2)

echo "== unit tests under ASan + UBSan"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE=ON >/dev/null
cmake --build "$root/build-asan" -j"$(nproc)" --target cairn_unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$root/build-asan/tests/cairn_unit_tests" --gtest_brief=1

echo "== fuzzing (${fuzz_seconds}s per target)"
cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_FUZZ=ON -DCAIRN_TESTS=OFF \
      -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 >/dev/null
cmake --build "$root/build-fuzz" -j"$(nproc)"
for target in "$root"/build-fuzz/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  corpus="$root/build-fuzz/corpus/$name"
  mkdir -p "$corpus"
  seeds="$root/tests/fuzz/seeds/${name#fuzz_}"
  echo "-- $name"
  "$target" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
    "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 3
done
echo "== all tests passed"
