#!/usr/bin/env bash
# Installs what Trygg's build and tests need, skipping whatever is already there.
# Usage: scripts/install.sh [client] [test]   (no argument = everything)
# Sourced by run.sh and test.sh. Nothing here downloads a browser or a toolchain of its own:
# only crates.io, npm, PyPI and Debian packages are used.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BINARYEN_DIR="$ROOT/tools/node_modules/.bin"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
ci() { [ "${CI:-}" = "true" ]; }

APT_UPDATED=0
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$APT_UPDATED" = 0 ]; then
    $sudo apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

wasm_bindgen_version() {
  # The exact wasm-bindgen in Cargo.lock; the CLI must match it.
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock"
}

ensure_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || {
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  }
  have cargo-clippy || rustup component add clippy
  have rustfmt || rustup component add rustfmt
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (the newest that builds on rustc 1.95; ~6 min)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock; ~2 min)"
    # Not --locked: its lockfile pins a crate the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_npm_dir() { # $1 = folder with package.json and package-lock.json
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    say "installing npm packages in ${1#"$ROOT"/}"
    (cd "$1" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_node() {
  have npm || { say "installing Node.js and npm"; apt_install nodejs npm; }
}

ensure_brotli() {
  have brotli || { say "installing brotli"; apt_install brotli; }
}

ensure_chromium() {
  if ! have chromium; then
    say "installing Debian's chromium"
    apt_install chromium || true
  fi
  if ! have chromium; then
    if ci; then echo "CI=true and chromium could not be installed" >&2; exit 1; fi
    return 1
  fi
}

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres() {
  if [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/initdb" ]; then
    say "installing PostgreSQL"
    apt_install postgresql || true
  fi
  if [ -z "$(pg_bin_dir)" ]; then
    if ci; then echo "CI=true and PostgreSQL could not be installed" >&2; exit 1; fi
    return 1
  fi
}

ensure_haproxy() {
  # The scale-out test (crates/server/tests/scaleout.rs) puts Debian's HAProxy in front of two servers.
  have haproxy || { say "installing HAProxy (Debian's package)"; apt_install haproxy || true; }
  if ! have haproxy; then
    if ci; then echo "CI=true and haproxy could not be installed" >&2; exit 1; fi
    return 1
  fi
}

have_aiosmtpd() { /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; }

ensure_aiosmtpd() {
  # The mail tests send to a throwaway SMTP sink (scripts/smtp.sh) run by Debian's python3
  # (pyenv's python3 may come first on PATH and lack the module).
  have_aiosmtpd || { say "installing aiosmtpd (Debian's python3-aiosmtpd)"; apt_install python3-aiosmtpd || true; }
  if ! have_aiosmtpd; then
    if ci; then echo "CI=true and python3-aiosmtpd could not be installed" >&2; exit 1; fi
    return 1
  fi
}

install_client() {
  ensure_rust
  ensure_node
  ensure_npm_dir "$ROOT/tools"
  ensure_brotli
  ensure_trunk
  ensure_wasm_bindgen
}

install_test() {
  ensure_rust
  ensure_node
  ensure_npm_dir "$ROOT/tests/e2e"
  ensure_chromium || say "chromium is missing: browser tests will be skipped"
  ensure_postgres || say "PostgreSQL is missing: its tests will be skipped"
  ensure_haproxy || say "HAProxy is missing: the scale-out test will be skipped"
  ensure_aiosmtpd || say "aiosmtpd is missing: the mail tests will be skipped"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  parts=("$@")
  [ ${#parts[@]} -gt 0 ] || parts=(client test)
  for p in "${parts[@]}"; do "install_$p"; done
fi
