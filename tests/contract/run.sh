#!/usr/bin/env bash
# Contract test: schemathesis (PyPI) fuzzes every operation of /api/openapi.json on BASE_URL and
# fails on any server error, undocumented status, or response that violates the schema.
# Needs E2E_CONTRACT_EMAIL/E2E_CONTRACT_PASSWORD of an existing administrator without 2FA (this
# script switches it on); the two sign-out operations are excluded so that the session lives
# through the run. The session's CSRF token goes on every request.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.tools/venv"
if [ ! -x "$VENV/bin/st" ] || [ "$("$VENV/bin/st" --version 2>/dev/null)" != "st, version 4.32.5" ]; then
  echo "==> installing schemathesis 4.32.5 (PyPI) into .tools/venv" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5
fi
jar="$(mktemp)"
trap 'rm -f "$jar"' EXIT
# Sign in with password, switch on TOTP (the server requires it) and keep the CSRF token.
login="$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$E2E_CONTRACT_EMAIL\",\"password\":\"$E2E_CONTRACT_PASSWORD\"}" "$BASE_URL/api/auth/login")"
csrf="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$login")"
secret="$(curl -fsS -b "$jar" -X POST -H "X-CSRF-Token: $csrf" "$BASE_URL/api/auth/totp/setup" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
code="$(python3 - "$secret" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
)"
# Switching TOTP on rotates the session token (new cookie into the jar, new CSRF token).
curl -fsS -b "$jar" -c "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d "{\"code\":\"$code\"}" "$BASE_URL/api/auth/totp/confirm" >/dev/null
csrf="$(curl -fsS -b "$jar" "$BASE_URL/api/auth/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
TRYGG_ST_SESSION="$(awk '$6 == "trygg_session" {print $7}' "$jar")"
# A real report, its receipt code and a real assignee, so that the operations on one report
# (`/api/reports/{id}`, its notes and messages, follow-up by receipt code) reach their core logic
# instead of answering 404 to random ids (schemathesis.toml feeds them in).
receipt="$(curl -fsS -H 'Content-Type: application/json' -H "Idempotency-Key: $(python3 -c 'import uuid; print(uuid.uuid4())')" \
  -d '{"kind":"threat","channel":"in_person","occurred_at":"2026-01-15T10:00:00+01:00","description":"Kontraktstestets rapport","role":"healthcare","identity":"anonymous"}' \
  "$BASE_URL/api/reports")"
TRYGG_ST_REPORT_ID="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$receipt")"
TRYGG_ST_RECEIPT="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["receipt_code"])' <<<"$receipt")"
TRYGG_ST_ASSIGNEE="$(curl -fsS -b "$jar" "$BASE_URL/api/coordinators" | python3 -c 'import json,sys; print(json.load(sys.stdin)["coordinators"][0]["id"])')"
export TRYGG_ST_SESSION TRYGG_ST_REPORT_ID TRYGG_ST_RECEIPT TRYGG_ST_ASSIGNEE
cd "$HERE"
"$VENV/bin/st" --config-file "$HERE/schemathesis.toml" --no-color run "$BASE_URL/api/openapi.json" \
  --header "X-CSRF-Token: $csrf" \
  --exclude-checks positive_data_acceptance \
  --exclude-operation-id logout \
  --exclude-operation-id logout_everywhere \
  --max-examples "${ST_MAX_EXAMPLES:-60}" \
  --seed "${ST_SEED:-20261124}" ${ST_EXTRA:-}
