-- Risk flags for crews (issue 17): a flag on an address, raised from a report, approved by a
-- second coordinator, ending by itself. The address is sealed and found by a keyed hash of its
-- normalised key (`address_index`), so a copy of the database holds no list of flagged places.
CREATE TABLE flags (
    id                  BLOB    PRIMARY KEY,
    report_id           BLOB    NOT NULL REFERENCES reports (id),
    address_index       TEXT    NOT NULL,
    address_sealed      TEXT    NOT NULL,
    level               TEXT    NOT NULL CHECK (level IN ('caution', 'police_escort')),
    category            TEXT    NOT NULL CHECK (category IN ('weapon', 'violence', 'threats', 'dog', 'other')),
    guidance_sv         TEXT    NOT NULL,
    guidance_en         TEXT    NOT NULL,
    reason_sealed       TEXT    NOT NULL,
    ends_at             INTEGER NOT NULL,
    review_at           INTEGER NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('proposed', 'active', 'lifted')),
    proposed_by         BLOB    NOT NULL REFERENCES users (id),
    approved_by         BLOB    REFERENCES users (id),
    informed_at         INTEGER,
    not_informed_sealed TEXT,
    created_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX flags_by_address ON flags (address_index, state);
CREATE INDEX flags_by_report ON flags (report_id);
CREATE INDEX flags_by_review ON flags (state, review_at);

-- A dispatch system's look-up token: only the SHA-256 of the token is kept.
CREATE TABLE lookup_tokens (
    id          BLOB    PRIMARY KEY,
    name        TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_by  BLOB    NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

-- Every look-up: who (an account or a token), when, the keyed hashes of the address asked
-- (never the address), whether a flag matched, and the purpose (sealed).
CREATE TABLE flag_lookups (
    id              BLOB    PRIMARY KEY,
    at              INTEGER NOT NULL,
    user_id         BLOB    REFERENCES users (id),
    token_id        BLOB    REFERENCES lookup_tokens (id),
    address_index   TEXT    NOT NULL,
    building_index  TEXT    NOT NULL,
    matched         INTEGER NOT NULL,
    purpose_sealed  TEXT    NOT NULL,
    CHECK ((user_id IS NULL) <> (token_id IS NULL))
);
CREATE INDEX flag_lookups_by_address ON flag_lookups (address_index);
CREATE INDEX flag_lookups_by_building ON flag_lookups (building_index);
CREATE INDEX flag_lookups_by_time ON flag_lookups (at);
