-- Statistics over a million reports (issue 16): each report keeps its first answer and its
-- closing as columns, so that statistics aggregate with
-- GROUP BY instead of two correlated subqueries over the timeline per report. Triggers keep the
-- columns right whichever code writes the timeline or the status:
--   first_answer_at: the earliest coordinator *message* (never a note, never the reporter's);
--   closed_at:       when the report was last closed (the closing status event, else the
--                    report's updated_at at the closing); NULL while it is not closed;
-- (Whether the reporter got a closing reason is the report's `closed_reason`.) The purged
-- reports' facts keep that closing-feedback flag too (NULL for facts purged before).
ALTER TABLE reports ADD COLUMN first_answer_at INTEGER;
ALTER TABLE reports ADD COLUMN closed_at INTEGER;
ALTER TABLE report_facts ADD COLUMN feedback INTEGER;

UPDATE reports SET
    first_answer_at = (SELECT MIN(e.at) FROM report_events e
        WHERE e.report_id = reports.id AND e.kind = 'message' AND e.actor = 'coordinator'),
    closed_at = CASE WHEN status = 'closed' THEN COALESCE((SELECT MAX(e.at) FROM report_events e
        WHERE e.report_id = reports.id AND e.kind = 'status' AND e.body = 'closed'), updated_at) END;

CREATE TRIGGER reports_first_answer AFTER INSERT ON report_events
    WHEN NEW.kind = 'message' AND NEW.actor = 'coordinator'
BEGIN
    UPDATE reports SET first_answer_at = NEW.at
    WHERE id = NEW.report_id AND (first_answer_at IS NULL OR first_answer_at > NEW.at);
END;

CREATE TRIGGER reports_closing_event AFTER INSERT ON report_events
    WHEN NEW.kind = 'status' AND NEW.body = 'closed'
BEGIN
    UPDATE reports SET closed_at = NEW.at WHERE id = NEW.report_id AND status = 'closed';
END;

CREATE TRIGGER reports_closing AFTER UPDATE OF status ON reports
    WHEN NEW.status IS NOT OLD.status
BEGIN
    UPDATE reports SET closed_at = CASE WHEN NEW.status = 'closed' THEN NEW.updated_at END
    WHERE seq = NEW.seq;
END;

-- The timeline is append-only in the server's code; should an event's instant be corrected by
-- hand, both columns are worked out again from the timeline.
CREATE TRIGGER reports_timeline_moved AFTER UPDATE OF at, kind, actor, body ON report_events
BEGIN
    UPDATE reports SET
        first_answer_at = (SELECT MIN(e.at) FROM report_events e
            WHERE e.report_id = reports.id AND e.kind = 'message' AND e.actor = 'coordinator'),
        closed_at = CASE WHEN status <> 'closed' THEN NULL ELSE COALESCE((SELECT MAX(e.at) FROM report_events e
            WHERE e.report_id = reports.id AND e.kind = 'status' AND e.body = 'closed'), closed_at) END
    WHERE id = NEW.report_id;
END;
