#!/usr/bin/env bash
# Builds the two browser apps for release (trunk, wasm-opt -Oz): the reporter's start bundle into
# dist/, its report bundle into dist/r/ and the coordinators' app into dist/samordnare/, and
# writes .br/.gz copies beside each file, which the server sends to browsers that accept them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=install.sh
source "$ROOT/scripts/install.sh"
install_client
cd "$ROOT"
# DIST (default dist/) lets several builds live side by side.
DIST="${DIST:-$ROOT/dist}"
# Three wasm bundles (src/app.rs): the reporter's start (index.html) at the root of DIST, the
# reporter's report pages (rapport.html) in DIST/r, served for /rapport, /kvitto and /folj-upp
# with its files under /r/, and the coordinators' app (samordnare.html) in DIST/samordnare,
# served under /samordnare/. The start bundle's build goes first: trunk replaces its whole dist
# folder, the other two included.
say "building the reporter app's start bundle (release)"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST" index.html
say "building the reporter app's report bundle (release)"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST/r" --public-url /r/ rapport.html
say "building the coordinator app (release)"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST/samordnare" \
  --public-url /samordnare/ samordnare.html
find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) |
  while read -r f; do
    brotli -f -q 11 -k "$f"
    gzip -f -9 -k "$f"
  done
