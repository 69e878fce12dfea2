#!/usr/bin/env bash
# Lighthouse (mobile: its default emulated phone, simulated slow 4G and 4x CPU slowdown) on the
# reporter's start page, report form and follow-up page, served by the release server over the
# release build of the app: performance, accessibility and best-practices scores (target ≥ 95
# each, issue 19). Lighthouse comes from the npm registry (bench/lighthouse/package.json,
# installed on first use); the browser is Debian's chromium, never a downloaded one.
# Prints a markdown table (also written to bench/out/lighthouse.md).
#   RUNS        runs per page, the median score reported (default 3)
#   SERVER_BIN  a built trygg-server (default: target/server/trygg-server, built when missing)
#   DIST        a built app (default: dist/, built when missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
LH="$ROOT/bench/lighthouse"
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  say "installing Lighthouse (npm registry) into bench/lighthouse/node_modules"
  (cd "$LH" && npm install --no-audit --no-fund --silent)
fi
export DIST="${DIST:-$ROOT/dist}"
[ -f "$DIST/index.html" ] || DIST="$DIST" "$ROOT/scripts/build-client.sh"
if [ -z "${SERVER_BIN:-}" ]; then
  SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/server/trygg-server"
  [ -x "$SERVER_BIN" ] || (cd "$ROOT" && cargo build --profile server -p trygg-server)
fi
export SERVER_BIN RUNS="${RUNS:-3}" LH CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
say "Lighthouse: $RUNS run(s) per page"
"$ROOT/scripts/e2e.sh" bash -c "$LH/run.sh" | tee "$OUT/lighthouse.md"
