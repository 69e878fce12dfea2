#!/usr/bin/env bash
# Builds the two browser apps for release (trunk, wasm-opt -Oz): the reporter's into dist/ and
# the coordinators' into dist/samordnare/, and writes .br/.gz copies beside each file, which the
# server sends to browsers that accept them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=install.sh
source "$ROOT/scripts/install.sh"
install_client
cd "$ROOT"
# DIST (default dist/) lets several builds live side by side.
DIST="${DIST:-$ROOT/dist}"
# Two apps, one wasm bundle each: the reporter's (index.html) at the root of DIST, the
# coordinators' (samordnare.html) in DIST/samordnare, served under /samordnare/. The reporter's
# build goes first: trunk replaces its whole dist folder, the coordinator's included.
say "building the reporter app (release)"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST" index.html
say "building the coordinator app (release)"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST/samordnare" \
  --public-url /samordnare/ samordnare.html
find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) |
  while read -r f; do
    brotli -f -q 11 -k "$f"
    gzip -f -9 -k "$f"
  done
