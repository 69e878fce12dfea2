#!/usr/bin/env bash
# Fuzzes the report parser and the submit body with cargo-fuzz (libFuzzer) on stable Rust, in
# reduced mode (-s none: no sanitizer; the default needs nightly). Usage:
#   scripts/fuzz.sh [SECONDS per target, default 20]
# Longer runs: scripts/fuzz.sh 3600. Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/install.sh"
SECS="${1:-20}"
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
  say "installing cargo-fuzz 0.13.2"
  cargo install cargo-fuzz --version 0.13.2
fi
cd "$ROOT/fuzz"
for target in parse_report submit_body; do
  corpus="$(mktemp -d)"
  say "fuzzing $target for ${SECS}s"
  log="$corpus.log"
  if ! cargo fuzz run -s none "$target" "$corpus" "seeds/$target" -- \
    -max_total_time="$SECS" -max_len=8192 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzzing $target failed" >&2
    exit 1
  fi
  grep -E "^Done|stat::number_of_executed_units" "$log" || true
  rm -rf "$corpus" "$log"
  if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
    echo "fuzzing $target found a crash: fuzz/artifacts/$target" >&2
    exit 1
  fi
done
