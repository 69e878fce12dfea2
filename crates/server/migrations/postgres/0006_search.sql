-- Free-text search over what happened and where ('simple' configuration: no stemming, so
-- Swedish and English words match as typed, by prefix), and an index per inbox filter so that
-- a filtered page walks only matching rows.
CREATE INDEX reports_search ON reports
    USING GIN (to_tsvector('simple', description || ' ' || COALESCE(location, '')));

CREATE INDEX reports_severity_seq ON reports (severity, seq);
CREATE INDEX reports_kind_seq ON reports (kind, seq);
CREATE INDEX reports_role_seq ON reports (role, seq);
CREATE INDEX reports_phase_seq ON reports (phase, seq);
CREATE INDEX reports_assignee_seq ON reports (assignee_id, seq);
CREATE INDEX reports_received_at ON reports (received_at);
