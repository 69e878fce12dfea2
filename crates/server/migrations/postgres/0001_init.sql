-- Trygg schema, PostgreSQL flavour. Instants are Unix milliseconds (INTEGER) on both backends so that
-- comparisons and ordering behave identically; ids are UUIDs (BLOB here, UUID in PostgreSQL).

CREATE TABLE reports (
    seq                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                      UUID    NOT NULL UNIQUE,
    idempotency_key         UUID    NOT NULL UNIQUE,
    request_hash            TEXT    NOT NULL,
    receipt_hash            TEXT    NOT NULL UNIQUE,
    received_at             BIGINT  NOT NULL,
    occurred_at             BIGINT  NOT NULL,
    kind                    TEXT    NOT NULL,
    channel                 TEXT    NOT NULL,
    location                TEXT,
    description             TEXT    NOT NULL,
    perpetrator             TEXT,
    perpetrator_description TEXT,
    witnesses               TEXT,
    injury                  BOOLEAN NOT NULL,
    damage                  BOOLEAN NOT NULL,
    sick_leave              BOOLEAN NOT NULL,
    police_reported         BOOLEAN NOT NULL,
    police_case_number      TEXT,
    role                    TEXT    NOT NULL,
    phase                   TEXT,
    unit                    TEXT,
    identity                TEXT    NOT NULL,
    reporter_name           TEXT,
    reporter_phone          TEXT,
    reporter_email          TEXT,
    help_call_me            BOOLEAN NOT NULL,
    help_support            BOOLEAN NOT NULL,
    help_police             BOOLEAN NOT NULL,
    status                  TEXT    NOT NULL DEFAULT 'new',
    severity                TEXT,
    CHECK (identity <> 'anonymous'
           OR (reporter_name IS NULL AND reporter_phone IS NULL AND reporter_email IS NULL))
);

-- The plaintext receipt code, kept only so that a retried submit (same idempotency key) can be
-- answered with the same receipt. Lookups go through reports.receipt_hash.
CREATE TABLE receipt_replays (
    report_id    UUID    PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    receipt_code TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);

CREATE TABLE users (
    id            UUID    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('coordinator', 'admin')),
    password_hash TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

-- Server-side sessions: only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      UUID    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
