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
cat >&2 <<MSG
==> To sign in as a coordinator, create an account first (in another terminal):
    target/server/trygg-server create-user --email you@region.se --name "Your Name" --role admin
MSG
exec target/server/trygg-server
