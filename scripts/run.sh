#!/usr/bin/env bash
# Builds the browser app and the server (profile "server": release, opt-level 3, unwinding), then serves Trygg on SQLite and prints the URL.
# Configuration: environment variables, see README.md (defaults: 127.0.0.1:8080, ./data/trygg.db).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/build-client.sh"
source "$ROOT/scripts/install.sh"
cd "$ROOT"
say 'building the server (release, profile "server")'
cargo build --profile server -p trygg-server
# The secret key seals TOTP secrets and reporters' names in the database and keys every hash of
# an address or e-mail. It is never in the database: a newcomer gets one here, once.
if [ -z "${TRYGG_SECRET_KEY:-}" ]; then
  KEY_FILE="${TRYGG_SECRET_KEY_FILE:-data/secret.key}"
  if [ ! -f "$KEY_FILE" ]; then
    mkdir -p "$(dirname "$KEY_FILE")"
    (umask 077 && target/server/trygg-server new-key >"$KEY_FILE.new" && mv "$KEY_FILE.new" "$KEY_FILE")
    say "created a new secret key in $KEY_FILE"
  fi
  case "$KEY_FILE" in /*) KEY_PATH="$KEY_FILE" ;; *) KEY_PATH="$ROOT/$KEY_FILE" ;; esac
  cat >&2 <<MSG
==> Secret key: $KEY_PATH
    Without it the sealed values in the database (TOTP secrets, reporters' names, phones and
    e-mails) cannot be read. Back it up, apart from the database: a backup that holds both
    gives both away.
MSG
fi
cat >&2 <<MSG
==> To sign in as a coordinator, create an account first (in another terminal):
    target/server/trygg-server create-user --email you@region.se --name "Your Name" --role admin,coordinator
MSG
exec target/server/trygg-server
