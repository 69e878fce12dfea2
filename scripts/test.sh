#!/usr/bin/env bash
# Every test of Trygg, in order: formatting, lints, unit tests, API tests against SQLite and a
# throwaway PostgreSQL, then the release build of the app driven by headless Chromium.
# Installs what is missing first. Under CI=true a missing PostgreSQL or browser is a failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/install.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

install_client
install_test

SERVER_PID=""
E2E_DIR=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  [ -z "$E2E_DIR" ] || rm -rf "$E2E_DIR"
  pg_stop
}
trap cleanup EXIT

say "cargo fmt --check"
cargo fmt --all --check

say "cargo clippy (host, all targets) -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

if [ -n "$(pg_bin_dir)" ]; then
  say "starting a throwaway PostgreSQL cluster"
  pg_start
elif ci; then
  echo "CI=true and PostgreSQL is missing" >&2
  exit 1
fi

say "unit and API tests (SQLite${TRYGG_TEST_PG_URL:+ and PostgreSQL})"
cargo test --workspace

say "fuzzing the report parser and the submit body (short, bounded run)"
"$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"

say "browser end-to-end tests"
if ! have chromium; then
  if ci; then echo "CI=true and chromium is missing" >&2; exit 1; fi
  say "SKIPPED: chromium is not installed"
  exit 0
fi
"$ROOT/scripts/build-client.sh"
# `cargo test` above already built the server binary (its integration tests run it); a separate
# `cargo build` would unify features differently and recompile most dependencies.
[ -x target/debug/trygg-server ] || cargo build -p trygg-server
E2E_DIR="$(mktemp -d /tmp/trygg-e2e.XXXXXX)"
export DATABASE_URL="sqlite://$E2E_DIR/trygg.db"
export TRYGG_DIST_DIR="$ROOT/dist"
export E2E_EMAIL="samordnare@e2e.test" E2E_PASSWORD="ett långt lösenord för test"
TRYGG_NEW_USER_PASSWORD="$E2E_PASSWORD" target/debug/trygg-server create-user \
  --email "$E2E_EMAIL" --name "Sara Samordnare" --role coordinator >/dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
TRYGG_ADDR="127.0.0.1:$port" RUST_LOG=warn target/debug/trygg-server >"$E2E_DIR/server.log" 2>&1 &
SERVER_PID=$!
export BASE_URL="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$BASE_URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$BASE_URL/healthz" >/dev/null || { cat "$E2E_DIR/server.log" >&2; exit 1; }
(cd tests/e2e && npx playwright test)

say "contract test: schemathesis against /api/openapi.json"
tests/contract/run.sh
