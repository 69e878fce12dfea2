#!/usr/bin/env bash
# Inbox query time over a large data set, on SQLite and on PostgreSQL: crates/bench `inbox`
# generates BENCH_REPORTS (1,000,000) reports in a fresh database through the server's own
# migrations and indexes, then times the server's inbox queries (the code behind
# GET /api/reports and /api/reports/counts) beside the ceiling, a plain indexed
# `SELECT … ORDER BY seq DESC LIMIT 50` on the same data. Prints markdown (also written to
# bench/out/inbox.md). Takes about 5 minutes plus the build.
# Knobs: BENCH_REPORTS [1000000], BENCH_RUNS [20], BENCH_SKIP_SQLITE, BENCH_SKIP_PG [unset].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/pg.sh
source "$ROOT/scripts/pg.sh"
REPORTS="${BENCH_REPORTS:-1000000}"
RUNS="${BENCH_RUNS:-20}"
OUT="$ROOT/bench/out"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
WORK="$(mktemp -d /tmp/trygg-inbox.XXXXXX)"
trap 'pg_stop; rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

say "building the benchmark (profile server)"
(cd "$ROOT" && cargo build --profile server -p trygg-bench --bin inbox)
BIN="$ROOT/target/server/inbox"

# The cluster starts here, not inside the pipeline below: a pipeline's `{ }` runs in a subshell,
# whose PG_DIR the EXIT trap would not see (the cluster was left running).
if [ -z "${BENCH_SKIP_PG:-}" ]; then
  say "PostgreSQL: throwaway cluster"
  pg_start
fi

{
  echo "## Inbox over $REPORTS reports — $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -z "${BENCH_SKIP_SQLITE:-}" ]; then
    say "SQLite"
    "$BIN" "sqlite://$WORK/inbox.db" "$REPORTS" "$RUNS"
  fi
  if [ -z "${BENCH_SKIP_PG:-}" ]; then
    say "PostgreSQL"
    "$BIN" "$TRYGG_TEST_PG_URL" "$REPORTS" "$RUNS"
  fi
} | tee "$OUT/inbox.md"
