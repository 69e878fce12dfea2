#!/usr/bin/env bash
# Statistics query time over a large data set, on SQLite and on PostgreSQL: crates/bench `stats`
# generates BENCH_REPORTS (1,000,000) reports in a fresh database through the server's own
# migrations and indexes (the inbox benchmark's data set, crates/bench/src/generate.rs), then
# times each query the statistics page makes (the code behind GET /api/stats) with the page's
# default selection (52 weeks) and with one filter set, and the whole page's queries at once,
# beside a plain `SELECT COUNT(*)` over the same rows in the same run. Prints markdown (also
# written to bench/out/stats.md). Takes about 10 minutes plus the build.
# Knobs: BENCH_REPORTS [1000000], BENCH_RUNS [20], BENCH_SKIP_SQLITE, BENCH_SKIP_PG [unset].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/pg.sh
source "$ROOT/scripts/pg.sh"
REPORTS="${BENCH_REPORTS:-1000000}"
RUNS="${BENCH_RUNS:-20}"
OUT="$ROOT/bench/out"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
WORK="$(mktemp -d /tmp/trygg-stats.XXXXXX)"
trap 'pg_stop; rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

say "building the benchmark (profile server)"
(cd "$ROOT" && cargo build --profile server -p trygg-bench --bin stats)
BIN="$ROOT/target/server/stats"

# The cluster starts here, not inside the pipeline below (a pipeline's `{ }` is a subshell,
# whose PG_DIR the EXIT trap would not see).
if [ -z "${BENCH_SKIP_PG:-}" ]; then
  say "PostgreSQL: throwaway cluster"
  pg_start
fi

{
  echo "## Statistics over $REPORTS reports — $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -z "${BENCH_SKIP_SQLITE:-}" ]; then
    say "SQLite"
    "$BIN" "sqlite://$WORK/stats.db" "$REPORTS" "$RUNS"
  fi
  if [ -z "${BENCH_SKIP_PG:-}" ]; then
    say "PostgreSQL"
    "$BIN" "$TRYGG_TEST_PG_URL" "$REPORTS" "$RUNS"
  fi
} | tee "$OUT/stats.md"
