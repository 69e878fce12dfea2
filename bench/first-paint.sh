#!/usr/bin/env bash
# When the reporter's pages paint, request their wasm and mount the app on an emulated slow phone
# (bench/first-paint.mjs), over the release build served by the release server. Prints a
# markdown table (also written to bench/out/first-paint.md).
#   RUNS        runs per page, the median reported (default 5)
#   PAGES       the pages (default "/ /rapport /folj-upp")
#   SERVER_BIN  a built trygg-server (default: target/server/trygg-server, built when missing)
#   DIST        a built app (default: dist/, built when missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export DIST="${DIST:-$ROOT/dist}"
[ -f "$DIST/index.html" ] || DIST="$DIST" "$ROOT/scripts/build-client.sh"
if [ -z "${SERVER_BIN:-}" ]; then
  SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/server/trygg-server"
  [ -x "$SERVER_BIN" ] || (cd "$ROOT" && cargo build --profile server -p trygg-server)
fi
export SERVER_BIN RUNS="${RUNS:-5}" PAGES="${PAGES:-/ /rapport /folj-upp}" SCRIPT="$ROOT/bench/first-paint.mjs"
{
  echo "### First paint, wasm and mount on a slow phone ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" describe --always --dirty), load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  "$ROOT/scripts/e2e.sh" bash -c 'URL="$BASE_URL" node "$SCRIPT"'
} | tee "$OUT/first-paint.md"
