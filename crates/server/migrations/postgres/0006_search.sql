-- Free-text search over what happened and where ('simple' configuration: no stemming, so
-- Swedish and English words match as typed, by prefix), and an index per inbox filter so that
-- a filtered page walks only matching rows.
-- A stored column (not an expression index) so that the planner has statistics on its words:
-- a rare word then goes through the GIN index, a common one walks the newest rows.
ALTER TABLE reports ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', description || ' ' || COALESCE(location, ''))) STORED;
CREATE INDEX reports_search ON reports USING GIN (search);

CREATE INDEX reports_severity_seq ON reports (severity, seq);
CREATE INDEX reports_kind_seq ON reports (kind, seq);
CREATE INDEX reports_role_seq ON reports (role, seq);
CREATE INDEX reports_phase_seq ON reports (phase, seq);
CREATE INDEX reports_assignee_seq ON reports (assignee_id, seq);
CREATE INDEX reports_received_at ON reports (received_at);
-- The per-status counts under any filter read only this index (no table lookups).
CREATE INDEX reports_triage ON reports (status, kind, role, phase, severity, assignee_id, received_at);
