-- After an incident (issue 18 items 2–4): support tasks that are followed up, and per report the
-- police case number (K-number) a coordinator recorded, whether the reporter's address is kept out
-- of the police summary, and when the work-environment notice was sent. `reminded_level` and
-- `work_env_reminded` are the highest reminder level enqueued (each level is sent once). Both go with their
-- report (ON DELETE CASCADE), so the retention purge removes them with it.
CREATE TABLE support_tasks (
    id            UUID    PRIMARY KEY,
    report_id     UUID    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('call_back', 'debriefing', 'occupational_health',
                                                   'accompany_police', 'court_date', 'other')),
    due_on        TEXT    NOT NULL,
    due_at        BIGINT  NOT NULL,
    owner_id      UUID    NOT NULL REFERENCES users (id),
    note_sealed   TEXT,
    next_step     TEXT,
    done_at       BIGINT,
    done_by       UUID    REFERENCES users (id),
    created_by    UUID    NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    reminded_level BIGINT  NOT NULL DEFAULT 0,
    version       BIGINT  NOT NULL
);
CREATE INDEX support_tasks_by_report ON support_tasks (report_id);
CREATE INDEX support_tasks_open_by_due ON support_tasks (due_at) WHERE done_at IS NULL;

CREATE TABLE report_after (
    report_id           UUID    PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    police_case_number  TEXT,
    hide_address        BOOLEAN NOT NULL DEFAULT FALSE,
    work_env_sent_at    BIGINT,
    work_env_sent_by    UUID    REFERENCES users (id),
    work_env_reminded   BIGINT  NOT NULL DEFAULT 0,
    version             BIGINT  NOT NULL
);
