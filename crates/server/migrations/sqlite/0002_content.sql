-- Checklists per situation (role × phase) and the phone list, in Swedish and English.
-- Seeded with defaults from the region's routine; administrators edit them later (admin issue).

CREATE TABLE checklist_items (
    id         INTEGER PRIMARY KEY,
    role       TEXT    NOT NULL CHECK (role IN ('healthcare', 'elected_official')),
    phase      TEXT    NOT NULL CHECK (phase IN ('before', 'during', 'after')),
    position   INTEGER NOT NULL,
    text_sv    TEXT    NOT NULL,
    text_en    TEXT    NOT NULL,
    updated_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (role, phase, position)
);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    grp        TEXT    NOT NULL CHECK (grp IN ('emergency', 'region', 'support')),
    position   INTEGER NOT NULL,
    name_sv    TEXT    NOT NULL,
    name_en    TEXT    NOT NULL,
    phone      TEXT,
    note_sv    TEXT    NOT NULL DEFAULT '',
    note_en    TEXT    NOT NULL DEFAULT '',
    roles      TEXT    NOT NULL DEFAULT 'healthcare,elected_official',
    updated_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (grp, position)
);
