-- Durable jobs (crates/server/src/store/jobs.rs): things to do later or elsewhere (mail,
-- reminders, the scheduler's tick), enqueued in the transaction of the change that causes them.
-- `unique_key` makes a retry or a second server's enqueue a no-op (ON CONFLICT DO NOTHING);
-- a claim is one conditional UPDATE that takes a lease (`lease_owner`, `lease_until`), so only one
-- server runs a job, and a crashed server's job is taken over once its lease has run out.
-- `payload` holds ids only (never report content); `last_error` no secrets and no content.
-- `report_id` lets the retention purge delete a report's jobs with it (ON DELETE CASCADE).
CREATE TABLE jobs (
    id           UUID    PRIMARY KEY,
    kind         TEXT    NOT NULL,
    unique_key   TEXT    NOT NULL UNIQUE,
    payload      TEXT    NOT NULL DEFAULT '{}',
    report_id    UUID    REFERENCES reports (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    run_at       BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    max_attempts BIGINT  NOT NULL,
    lease_owner  TEXT,
    lease_until  BIGINT,
    last_error   TEXT,
    created_at   BIGINT  NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_report ON jobs (report_id);
