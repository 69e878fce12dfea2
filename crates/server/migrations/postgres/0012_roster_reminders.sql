-- The on-duty roster (a weekly pattern of slots, dated exceptions, a fallback address for hours
-- nobody covers), and each report's urgency kept from intake for the reminder rule.

-- A slot: from a weekday (1 = Monday … 7 = Sunday) and minute of the day to another, on the
-- region's wall clock (Europe/Stockholm); may run over midnight or several days.
CREATE TABLE roster_slots (
    position  INTEGER NOT NULL PRIMARY KEY,
    start_day INTEGER  NOT NULL CHECK (start_day BETWEEN 1 AND 7),
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_day   INTEGER  NOT NULL CHECK (end_day BETWEEN 1 AND 7),
    end_min   INTEGER NOT NULL CHECK (end_min BETWEEN 0 AND 1439),
    user_id   UUID    NOT NULL REFERENCES users (id)
);

-- An exception: a dated wall-clock interval (as the admin wrote it) and the instants it means;
-- user_id NULL = nobody on duty then.
CREATE TABLE roster_exceptions (
    position     INTEGER NOT NULL PRIMARY KEY,
    starts_local TEXT    NOT NULL,
    ends_local   TEXT    NOT NULL,
    starts_at    BIGINT  NOT NULL,
    ends_at      BIGINT  NOT NULL,
    user_id      UUID    REFERENCES users (id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX roster_exceptions_span ON roster_exceptions (starts_at, ends_at);

-- The roster as one document: its version (edits carry the version they started from) and the
-- fallback address.
CREATE TABLE roster_settings (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    version        BIGINT  NOT NULL,
    fallback_email TEXT,
    updated_at     BIGINT  NOT NULL
);
INSERT INTO roster_settings (id, version, fallback_email, updated_at) VALUES (1, 1, NULL, 0);

-- Urgency as the domain's rule decided it at intake (trygg_domain::Urgency); reports written
-- before this column get the same rule in SQL.
ALTER TABLE reports ADD COLUMN urgent BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE reports SET urgent = TRUE WHERE kind = 'violence' OR injury OR phase = 'during' OR help_call_me;

-- The reminder rule reads open reports only: unanswered ones by arrival, all by last activity.
CREATE INDEX reports_unanswered ON reports (received_at) WHERE last_answer_at IS NULL AND status <> 'closed';
CREATE INDEX reports_open_activity ON reports (updated_at, received_at) WHERE status <> 'closed';
