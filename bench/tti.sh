#!/usr/bin/env bash
# Time to first render and to interactive of the reporter's start page on an emulated slow phone
# (Lighthouse's slow 4G: 150 ms, 1.6 Mbit/s down, 750 kbit/s up; CPU 4× slower), cold cache,
# beside its ceiling measured in the same run: the bare Leptos counter of bench/size.sh, served
# by the same server with the same compression. The exact definitions are in bench/tti.mjs.
# Prints a markdown table (also written to bench/out/tti.md).
#
# Usage: bench/tti.sh              (rerunnable)
#   RUNS        runs per page, median reported (default 5)
#   SERVER_BIN  a built trygg-server (default: builds the release server)
#   DIST        where to build the app (default: a temporary folder)
# Uses Playwright from tests/e2e/node_modules and Debian's Chromium (/usr/bin/chromium); it
# downloads no browser.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/install.sh
source "$ROOT/scripts/install.sh" # functions and BINARYEN_DIR only; installs nothing by itself
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/trygg-tti.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The app, exactly as it ships (release, wasm-opt -Oz, .br/.gz beside each file).
APP_DIST="${DIST:-$WORK/app-dist}"
DIST="$APP_DIST" "$ROOT/scripts/build-client.sh"

# 2. The counter, built as bench/size.sh builds it, compressed as build-client.sh compresses.
say "building the reference counter (same profile and tools)"
cp -r "$ROOT/bench/counter" "$WORK/counter"
cp "$ROOT/Cargo.lock" "$ROOT/Trunk.toml" "$WORK/counter/"
(cd "$WORK/counter" &&
  CARGO_TARGET_DIR="$ROOT/target/bench-counter" PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline)
find "$WORK/counter/dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \) |
  while read -r f; do
    brotli -f -q 11 -k "$f"
    gzip -f -9 -k "$f"
  done

# 3. One server per page (fresh SQLite files), as scripts/e2e.sh starts them.
if [ -z "${SERVER_BIN:-}" ]; then
  say "building the server (release)"
  (cd "$ROOT" && cargo build --profile server -p trygg-server)
  SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/server/trygg-server"
fi
serve() { # serve NAME DIST: starts a server on a free port; sets URL
  local name="$1" dist="$2" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  DATABASE_URL="sqlite://$WORK/$name.db" TRYGG_DIST_DIR="$dist" TRYGG_ADDR="127.0.0.1:$port" RUST_LOG=warn \
    "$SERVER_BIN" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$WORK/$name.log" >&2
  exit 1
}
serve app "$APP_DIST"
APP_URL="$URL"
serve counter "$WORK/counter/dist"
COUNTER_URL="$URL"

# 4. Measure (alternating app and counter runs), then print.
say "measuring ${RUNS:-5} runs each (slow 4G, CPU 4×, cold cache)"
table="$(APP_URL="$APP_URL" COUNTER_URL="$COUNTER_URL" RUNS="${RUNS:-5}" node "$ROOT/bench/tti.mjs")"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
commit="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
{
  echo "### Time to interactive on a slow phone ($(date -u +%Y-%m-%dT%H:%MZ), commit $commit)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); load average" \
    "(1/5/15 min) before $load_before, after $load_after. $(/usr/bin/chromium --version 2>/dev/null | head -n 1)," \
    "headless, 360×740 touch. Emulated slow 4G (150 ms per request, 1.6 Mbit/s down, 750 kbit/s up) and CPU 4×" \
    "slower, cold cache, release builds served by trygg-server (brotli); median of ${RUNS:-5} runs. KB = 1000 bytes."
  echo
  echo "$table"
  echo
  echo "First render: the frame after \`main#main\` holds its heading (counter: its button); time to interactive:" \
    "a click on a role option and on *Visa vad jag ska göra* gets the app's answer (counter: its first click" \
    "counts). Definitions in \`bench/tti.mjs\`."
} | tee "$OUT/tti.md"
