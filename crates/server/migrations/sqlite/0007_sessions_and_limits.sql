-- Throttle windows carry their end, so that windows that are over can be purged (store/purge.rs).
-- The rows written before are dropped: their keys were unsalted SHA-256 of client addresses and
-- e-mails (now HMAC keys under the server's secret), and they count at most one window.
DELETE FROM rate_limits;
ALTER TABLE rate_limits ADD COLUMN until_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX rate_limits_until ON rate_limits (until_ms);
-- Purges of expired sessions and of old replay rows look these up by time.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX receipt_replays_created_at ON receipt_replays (created_at);
-- Sessions opened before this version took `mfa_ok` from the account at sign-in (true for an
-- account without two-factor), so one opened before its account enrolled may count as signed in
-- without a code ever entered. They cannot be told apart from honest ones: every session ends
-- here, and everyone signs in once more.
DELETE FROM sessions;
