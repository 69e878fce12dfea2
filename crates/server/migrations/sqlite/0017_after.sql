-- After an incident (issue 18 items 2–4): support tasks that are followed up, and per report the
-- police case number (K-number) a coordinator recorded, whether the reporter's address is kept out
-- of the police summary, and when the work-environment notice was sent. `reminded_level` and
-- `work_env_reminded` are the highest reminder level enqueued (each level is sent once). Both go with their
-- report (ON DELETE CASCADE), so the retention purge removes them with it.
CREATE TABLE support_tasks (
    id            BLOB    PRIMARY KEY,
    report_id     BLOB    NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('call_back', 'debriefing', 'occupational_health',
                                                   'accompany_police', 'court_date', 'other')),
    due_on        TEXT    NOT NULL,
    due_at        INTEGER NOT NULL,
    owner_id      BLOB    NOT NULL REFERENCES users (id),
    note_sealed   TEXT,
    next_step     TEXT,
    done_at       INTEGER,
    done_by       BLOB    REFERENCES users (id),
    created_by    BLOB    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    reminded_level INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL
);
CREATE INDEX support_tasks_by_report ON support_tasks (report_id);
CREATE INDEX support_tasks_open_by_due ON support_tasks (due_at) WHERE done_at IS NULL;

CREATE TABLE report_after (
    report_id           BLOB    PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    police_case_number  TEXT,
    hide_address        INTEGER NOT NULL DEFAULT 0,
    work_env_sent_at    INTEGER,
    work_env_sent_by    BLOB    REFERENCES users (id),
    work_env_reminded   INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL
);
