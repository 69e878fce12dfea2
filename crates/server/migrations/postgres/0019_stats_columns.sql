-- Statistics over a million reports (issue 16): each report keeps its first answer and its
-- closing as columns, so that statistics aggregate with
-- GROUP BY instead of two correlated subqueries over the timeline per report. Triggers keep the
-- columns right whichever code writes the timeline or the status:
--   first_answer_at: the earliest coordinator *message* (never a note, never the reporter's);
--   closed_at:       when the report was last closed (the closing status event, else the
--                    report's updated_at at the closing); NULL while it is not closed;
-- (Whether the reporter got a closing reason is the report's `closed_reason`.) The purged
-- reports' facts keep that closing-feedback flag too (NULL for facts purged before).
ALTER TABLE reports ADD COLUMN first_answer_at BIGINT;
ALTER TABLE reports ADD COLUMN closed_at BIGINT;
ALTER TABLE report_facts ADD COLUMN feedback INTEGER;

UPDATE reports r SET
    first_answer_at = (SELECT MIN(e.at) FROM report_events e
        WHERE e.report_id = r.id AND e.kind = 'message' AND e.actor = 'coordinator'),
    closed_at = CASE WHEN r.status = 'closed' THEN COALESCE((SELECT MAX(e.at) FROM report_events e
        WHERE e.report_id = r.id AND e.kind = 'status' AND e.body = 'closed'), r.updated_at) END;

CREATE FUNCTION reports_timeline_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'message' AND NEW.actor = 'coordinator' THEN
        UPDATE reports SET first_answer_at = NEW.at
        WHERE id = NEW.report_id AND (first_answer_at IS NULL OR first_answer_at > NEW.at);
    ELSIF NEW.kind = 'status' AND NEW.body = 'closed' THEN
        UPDATE reports SET closed_at = NEW.at WHERE id = NEW.report_id AND status = 'closed';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_events_stats AFTER INSERT ON report_events
    FOR EACH ROW WHEN ((NEW.kind = 'message' AND NEW.actor = 'coordinator') OR (NEW.kind = 'status' AND NEW.body = 'closed'))
    EXECUTE FUNCTION reports_timeline_stats();

CREATE FUNCTION reports_closing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        NEW.closed_at := CASE WHEN NEW.status = 'closed' THEN NEW.updated_at END;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER reports_closing BEFORE UPDATE OF status ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_closing();

-- The timeline is append-only in the server's code; should an event's instant be corrected by
-- hand, both columns are worked out again from the timeline.
CREATE FUNCTION reports_timeline_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reports r SET
        first_answer_at = (SELECT MIN(e.at) FROM report_events e
            WHERE e.report_id = r.id AND e.kind = 'message' AND e.actor = 'coordinator'),
        closed_at = CASE WHEN r.status <> 'closed' THEN NULL ELSE COALESCE((SELECT MAX(e.at) FROM report_events e
            WHERE e.report_id = r.id AND e.kind = 'status' AND e.body = 'closed'), r.closed_at) END
    WHERE r.id = NEW.report_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER report_events_moved AFTER UPDATE OF at, kind, actor, body ON report_events
    FOR EACH ROW EXECUTE FUNCTION reports_timeline_moved();
