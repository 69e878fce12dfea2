#!/usr/bin/env bash
# Every test of Trygg, in order: formatting, lints, unit tests, API tests against SQLite and a
# throwaway PostgreSQL, then the release build of the app driven by headless Chromium.
# Installs what is missing first. Under CI=true a missing PostgreSQL or browser is a failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/install.sh"
source "$ROOT/scripts/pg.sh"
source "$ROOT/scripts/smtp.sh"
cd "$ROOT"

install_client
install_test

E2E_DIR=""
cleanup() {
  [ -z "$E2E_DIR" ] || rm -rf "$E2E_DIR"
  pg_stop
  smtp_stop
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

if have_aiosmtpd; then
  say "starting a throwaway SMTP server (aiosmtpd, Maildir)"
  smtp_start
elif ci; then
  echo "CI=true and aiosmtpd is missing" >&2
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
say "bundle budgets (budgets.txt): first load of each app, brotli"
"$ROOT/scripts/budget.sh"
"$ROOT/scripts/budget.sh" --self-test
# `cargo test` above already built the server binary (its integration tests run it); a separate
# `cargo build` would unify features differently and recompile most dependencies.
[ -x target/debug/trygg-server ] || cargo build -p trygg-server
E2E_DIR="$(mktemp -d /tmp/trygg-e2e.XXXXXX)"
SERVER_BIN="$ROOT/target/debug/trygg-server" DIST="$ROOT/dist" E2E_DIR="$E2E_DIR" "$ROOT/scripts/e2e.sh" \
  bash -c 'npx playwright test && echo "==> contract test: schemathesis against /api/openapi.json" >&2 && ../contract/run.sh'
