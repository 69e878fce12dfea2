-- Throttle windows carry their end, so that windows that are over can be purged (store/purge.rs).
-- Rows written before this migration have 0 and go at the first purge (at most one window's counts).
ALTER TABLE rate_limits ADD COLUMN until_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX rate_limits_until ON rate_limits (until_ms);
-- Purges of expired sessions and of old replay rows look these up by time.
CREATE INDEX sessions_expires_at ON sessions (expires_at);
CREATE INDEX receipt_replays_created_at ON receipt_replays (created_at);
