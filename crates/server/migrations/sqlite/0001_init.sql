-- Trygg schema, SQLite flavour. Instants are Unix milliseconds (INTEGER) on both backends so that
-- comparisons and ordering behave identically; ids are UUIDs (BLOB here, UUID in PostgreSQL).

CREATE TABLE reports (
    seq                     INTEGER PRIMARY KEY,
    id                      BLOB    NOT NULL UNIQUE,
    idempotency_key         BLOB    NOT NULL UNIQUE,
    request_hash            TEXT    NOT NULL,
    receipt_hash            TEXT    NOT NULL UNIQUE,
    received_at             INTEGER NOT NULL,
    occurred_at             INTEGER NOT NULL,
    kind                    TEXT    NOT NULL,
    channel                 TEXT    NOT NULL,
    location                TEXT,
    description             TEXT    NOT NULL,
    perpetrator             TEXT,
    perpetrator_description TEXT,
    witnesses               TEXT,
    injury                  INTEGER NOT NULL,
    damage                  INTEGER NOT NULL,
    sick_leave              INTEGER NOT NULL,
    police_reported         INTEGER NOT NULL,
    police_case_number      TEXT,
    role                    TEXT    NOT NULL,
    phase                   TEXT,
    unit                    TEXT,
    identity                TEXT    NOT NULL,
    reporter_name           TEXT,
    reporter_phone          TEXT,
    reporter_email          TEXT,
    help_call_me            INTEGER NOT NULL,
    help_support            INTEGER NOT NULL,
    help_police             INTEGER NOT NULL,
    status                  TEXT    NOT NULL DEFAULT 'new',
    severity                TEXT,
    CHECK (identity <> 'anonymous'
           OR (reporter_name IS NULL AND reporter_phone IS NULL AND reporter_email IS NULL))
);

-- The plaintext receipt code, kept only so that a retried submit (same idempotency key) can be
-- answered with the same receipt. Lookups go through reports.receipt_hash.
CREATE TABLE receipt_replays (
    report_id    BLOB    PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    receipt_code TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE TABLE users (
    id            BLOB    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('coordinator', 'admin')),
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Server-side sessions: only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
