-- Safety check-ins (issue 19): "check on me at 21:00". A person who gives a name and a phone
-- number sets a time; if they have not checked in by then plus a grace period, a job
-- (`checkin.due`, run_at = due_at + grace_ms) turns the check-in from 'active' to 'alerted' with
-- one conditional UPDATE and enqueues the alert mail in the same transaction, so several servers
-- alert exactly once. The device holds a secret token; only its SHA-256 is kept. Name, phone and
-- where are sealed (one JSON under the server's key); so is the coordinator's note.
-- A check-in is deleted a few hours after it ended (`ended_at`, store/checkins.rs).
CREATE TABLE checkins (
    id               BLOB    PRIMARY KEY,
    token_hash       TEXT    NOT NULL UNIQUE,
    details_sealed   TEXT    NOT NULL,
    alert_target     TEXT    NOT NULL DEFAULT 'on_duty' CHECK (alert_target IN ('on_duty')),
    due_at           INTEGER NOT NULL,
    grace_ms         INTEGER NOT NULL,
    state            TEXT    NOT NULL
                     CHECK (state IN ('active', 'safe', 'alerted', 'acknowledged', 'late_all_clear')),
    created_at       INTEGER NOT NULL,
    alerted_at       INTEGER,
    checked_in_at    INTEGER,
    acknowledged_at  INTEGER,
    acknowledged_by  BLOB    REFERENCES users (id) ON DELETE SET NULL,
    note_sealed      TEXT,
    ended_at         INTEGER,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checkins_open ON checkins (state, alerted_at);
CREATE INDEX checkins_ended ON checkins (ended_at);
