#!/usr/bin/env bash
# Builds the browser app for release into dist/ (trunk, wasm-opt -Oz) and writes .br/.gz
# copies beside each file, which the server sends to browsers that accept them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=install.sh
source "$ROOT/scripts/install.sh"
install_client
cd "$ROOT"
say "building the browser app (release)"
# DIST (default dist/) lets several builds live side by side.
DIST="${DIST:-$ROOT/dist}"
PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline --dist "$DIST"
find "$DIST" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) |
  while read -r f; do
    brotli -f -q 11 -k "$f"
    gzip -f -9 -k "$f"
  done
