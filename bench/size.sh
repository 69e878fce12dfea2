#!/usr/bin/env bash
# First-load size of the browser app, beside its ceiling measured in the same run: the smallest
# Leptos 0.8 CSR app (bench/counter) built with the same profile, trunk, wasm-bindgen and
# wasm-opt -Oz. Prints a markdown table (also written to bench/out/size.md).
#
# Budget: first load (HTML + JS + wasm + CSS, brotli -q 11) <= 120 KB (KB = 1000 bytes).
# Usage: bench/size.sh        (rerunnable; the counter's build is cached in target/bench-counter)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/install.sh
source "$ROOT/scripts/install.sh" # functions and BINARYEN_DIR only; installs nothing by itself
BUDGET_BYTES=120000
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

WORK="$(mktemp -d /tmp/trygg-size.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# 1. The app, exactly as it ships. dist/ is copied at once: another build in the same checkout
#    may replace it while the counter builds.
"$ROOT/scripts/build-client.sh"
cp -r "$ROOT/dist" "$WORK/app-dist"
rm -rf "$WORK/app-dist"/.[!.]* # trunk's staging folder of a build still running, if any
# Every measured asset must be one that this index.html loads, or dist/ changed under us.
for f in "$WORK/app-dist"/*.{wasm,js,css}; do
  [ -e "$f" ] || continue
  grep -qF "$(basename "$f")" "$WORK/app-dist/index.html" || {
    echo "dist/ changed during the build ($(basename "$f") is not in its index.html); run again" >&2
    exit 1
  }
done

# 2. The counter, same settings. Same lock file, so leptos/wasm-bindgen resolve to the same versions.
say "building the reference counter (same profile and tools)"
profile() { awk '/^\[profile\.release\]$/ {on=1; next} /^\[/ {on=0} on && NF && !/^#/' "$1"; }
if [ "$(profile "$ROOT/Cargo.toml")" != "$(profile "$ROOT/bench/counter/Cargo.toml")" ]; then
  echo "bench/counter/Cargo.toml's [profile.release] differs from the root Cargo.toml's; align them" >&2
  exit 1
fi
cp -r "$ROOT/bench/counter" "$WORK/counter"
cp "$ROOT/Cargo.lock" "$ROOT/Trunk.toml" "$WORK/counter/"
(cd "$WORK/counter" &&
  CARGO_TARGET_DIR="$ROOT/target/bench-counter" PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline)
counter_wasm_bindgen="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$WORK/counter/Cargo.lock")"
[ "$counter_wasm_bindgen" = "$(wasm_bindgen_version)" ] || {
  echo "the counter resolved wasm-bindgen $counter_wasm_bindgen, the app $(wasm_bindgen_version)" >&2
  exit 1
}

# Sums raw and brotli (-q 11, computed here) bytes per kind of file in a dist folder.
# Prints "kind raw br" lines for wasm, js, css, html and other.
measure() {
  local dir="$1" f kind raw br
  declare -A RAW=([wasm]=0 [js]=0 [css]=0 [html]=0 [other]=0) BR=([wasm]=0 [js]=0 [css]=0 [html]=0 [other]=0)
  while IFS= read -r -d '' f; do
    case "$f" in
      *.wasm) kind=wasm ;; *.js | *.mjs) kind=js ;; *.css) kind=css ;; *.html) kind=html ;; *) kind=other ;;
    esac
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    RAW[$kind]=$((RAW[$kind] + raw))
    BR[$kind]=$((BR[$kind] + br))
  done < <(find "$dir" -path "$dir/.*" -prune -o -type f ! -name '*.br' ! -name '*.gz' -print0)
  for kind in wasm js css html other; do echo "$kind ${RAW[$kind]} ${BR[$kind]}"; done
}
declare -A A_RAW A_BR C_RAW C_BR
while read -r k r b; do A_RAW[$k]=$r; A_BR[$k]=$b; done < <(measure "$WORK/app-dist")
while read -r k r b; do C_RAW[$k]=$r; C_BR[$k]=$b; done < <(measure "$WORK/counter/dist")
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }

first_load_app=$((A_BR[wasm] + A_BR[js] + A_BR[css] + A_BR[html]))
first_load_counter=$((C_BR[wasm] + C_BR[js] + C_BR[css] + C_BR[html]))
verdict=PASS
[ "$first_load_app" -le "$BUDGET_BYTES" ] || verdict=OVER
wasm_opt_version="$("$BINARYEN_DIR/wasm-opt" --version 2>/dev/null | head -n 1)"
commit="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"

{
  echo "### First-load size ($(date -u +%Y-%m-%dT%H:%MZ), commit $commit)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)." \
    "$(rustc --version | cut -d' ' -f1-2), $(trunk --version), $(wasm-bindgen --version), wasm-opt ${wasm_opt_version#wasm-opt }" \
    "(-Oz); profile opt-level \"z\", LTO, codegen-units 1, panic abort. KB = 1000 bytes; brotli -q 11."
  echo
  echo "| file | Trygg raw | Trygg brotli | Leptos counter raw | Leptos counter brotli |"
  echo "|---|---:|---:|---:|---:|"
  for k in wasm js css html; do
    echo "| $k | $(kb "${A_RAW[$k]}") KB | $(kb "${A_BR[$k]}") KB | $(kb "${C_RAW[$k]}") KB | $(kb "${C_BR[$k]}") KB |"
  done
  if [ "${A_RAW[other]}" -gt 0 ] || [ "${C_RAW[other]}" -gt 0 ]; then
    echo "| other files (not in the first load) | $(kb "${A_RAW[other]}") KB | $(kb "${A_BR[other]}") KB |" \
      "$(kb "${C_RAW[other]}") KB | $(kb "${C_BR[other]}") KB |"
  fi
  echo "| **first load (brotli)** | | **$(kb "$first_load_app") KB** | | **$(kb "$first_load_counter") KB** |"
  echo
  echo "Trygg's first load is $(kb "$first_load_app") KB brotli," \
    "$(awk -v a="$first_load_app" -v c="$first_load_counter" 'BEGIN { printf "%.1f", a / c }')× the bare counter" \
    "($(kb $((first_load_app - first_load_counter))) KB above it). Budget ≤ $(kb $BUDGET_BYTES) KB: **$verdict**."
} | tee "$OUT/size.md"
