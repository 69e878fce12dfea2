#!/usr/bin/env bash
# A throwaway SMTP server on a free loopback port that writes each message it accepts to a
# Maildir, for the mail tests. Source it, then call `smtp_start` (exports TRYGG_TEST_SMTP_URL and
# TRYGG_TEST_MAILDIR) and `smtp_stop` (also run from an EXIT trap). Uses Debian's
# /usr/bin/python3 with python3-aiosmtpd (scripts/install.sh: ensure_aiosmtpd).
SMTP_DIR=""
SMTP_PID=""
smtp_start() {
  local port i
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd is not installed" >&2; return 1; }
  SMTP_DIR="$(mktemp -d /tmp/trygg-smtp.XXXXXX)"
  port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$SMTP_DIR/maildir" \
    >"$SMTP_DIR/smtp.log" 2>&1 &
  SMTP_PID=$!
  for i in $(seq 1 100); do
    if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
      export TRYGG_TEST_SMTP_URL="smtp://127.0.0.1:$port"
      export TRYGG_TEST_MAILDIR="$SMTP_DIR/maildir"
      return 0
    fi
    sleep 0.05
  done
  cat "$SMTP_DIR/smtp.log" >&2
  smtp_stop
  return 1
}
smtp_stop() {
  # `wait` answers the killed server's status (143): under `set -e` in test.sh's EXIT trap that
  # would become the whole run's exit code.
  if [ -n "$SMTP_PID" ]; then
    kill "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
  fi
  [ -n "$SMTP_DIR" ] && rm -rf "$SMTP_DIR"
  SMTP_PID=""
  SMTP_DIR=""
  return 0
}
