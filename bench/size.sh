#!/usr/bin/env bash
# First-load size of the browser apps' bundles, beside their ceiling measured in the same run: the
# smallest Leptos 0.8 CSR app (bench/counter) built with the same profile, trunk, wasm-bindgen
# and wasm-opt -Oz. Prints a markdown table (also written to bench/out/size.md).
#
# First load = a bundle's index.html and every file it names (wasm, JS, CSS), brotli -q 11.
# Budget: the reporter app's first load, its start bundle at /, <= 120 KB (KB = 1000 bytes). Its
# report bundle (/rapport, /kvitto, /folj-upp; dist/r/) and the coordinator app (/samordnare/)
# are reported beside it; they have no budget of their own.
# Usage: bench/size.sh        (rerunnable; the counter's build is cached in target/bench-counter)
#        DIST=/some/dir bench/size.sh   builds into that folder instead of dist/
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/install.sh
source "$ROOT/scripts/install.sh" # functions and BINARYEN_DIR only; installs nothing by itself
BUDGET_BYTES=120000
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

WORK="$(mktemp -d /tmp/trygg-size.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# 1. The apps, exactly as they ship. dist/ is copied at once: another build in the same checkout
#    may replace it while the counter builds.
DIST="${DIST:-$ROOT/dist}"
DIST="$DIST" "$ROOT/scripts/build-client.sh"
cp -r "$DIST" "$WORK/app-dist"
find "$WORK/app-dist" -name '.*' -prune -exec rm -rf {} + # trunk's staging folders of a build still running
# Every hashed asset must be one that its index.html loads, or dist/ changed under us.
for dir in "$WORK/app-dist" "$WORK/app-dist/r" "$WORK/app-dist/samordnare"; do
  [ -f "$dir/index.html" ] || { echo "no index.html in ${dir#"$WORK/app-dist"}/ after the build" >&2; exit 1; }
  for f in "$dir"/*-[0-9a-f]*.{wasm,js,css}; do
    [ -e "$f" ] || continue
    grep -qF "$(basename "$f")" "$dir/index.html" || {
      echo "dist/ changed during the build ($(basename "$f") is not in its index.html); run again" >&2
      exit 1
    }
  done
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
# Not the app's .cargo/config.toml: Leptos's erase_components shrinks a large app but makes the
# bare counter bigger (28.3 KB instead of 23.8 KB wasm brotli), and the reference is the smallest.
(cd "$WORK/counter" &&
  CARGO_TARGET_DIR="$ROOT/target/bench-counter" PATH="$BINARYEN_DIR:$PATH" trunk build --release --offline)
counter_wasm_bindgen="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$WORK/counter/Cargo.lock")"
[ "$counter_wasm_bindgen" = "$(wasm_bindgen_version)" ] || {
  echo "the counter resolved wasm-bindgen $counter_wasm_bindgen, the app $(wasm_bindgen_version)" >&2
  exit 1
}

# Sums raw and brotli (-q 11, computed here) bytes per kind of file of one app: its index.html
# and the files it names are the first load (wasm, js, css, html); any other file is "other"
# (e.g. the service worker, fetched after the app has started). Subfolders that are another
# app (given after the folder) are left out. Prints "kind raw br" lines.
measure() {
  local dir="$1" f kind raw br prune=()
  shift
  for sub in "$@"; do prune+=(-path "$dir/$sub" -prune -o); done
  declare -A RAW=([wasm]=0 [js]=0 [css]=0 [html]=0 [other]=0) BR=([wasm]=0 [js]=0 [css]=0 [html]=0 [other]=0)
  while IFS= read -r -d '' f; do
    if [ "$f" = "$dir/index.html" ]; then
      kind=html
    elif ! grep -qF "/$(basename "$f")" "$dir/index.html"; then
      kind=other
    else
      case "$f" in
        *.wasm) kind=wasm ;; *.js | *.mjs) kind=js ;; *.css) kind=css ;; *.html) kind=html ;; *) kind=other ;;
      esac
    fi
    raw=$(stat -c %s "$f")
    br=$(brotli -c -q 11 "$f" | wc -c)
    RAW[$kind]=$((RAW[$kind] + raw))
    BR[$kind]=$((BR[$kind] + br))
  done < <(find "$dir" -path "$dir/.*" -prune -o "${prune[@]}" -type f ! -name '*.br' ! -name '*.gz' -print0)
  for kind in wasm js css html other; do echo "$kind ${RAW[$kind]} ${BR[$kind]}"; done
}
declare -A R_RAW R_BR P_RAW P_BR S_RAW S_BR C_RAW C_BR
while read -r k r b; do R_RAW[$k]=$r; R_BR[$k]=$b; done < <(measure "$WORK/app-dist" samordnare r)
while read -r k r b; do P_RAW[$k]=$r; P_BR[$k]=$b; done < <(measure "$WORK/app-dist/r")
while read -r k r b; do S_RAW[$k]=$r; S_BR[$k]=$b; done < <(measure "$WORK/app-dist/samordnare")
while read -r k r b; do C_RAW[$k]=$r; C_BR[$k]=$b; done < <(measure "$WORK/counter/dist")
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }

first_load() { # name of the BR array
  local -n br="$1"
  echo $((br[wasm] + br[js] + br[css] + br[html]))
}
first_load_reporter=$(first_load R_BR)
first_load_report=$(first_load P_BR)
first_load_coordinator=$(first_load S_BR)
first_load_counter=$(first_load C_BR)
verdict=PASS
[ "$first_load_reporter" -le "$BUDGET_BYTES" ] || verdict=OVER
wasm_opt_version="$("$BINARYEN_DIR/wasm-opt" --version 2>/dev/null | head -n 1)"
commit="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"

{
  echo "### First-load size ($(date -u +%Y-%m-%dT%H:%MZ), commit $commit)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)." \
    "$(rustc --version | cut -d' ' -f1-2), $(trunk --version), $(wasm-bindgen --version), wasm-opt ${wasm_opt_version#wasm-opt }" \
    "(-Oz); profile opt-level \"z\", LTO, codegen-units 1, panic abort;" \
    "app wasm rustflags: $(awk -F= '/^rustflags/ {gsub(/^ +/, "", $2); print $2}' "$ROOT/.cargo/config.toml" 2>/dev/null || echo none) (the counter: none)." \
    "KB = 1000 bytes; brotli -q 11."
  echo
  echo "| file | reporter start raw | reporter start brotli | reporter report pages raw | reporter report pages brotli |" \
    "coordinator app raw | coordinator app brotli | Leptos counter raw | Leptos counter brotli |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for k in wasm js css html; do
    echo "| $k | $(kb "${R_RAW[$k]}") KB | $(kb "${R_BR[$k]}") KB | $(kb "${P_RAW[$k]}") KB | $(kb "${P_BR[$k]}") KB |" \
      "$(kb "${S_RAW[$k]}") KB | $(kb "${S_BR[$k]}") KB | $(kb "${C_RAW[$k]}") KB | $(kb "${C_BR[$k]}") KB |"
  done
  echo "| **first load (brotli)** | | **$(kb "$first_load_reporter") KB** | | **$(kb "$first_load_report") KB** |" \
    "| **$(kb "$first_load_coordinator") KB** | | **$(kb "$first_load_counter") KB** |"
  if [ "${R_RAW[other]}" -gt 0 ] || [ "${P_RAW[other]}" -gt 0 ] || [ "${S_RAW[other]}" -gt 0 ]; then
    echo "| other files (not in the first load) | $(kb "${R_RAW[other]}") KB | $(kb "${R_BR[other]}") KB |" \
      "$(kb "${P_RAW[other]}") KB | $(kb "${P_BR[other]}") KB | $(kb "${S_RAW[other]}") KB | $(kb "${S_BR[other]}") KB | | |"
  fi
  echo
  echo "The reporter app's first load (\`/\`, its start bundle) is $(kb "$first_load_reporter") KB brotli," \
    "$(awk -v a="$first_load_reporter" -v c="$first_load_counter" 'BEGIN { printf "%.1f", a / c }')× the bare counter" \
    "($(kb $((first_load_reporter - first_load_counter))) KB above it). Budget ≤ $(kb $BUDGET_BYTES) KB: **$verdict**." \
    "Its report pages (\`/rapport\`, \`/kvitto\`, \`/folj-upp\`) load their own bundle, $(kb "$first_load_report") KB brotli" \
    "(a page load from the start page; no budget)." \
    "The coordinator app's first load (\`/samordnare/\`) is $(kb "$first_load_coordinator") KB brotli (no budget)."
} | tee "$OUT/size.md"
