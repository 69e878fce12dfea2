#!/usr/bin/env bash
# Runs inside scripts/e2e.sh (BASE_URL set): Lighthouse RUNS times per page, median per category.
set -euo pipefail
work="$(mktemp -d /tmp/trygg-lh.XXXXXX)"
trap 'rm -rf "$work"' EXIT
echo "## Lighthouse (mobile) — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), lighthouse $("$LH/node_modules/.bin/lighthouse" --version)"
echo
echo "| page | performance | accessibility | best practices | FCP | TTI | TBT | transfer |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for page in / /rapport /folj-upp; do
  for i in $(seq 1 "$RUNS"); do
    "$LH/node_modules/.bin/lighthouse" "$BASE_URL$page" --quiet \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
      --output=json --output-path="$work/run-$i.json" >/dev/null 2>"$work/err-$i.txt" ||
      { cat "$work/err-$i.txt" >&2; exit 1; }
  done
  python3 - "$page" "$work" "$RUNS" <<'PY'
import json, statistics, sys
page, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
reports = [json.load(open(f"{work}/run-{i}.json")) for i in range(1, runs + 1)]
def score(cat):
    return round(statistics.median(r["categories"][cat]["score"] * 100 for r in reports))
def ms(audit):
    return statistics.median(r["audits"][audit]["numericValue"] for r in reports)
kb = statistics.median(r["audits"]["total-byte-weight"]["numericValue"] for r in reports) / 1000
print(f"| `{page}` | {score('performance')} | {score('accessibility')} | {score('best-practices')} | "
      f"{ms('first-contentful-paint'):.0f} ms | {ms('interactive'):.0f} ms | {ms('total-blocking-time'):.0f} ms | {kb:.1f} KB |")
PY
done
