-- Coordination: triage fields, a timeline of every change, internal notes and messages with the
-- reporter, per-coordinator read markers, a hash-chained access log, and shared rate limits.

ALTER TABLE reports ADD COLUMN assignee_id BLOB REFERENCES users (id);
ALTER TABLE reports ADD COLUMN closed_reason TEXT;
ALTER TABLE reports ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
-- When a coordinator last wrote to the reporter / the reporter last wrote (badges, unread).
ALTER TABLE reports ADD COLUMN last_answer_at INTEGER;
ALTER TABLE reports ADD COLUMN last_reporter_at INTEGER;
CREATE INDEX reports_status_seq ON reports (status, seq);

-- Timeline: status/severity/assignee changes, internal notes, and messages both ways.
CREATE TABLE report_events (
    seq       INTEGER PRIMARY KEY,
    report_id BLOB    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL CHECK (actor IN ('coordinator', 'reporter')),
    user_id   BLOB    REFERENCES users (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('status', 'severity', 'assignee', 'note', 'message')),
    body      TEXT,
    detail    TEXT
);
CREATE INDEX report_events_report ON report_events (report_id, seq);

CREATE TABLE report_reads (
    report_id BLOB    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id   BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at   INTEGER NOT NULL,
    PRIMARY KEY (report_id, user_id)
);

-- Append-only access log. Each entry's hash covers its fields and the previous entry's hash, so
-- an edited or deleted row breaks the chain. audit_head serialises appends across servers.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    user_id   BLOB,
    action    TEXT    NOT NULL,
    report_id BLOB,
    reason    TEXT,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Fixed-window counters shared by every server (login and receipt-code throttling).
CREATE TABLE rate_limits (
    key TEXT    NOT NULL,
    win INTEGER NOT NULL,
    n   INTEGER NOT NULL,
    PRIMARY KEY (key, win)
);
