-- Risk flags for crews (issue 17): a flag on an address, raised from a report, approved by a
-- second coordinator, ending by itself. The address is sealed and found by a keyed hash of its
-- normalised key (`address_index`), so a copy of the database holds no list of flagged places.
CREATE TABLE flags (
    id                  UUID    PRIMARY KEY,
    report_id           UUID    NOT NULL REFERENCES reports (id),
    address_index       TEXT    NOT NULL,
    address_sealed      TEXT    NOT NULL,
    level               TEXT    NOT NULL CHECK (level IN ('caution', 'police_escort')),
    category            TEXT    NOT NULL CHECK (category IN ('weapon', 'violence', 'threats', 'dog', 'other')),
    guidance_sv         TEXT    NOT NULL,
    guidance_en         TEXT    NOT NULL,
    reason_sealed       TEXT    NOT NULL,
    ends_at             BIGINT  NOT NULL,
    review_at           BIGINT  NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('proposed', 'active', 'lifted')),
    proposed_by         UUID    NOT NULL REFERENCES users (id),
    approved_by         UUID    REFERENCES users (id),
    informed_at         BIGINT,
    not_informed_sealed TEXT,
    created_at          BIGINT  NOT NULL,
    version             BIGINT  NOT NULL
);
CREATE INDEX flags_by_address ON flags (address_index, state);
CREATE INDEX flags_by_report ON flags (report_id);
CREATE INDEX flags_by_review ON flags (state, review_at);

-- A dispatch system's look-up token: only the SHA-256 of the token is kept.
CREATE TABLE lookup_tokens (
    id          UUID    PRIMARY KEY,
    name        TEXT    NOT NULL,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_by  UUID    NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT
);

-- Every look-up: who (an account or a token), when, the keyed hashes of the address asked
-- (never the address), whether a flag matched, and the purpose (sealed).
CREATE TABLE flag_lookups (
    id              UUID    PRIMARY KEY,
    at              BIGINT  NOT NULL,
    user_id         UUID    REFERENCES users (id),
    token_id        UUID    REFERENCES lookup_tokens (id),
    address_index   TEXT    NOT NULL,
    building_index  TEXT    NOT NULL,
    matched         BOOLEAN NOT NULL,
    purpose_sealed  TEXT    NOT NULL,
    CHECK ((user_id IS NULL) <> (token_id IS NULL))
);
CREATE INDEX flag_lookups_by_address ON flag_lookups (address_index);
CREATE INDEX flag_lookups_by_building ON flag_lookups (building_index);
CREATE INDEX flag_lookups_by_time ON flag_lookups (at);
