-- Administration of content and retention (issue 13, items 1, 2 and 5).
--
-- Situations as data: the reporter roles become rows of `reporter_roles`, which checklists
-- reference, instead of a CHECK list, so that an administrator can add a role ("other staff")
-- without a migration. SQLite cannot drop a CHECK: checklist_items is rebuilt, keeping every
-- id (a reporter's ticks on the device are stored by item id).
-- Every checklist item and contact carries a `version` for the admins' optimistic concurrency
-- (an edit names the version it started from; a stale one is answered 409 with the newer row).

CREATE TABLE reporter_roles (
    role     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL,
    name_sv  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL
);
INSERT INTO reporter_roles (role, position, name_sv, name_en) VALUES
    ('healthcare', 1, 'Vårdpersonal', 'Healthcare staff'),
    ('elected_official', 2, 'Förtroendevald', 'Elected official');

CREATE TABLE checklist_items_new (
    id         INTEGER PRIMARY KEY,
    role       TEXT    NOT NULL REFERENCES reporter_roles (role),
    phase      TEXT    NOT NULL CHECK (phase IN ('before', 'during', 'after')),
    position   INTEGER NOT NULL,
    text_sv    TEXT    NOT NULL,
    text_en    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (role, phase, position)
);
INSERT INTO checklist_items_new (id, role, phase, position, text_sv, text_en, updated_at)
    SELECT id, role, phase, position, text_sv, text_en, updated_at FROM checklist_items;
DROP TABLE checklist_items;
ALTER TABLE checklist_items_new RENAME TO checklist_items;

ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Settings an administrator changes, one row each, versioned like the content.
-- `content_version` counts every change of checklists or contacts: the ETag of GET /api/content.
-- `retention_months`: how long a closed report is kept after it was closed.
CREATE TABLE settings (
    name       TEXT    PRIMARY KEY,
    value      INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO settings (name, value) VALUES ('content_version', 1), ('retention_months', 24);

-- De-identified facts of purged reports, for statistics that outlive the reports (issue 16).
-- No report id, no text, no identity, no place: written by the retention purge just before a
-- report is deleted, and never touched by it.
CREATE TABLE report_facts (
    seq             INTEGER PRIMARY KEY,
    week            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    phase           TEXT,
    severity        TEXT,
    unit            TEXT,
    urgency         TEXT    NOT NULL,
    received_at     INTEGER NOT NULL,
    first_answer_at INTEGER,
    closed_at       INTEGER
);
CREATE INDEX report_facts_week ON report_facts (week);
