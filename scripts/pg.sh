#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a free loopback port, for tests. Source it, then call
# `pg_start` (exports TRYGG_TEST_PG_URL) and `pg_stop` (also run from an EXIT trap).
PG_DIR=""
pg_start() {
  local bin port owner=()
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$bin/initdb" ] || { echo "PostgreSQL binaries not found" >&2; return 1; }
  PG_DIR="$(mktemp -d /tmp/trygg-pg.XXXXXX)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    owner=(runuser -u postgres --)
  fi
  "${owner[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${owner[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null || {
    cat "$PG_DIR/server.log" >&2; return 1; }
  PG_BIN="$bin"
  PG_OWNER=("${owner[@]}")
  export TRYGG_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}
pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
