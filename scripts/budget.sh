#!/usr/bin/env bash
# The bundle budgets, as a test: each app's first load (its index.html and the wasm, JS and CSS
# that page loads), brotli -q 11, must not exceed its ceiling in budgets.txt. Bytes are
# deterministic for one toolchain, so this is a check, not a benchmark (bench/size.sh prints the
# full table beside a bare Leptos counter).
#   scripts/budget.sh [DIST]     checks DIST (default dist/, built by scripts/build-client.sh)
#   scripts/budget.sh --self-test  proves the check bites: a copy of dist/ whose start wasm grew
#                                  by 8 KB of incompressible bytes must fail, and dist/ must pass.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUDGETS="$ROOT/budgets.txt"

# first_load DIR: brotli bytes of DIR/index.html plus every wasm/js/css file it names.
first_load() {
  local dir="$1" total f
  total=$(brotli -c -q 11 "$dir/index.html" | wc -c)
  while IFS= read -r -d '' f; do
    grep -qF "/$(basename "$f")" "$dir/index.html" || continue
    total=$((total + $(brotli -c -q 11 "$f" | wc -c)))
  done < <(find "$dir" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0)
  echo "$total"
}

check() { # DIST → prints one line per bundle; exit 1 when one is over
  local dist="$1" name sub ceiling bytes over=0
  while read -r name sub ceiling; do
    case "$name" in '' | '#'*) continue ;; esac
    [ -f "$dist/$sub/index.html" ] || { echo "budget: no $sub/index.html in $dist" >&2; return 1; }
    bytes=$(first_load "$dist/$sub")
    if [ "$bytes" -le "$ceiling" ]; then
      printf 'budget: %-12s %7d bytes brotli ≤ %7d (%d to spare)\n' "$name" "$bytes" "$ceiling" $((ceiling - bytes))
    else
      printf 'budget: %-12s %7d bytes brotli > %7d: OVER by %d\n' "$name" "$bytes" "$ceiling" $((bytes - ceiling)) >&2
      over=1
    fi
  done <"$BUDGETS"
  return "$over"
}

if [ "${1:-}" = "--self-test" ]; then
  dist="${2:-$ROOT/dist}"
  check "$dist" >/dev/null || { echo "budget self-test: dist/ itself is over budget" >&2; exit 1; }
  tmp="$(mktemp -d /tmp/trygg-budget.XXXXXX)"
  trap 'rm -rf "$tmp"' EXIT
  cp -r "$dist" "$tmp/dist"
  wasm="$(find "$tmp/dist" -maxdepth 1 -name '*.wasm' | head -n 1)"
  head -c 8000 /dev/urandom >>"$wasm"
  if check "$tmp/dist" 2>/dev/null >/dev/null; then
    echo "budget self-test: 8 KB added to the start wasm went unnoticed" >&2
    exit 1
  fi
  echo "budget self-test: 8 KB more in the start wasm fails the check, as it must"
  exit 0
fi
check "${1:-$ROOT/dist}"
