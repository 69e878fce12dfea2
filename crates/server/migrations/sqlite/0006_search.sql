-- Free-text search over what happened and where (FTS5, Unicode case folding, å/ä/ö kept
-- distinct), and an index per inbox filter so that a filtered page walks only matching rows.
-- Reports are never edited, so the index follows inserts (and deletes, for a retention purge).
CREATE VIRTUAL TABLE reports_fts USING fts5(
    description, location, content = 'reports', content_rowid = 'seq',
    tokenize = "unicode61 remove_diacritics 0"
);
INSERT INTO reports_fts (rowid, description, location)
    SELECT seq, description, COALESCE(location, '') FROM reports;
CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
    INSERT INTO reports_fts (rowid, description, location) VALUES (new.seq, new.description, COALESCE(new.location, ''));
END;
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, location)
        VALUES ('delete', old.seq, old.description, COALESCE(old.location, ''));
END;

CREATE INDEX reports_severity_seq ON reports (severity, seq);
CREATE INDEX reports_kind_seq ON reports (kind, seq);
CREATE INDEX reports_role_seq ON reports (role, seq);
CREATE INDEX reports_phase_seq ON reports (phase, seq);
CREATE INDEX reports_assignee_seq ON reports (assignee_id, seq);
CREATE INDEX reports_received_at ON reports (received_at);
-- The per-status counts under any filter read only this index (no table lookups).
CREATE INDEX reports_triage ON reports (status, kind, role, phase, severity, assignee_id, received_at);
