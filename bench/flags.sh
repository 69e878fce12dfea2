#!/usr/bin/env bash
# Risk-flag look-up latency on SQLite and PostgreSQL (issue 17): crates/bench `flags` fills a
# fresh database with BENCH_FLAGS (100,000) active flags through the server's own migrations,
# keys and keyed hashes, runs the real server in-process, and sends POST /api/lookup from
# dispatch tokens at BENCH_RATE (200) look-ups/s for BENCH_SECONDS (20) s, half hits and half
# misses at random; prints p50/p90/p99/max of all, of the hits and of the misses, beside the
# ceiling (a plain indexed SELECT on flags.address_index), and the p99 verdict (≤ 10 ms).
# Prints markdown (also written to bench/out/flags.md). Takes about 2 minutes plus the build.
# Knobs: BENCH_FLAGS [100000], BENCH_RATE [200], BENCH_SECONDS [20], BENCH_PROFILE [server]
# (`dev` for a quick unoptimised check), BENCH_SKIP_SQLITE, BENCH_SKIP_PG [unset].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/pg.sh
source "$ROOT/scripts/pg.sh"
FLAGS="${BENCH_FLAGS:-100000}"
RATE="${BENCH_RATE:-200}"
SECS="${BENCH_SECONDS:-20}"
PROFILE="${BENCH_PROFILE:-server}"
OUT="$ROOT/bench/out"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
WORK="$(mktemp -d /tmp/trygg-flags.XXXXXX)"
trap 'pg_stop; rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

say "building the benchmark (profile $PROFILE)"
(cd "$ROOT" && cargo build --profile "$PROFILE" -p trygg-bench --bin flags)
DIR="$PROFILE"
[ "$PROFILE" = "dev" ] && DIR=debug
BIN="$ROOT/target/$DIR/flags"

if [ -z "${BENCH_SKIP_PG:-}" ]; then
  say "PostgreSQL: throwaway cluster"
  pg_start
fi

{
  echo "## Risk-flag look-ups — $(date -u +%Y-%m-%d), profile $PROFILE, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -z "${BENCH_SKIP_SQLITE:-}" ]; then
    say "SQLite"
    "$BIN" "sqlite://$WORK/flags.db" "$FLAGS" "$RATE" "$SECS"
  fi
  if [ -z "${BENCH_SKIP_PG:-}" ]; then
    say "PostgreSQL"
    "$BIN" "$TRYGG_TEST_PG_URL" "$FLAGS" "$RATE" "$SECS"
  fi
} | tee "$OUT/flags.md"
