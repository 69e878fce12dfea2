#!/usr/bin/env bash
# Starts a server (fresh SQLite file) on a free port over a built client, creates the test
# accounts, runs a command against it (default: every Playwright test), and stops the server.
#   SERVER_BIN  the trygg-server binary (default target/debug/trygg-server)
#   DIST        the built client (default dist/)
#   E2E_DIR     a scratch directory (default: a new temporary one, removed after)
# Usage: scripts/e2e.sh [command...]   e.g. scripts/e2e.sh npx playwright test report.spec.ts
# The command runs in tests/e2e with BASE_URL, E2E_EMAIL/E2E_PASSWORD (coordinator) and
# E2E_ADMIN_EMAIL/E2E_ADMIN_PASSWORD (administrator) set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_BIN="${SERVER_BIN:-$ROOT/target/debug/trygg-server}"
DIST="${DIST:-$ROOT/dist}"
own_dir=""
if [ -z "${E2E_DIR:-}" ]; then E2E_DIR="$(mktemp -d /tmp/trygg-e2e.XXXXXX)"; own_dir=1; fi
SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  [ -z "$own_dir" ] || rm -rf "$E2E_DIR"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$E2E_DIR/trygg.db"
export TRYGG_DIST_DIR="$DIST"
# The server's secret key lives beside the test database, never in the repository.
export TRYGG_SECRET_KEY_FILE="$E2E_DIR/secret.key"
[ -f "$TRYGG_SECRET_KEY_FILE" ] || (umask 077 && printf '1 %s\n' "$(head -c 32 /dev/urandom | base64)" >"$TRYGG_SECRET_KEY_FILE")
export E2E_EMAIL="samordnare@e2e.test" E2E_PASSWORD="ett långt lösenord för test"
export E2E_ADMIN_EMAIL="admin@e2e.test" E2E_ADMIN_PASSWORD="ett annat långt lösenord för test"
TRYGG_NEW_USER_PASSWORD="$E2E_PASSWORD" "$SERVER_BIN" create-user \
  --email "$E2E_EMAIL" --name "Sara Samordnare" --role coordinator >/dev/null
TRYGG_NEW_USER_PASSWORD="$E2E_ADMIN_PASSWORD" "$SERVER_BIN" create-user \
  --email "$E2E_ADMIN_EMAIL" --name "Adam Admin" --role admin,coordinator >/dev/null
export E2E_CONTRACT_EMAIL="kontrakt@e2e.test" E2E_CONTRACT_PASSWORD="ett tredje långt lösenord för test"
# The contract test's account is an administrator, so that schemathesis reaches every operation's
# core logic (the access log's too), not just its 403.
TRYGG_NEW_USER_PASSWORD="$E2E_CONTRACT_PASSWORD" "$SERVER_BIN" create-user \
  --email "$E2E_CONTRACT_EMAIL" --name "Kim Kontrakt" --role admin,coordinator >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# Every spec submits from 127.0.0.1, like a script: the per-address flood and guessing limits are lifted here
# (the API tests check them).
# No mail server here: a zero back-off lets a mail job fail after its last attempt at once, for
# the jobs page's spec (admin-jobs.spec.ts) to show and retry.
TRYGG_SUBMIT_MAX_PER_ADDRESS=1000000 TRYGG_MESSAGE_MAX_PER_ADDRESS=1000000 TRYGG_FOLLOWUP_MAX_FAILURES=1000000 \
  TRYGG_JOB_BACKOFF_SECONDS=0 TRYGG_JOB_POLL_MILLIS=100 \
  TRYGG_ADDR="127.0.0.1:$port" RUST_LOG=warn "$SERVER_BIN" >"$E2E_DIR/server.log" 2>&1 &
SERVER_PID=$!
export BASE_URL="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$BASE_URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$BASE_URL/healthz" >/dev/null || { cat "$E2E_DIR/server.log" >&2; exit 1; }
cd "$ROOT/tests/e2e"
if [ $# -eq 0 ]; then set -- npx playwright test; fi
# On failure the server's log comes first and the command's own last lines last, so that the end
# of the output (all a CI summary may show) names what failed rather than the server's chatter.
set +e
"$@" 2>&1 | tee "$E2E_DIR/command.log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 30 lines, without the mail jobs' expected failures) ---" >&2
  grep -v 'a job failed' "$E2E_DIR/server.log" | tail -30 | sed 's/\x1b\[[0-9;]*m//g' >&2
  echo "--- what failed: the command's last 40 lines again ---" >&2
  tail -40 "$E2E_DIR/command.log" | sed 's/\x1b\[[0-9;]*m//g' >&2
  exit "$status"
fi
