-- Statistics over a million reports (issue 16): each report keeps its first answer, its closing
-- and whether the reporter got a closing reason as columns, so that statistics aggregate with
-- GROUP BY instead of two correlated subqueries over the timeline per report. Triggers keep the
-- columns right whichever code writes the timeline or the status:
--   first_answer_at: the earliest coordinator *message* (never a note, never the reporter's);
--   closed_at:       when the report was last closed (the closing status event, else the
--                    report's updated_at at the closing); NULL while it is not closed;
--   closed_feedback: 1 when closed with a reason the reporter sees, 0 when closed without, NULL
--                    while not closed.
-- The purged reports' facts keep the closing-feedback flag too (NULL for facts purged before).
ALTER TABLE reports ADD COLUMN first_answer_at INTEGER;
ALTER TABLE reports ADD COLUMN closed_at INTEGER;
ALTER TABLE reports ADD COLUMN closed_feedback INTEGER;
ALTER TABLE report_facts ADD COLUMN feedback INTEGER;

UPDATE reports SET
    first_answer_at = (SELECT MIN(e.at) FROM report_events e
        WHERE e.report_id = reports.id AND e.kind = 'message' AND e.actor = 'coordinator'),
    closed_at = CASE WHEN status = 'closed' THEN COALESCE((SELECT MAX(e.at) FROM report_events e
        WHERE e.report_id = reports.id AND e.kind = 'status' AND e.body = 'closed'), updated_at) END,
    closed_feedback = CASE WHEN status <> 'closed' THEN NULL
        WHEN closed_reason IS NOT NULL AND closed_reason <> '' THEN 1 ELSE 0 END;

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

CREATE TRIGGER reports_closing AFTER UPDATE OF status, closed_reason ON reports
BEGIN
    UPDATE reports SET
        closed_at = CASE WHEN NEW.status <> 'closed' THEN NULL
            WHEN OLD.status = 'closed' THEN NEW.closed_at ELSE NEW.updated_at END,
        closed_feedback = CASE WHEN NEW.status <> 'closed' THEN NULL
            WHEN NEW.closed_reason IS NOT NULL AND NEW.closed_reason <> '' THEN 1 ELSE 0 END
    WHERE seq = NEW.seq;
END;
