-- Coordination: triage fields, a timeline of every change, internal notes and messages with the
-- reporter, per-coordinator read markers, a hash-chained access log, and shared rate limits.

ALTER TABLE reports ADD COLUMN assignee_id UUID REFERENCES users (id);
ALTER TABLE reports ADD COLUMN closed_reason TEXT;
ALTER TABLE reports ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN last_answer_at BIGINT;
ALTER TABLE reports ADD COLUMN last_reporter_at BIGINT;
CREATE INDEX reports_status_seq ON reports (status, seq);

CREATE TABLE report_events (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id UUID   NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at        BIGINT NOT NULL,
    actor     TEXT   NOT NULL CHECK (actor IN ('coordinator', 'reporter')),
    user_id   UUID   REFERENCES users (id),
    kind      TEXT   NOT NULL CHECK (kind IN ('status', 'severity', 'assignee', 'note', 'message')),
    body      TEXT,
    detail    TEXT
);
CREATE INDEX report_events_report ON report_events (report_id, seq);

CREATE TABLE report_reads (
    report_id UUID   NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id   UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at   BIGINT NOT NULL,
    PRIMARY KEY (report_id, user_id)
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    user_id   UUID,
    action    TEXT   NOT NULL,
    report_id UUID,
    reason    TEXT,
    prev_hash TEXT   NOT NULL,
    hash      TEXT   NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT  NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE rate_limits (
    key TEXT   NOT NULL,
    win BIGINT NOT NULL,
    n   BIGINT NOT NULL,
    PRIMARY KEY (key, win)
);
