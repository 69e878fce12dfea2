-- Two-factor sign-in (TOTP, RFC 6238) with single-use recovery codes. A session is only fully
-- signed in (mfa_ok) after the second factor, for accounts that have enrolled.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
-- The last accepted 30-second step: a code is never accepted twice (replay protection).
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mfa_ok INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    user_id   BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);
