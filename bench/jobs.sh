#!/usr/bin/env bash
# The cost of durable jobs on submits, and how fast an urgent report's mail leaves.
#   1. Submit throughput with the urgent-mail job in the report's own transaction: closed-loop
#      runs (`load --max`) of urgent reports (every group-commit batch enqueues one job) and of
#      routine reports (no job), alternated BENCH_JOBS_ROUNDS times on the same server, so that
#      both see the same machine; the verdict compares the medians (target: urgent ≥ 0.90 ×
#      routine). SQLite and PostgreSQL (one server each). The server's worker is off here
#      (TRYGG_JOB_WORKER=false): the figure is the enqueue's cost on submits; sending the
#      thousands of mails would otherwise run a Python SMTP server on the same two cores.
#      Mail delivery is measured in 2 and 3, each on a fresh database.
#   2. From the 201 of an urgent report to the mail accepted by a real SMTP server (aiosmtpd,
#      scripts/smtp.sh): `mail-latency`, BENCH_MAIL_COUNT reports at BENCH_MAIL_RATE/s, beside bare
#      lettre sends to the same sink (the ceiling). On SQLite with one server, and on PostgreSQL
#      with TWO servers behind HAProxy (round robin), as in the scale-out design.
#   3. Job throughput on PostgreSQL: BENCH_JOBS_COUNT jobs inserted at once (urgent-mail jobs for
#      reports that do not exist: claim, re-check, nothing to send, complete — the engine's own
#      cost), drained by one server and then by two, beside the database's single-row durable
#      commit rate (`ceiling-db`); a job claimed twice would show attempts > 1.
# Prints markdown (also bench/out/jobs.md). Takes about 3 minutes plus the build.
# Knobs: BENCH_JOBS_ROUNDS [3], BENCH_SECONDS [5], BENCH_MAX_CLIENTS [128], BENCH_MAIL_COUNT [300],
# BENCH_MAIL_RATE [20], BENCH_JOBS_COUNT [5000], BENCH_SKIP_PG [unset].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/pg.sh
source "$ROOT/scripts/pg.sh"
# shellcheck source=../scripts/smtp.sh
source "$ROOT/scripts/smtp.sh"
ROUNDS="${BENCH_JOBS_ROUNDS:-3}"
SECS="${BENCH_SECONDS:-5}"
CLIENTS="${BENCH_MAX_CLIENTS:-128}"
MAIL_COUNT="${BENCH_MAIL_COUNT:-300}"
MAIL_RATE="${BENCH_MAIL_RATE:-20}"
JOBS_COUNT="${BENCH_JOBS_COUNT:-5000}"
BIN="$ROOT/target/server"
OUT="$ROOT/bench/out"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

WORK="$(mktemp -d /tmp/trygg-jobs.XXXXXX)"
PIDS=()
stop_all() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_all
  smtp_stop || true
  pg_stop || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v jq >/dev/null || { echo "bench/jobs.sh needs jq" >&2; exit 1; }
mkdir -p "$OUT" "$WORK/dist"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

say "building the release server and benchmark tools"
(cd "$ROOT" && cargo build --profile server -p trygg-server -p trygg-bench)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # URL
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1/healthz" 2>/dev/null && return 0; sleep 0.1; done
  echo "$1 did not start" >&2; cat "$WORK"/*.log >&2; exit 1
}
# trygg NAME PORT DATABASE_URL: a release server that mails through the sink (its worker runs
# unless WORKER=false).
WORKER=true
trygg() {
  env TRYGG_JOB_WORKER="$WORKER" TRYGG_ADDR="127.0.0.1:$2" DATABASE_URL="$3" TRYGG_DIST_DIR="$WORK/dist" TRYGG_REQUIRE_2FA=false \
    TRYGG_AUDIT_ANCHOR_FILE="$WORK/audit-head-$1" TRYGG_SECRET_KEY="$SECRET" \
    TRYGG_SUBMIT_MAX_PER_ADDRESS=1000000000 TRYGG_MESSAGE_MAX_PER_ADDRESS=1000000000 \
    TRYGG_SMTP_URL="$TRYGG_TEST_SMTP_URL" TRYGG_MAIL_FROM="Trygg <trygg@region.se>" \
    TRYGG_PUBLIC_URL="https://trygg.region.se" TRYGG_NOTIFY_FALLBACK_EMAIL="jour@region.se" \
    TRYGG_JOB_POLL_MILLIS=100 RUST_LOG=warn "$BIN/trygg-server" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$2"
}
# ab LABEL BASE: alternated closed-loop runs, routine then urgent.
ab() {
  local r
  for r in $(seq 1 "$ROUNDS"); do
    "$BIN/load" --url "$2/api/reports" --max "$CLIENTS" --seconds "$SECS" --routine --label "$1 routine" --json \
      | tail -n 1 | jq -c --arg b "$1" '. + {backend: $b, kind: "routine"}' >>"$RESULTS"
    "$BIN/load" --url "$2/api/reports" --max "$CLIENTS" --seconds "$SECS" --label "$1 urgent" --json \
      | tail -n 1 | jq -c --arg b "$1" '. + {backend: $b, kind: "urgent"}' >>"$RESULTS"
  done
}
# latency LABEL BASE
latency() {
  rm -rf "$TRYGG_TEST_MAILDIR/new"/* 2>/dev/null || true
  "$BIN/mail-latency" --url "$2" --maildir "$TRYGG_TEST_MAILDIR" --smtp "${TRYGG_TEST_SMTP_URL#smtp://}" \
    --count "$MAIL_COUNT" --rate "$MAIL_RATE" --label "$1" | jq -c --arg b "$1" '. + {backend: $b, kind: "mail"}' >>"$RESULTS"
}

# drain LABEL SERVERS: inserts $JOBS_COUNT jobs and times until all are done (PostgreSQL).
drain() {
  local psql=("$PG_BIN/psql" -q -X -t -A "$PG_URL") t0 t1 done_n=0 twice
  "${psql[@]}" -c "DELETE FROM jobs WHERE unique_key LIKE 'bench:%'" >/dev/null
  t0="$(date +%s%N)"
  "${psql[@]}" -c "INSERT INTO jobs (id, kind, unique_key, payload, run_at, max_attempts, created_at)
    SELECT gen_random_uuid(), 'mail.urgent_report', 'bench:' || g, '{\"report_ids\":[\"' || gen_random_uuid() || '\"]}', 0, 8, 0
    FROM generate_series(1, $JOBS_COUNT) g" >/dev/null
  for _ in $(seq 1 1200); do
    done_n="$("${psql[@]}" -c "SELECT count(*) FROM jobs WHERE unique_key LIKE 'bench:%' AND state = 'done'")"
    [ "$done_n" -ge "$JOBS_COUNT" ] && break
    sleep 0.05
  done
  t1="$(date +%s%N)"
  twice="$("${psql[@]}" -c "SELECT count(*) FROM jobs WHERE unique_key LIKE 'bench:%' AND attempts > 1")"
  jq -nc --arg l "$1" --argjson s "$2" --argjson n "$done_n" --argjson ns "$((t1 - t0))" --argjson twice "$twice" \
    '{backend: "postgres", kind: "drain", label: $l, servers: $s, done: $n, seconds: ($ns / 1e9), per_second: ($n / ($ns / 1e9)), claimed_twice: $twice}' >>"$RESULTS"
}

SECRET="$(head -c 32 /dev/urandom | base64)"
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
smtp_start

say "SQLite, one server: submits with and without jobs, then 201 → mail"
port="$(free_port)"
WORKER=false trygg sqlite "$port" "sqlite://$WORK/trygg.db"
ab sqlite "http://127.0.0.1:$port"
stop_all
port="$(free_port)"
trygg sqlite-mail "$port" "sqlite://$WORK/mail.db"
latency sqlite "http://127.0.0.1:$port"
stop_all

if [ -z "${BENCH_SKIP_PG:-}" ]; then
  say "PostgreSQL: one server for the submits, then two behind HAProxy for 201 → mail"
  pg_start
  "$PG_BIN/psql" -q -X "$TRYGG_TEST_PG_URL" -c "CREATE DATABASE trygg_jobs" >/dev/null
  "$PG_BIN/psql" -q -X "$TRYGG_TEST_PG_URL" -c "CREATE DATABASE trygg_mail" >/dev/null
  PG_URL="${TRYGG_TEST_PG_URL%/postgres}/trygg_jobs"
  "$BIN/ceiling-db" --postgres "$PG_URL" --json | tail -n 1 | jq -c '. + {kind: "ceiling"}' >>"$RESULTS"
  a="$(free_port)"
  WORKER=false trygg pg-submits "$a" "$PG_URL"
  ab postgres "http://127.0.0.1:$a"
  stop_all
  PG_URL="${TRYGG_TEST_PG_URL%/postgres}/trygg_mail"
  a="$(free_port)"
  trygg pg-a "$a" "$PG_URL"
  drain "1 server" 1
  b="$(free_port)" lb="$(free_port)"
  trygg pg-b "$b" "$PG_URL"
  drain "2 servers" 2
  command -v haproxy >/dev/null || { echo "bench/jobs.sh needs haproxy for the two-server run" >&2; exit 1; }
  printf 'defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\nfrontend trygg\n  bind 127.0.0.1:%s\n  default_backend servers\nbackend servers\n  balance roundrobin\n  server a 127.0.0.1:%s\n  server b 127.0.0.1:%s\n' \
    "$lb" "$a" "$b" >"$WORK/haproxy.cfg"
  haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$lb"
  latency "postgres, 2 servers + HAProxy" "http://127.0.0.1:$lb"
  stop_all
  pg_stop
fi
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"

# ---------- report ----------
med() { jq -s "[.[] | select(.backend==\"$1\" and .kind==\"$2\") | $3] | sort | .[(length-1)/2|floor]" "$RESULTS"; }
report() {
  echo "### Jobs on the submit path and 201 → mail ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" describe --always --dirty))"
  echo
  echo "Load average $LOAD_BEFORE before, $LOAD_AFTER after. $ROUNDS alternated rounds of ${SECS} s, $CLIENTS clients."
  echo
  echo "| backend | routine submits/s (median) | urgent submits/s (median) | urgent ÷ routine | target ≥ 0.90 | routine p99 | urgent p99 |"
  echo "|---|---:|---:|---:|---|---:|---:|"
  for be in sqlite postgres; do
    local r u
    r="$(med "$be" routine .throughput)"; u="$(med "$be" urgent .throughput)"
    [ "$r" = null ] && continue
    awk -v be="$be" -v r="$r" -v u="$u" -v rp="$(med "$be" routine .p99_ms)" -v up="$(med "$be" urgent .p99_ms)" 'BEGIN {
      x = u / r; printf "| %s | %.0f | %.0f | %.2f | %s | %s ms | %s ms |\n", be, r, u, x, (x >= 0.9 ? "met" : "**missed**"), rp, up }'
  done
  echo
  echo "| 201 → mail accepted | reports | mailed alone | batch mails | p50 | p99 | max | bare SMTP send p50 / p99 | target p99 ≤ 2 s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  jq -r 'select(.kind=="mail") | "| \(.label) | \(.created) | \(.mailed_alone) | \(.batch_mails) | \(.created_to_mail.p50_ms) ms | \(.created_to_mail.p99_ms) ms | \(.created_to_mail.max_ms) ms | \(.bare_smtp_send.p50_ms) / \(.bare_smtp_send.p99_ms) ms | \(if .created_to_mail.p99_ms <= 2000 then "met" else "**missed**" end) |"' "$RESULTS"
  echo
  echo "| job throughput (PostgreSQL, $JOBS_COUNT jobs) | jobs done | seconds | jobs/s | claimed twice |"
  echo "|---|---:|---:|---:|---:|"
  jq -r 'select(.kind=="drain") | "| \(.label) | \(.done) | \(.seconds * 100 | round / 100) | \(.per_second | round) | \(.claimed_twice) |"' "$RESULTS"
  jq -r 'select(.kind=="ceiling") | "| ceiling: single-row durable commits (ceiling-db) | | | \(.single_commits_per_s | round) | |"' "$RESULTS"
}
report | tee "$OUT/jobs.md"
