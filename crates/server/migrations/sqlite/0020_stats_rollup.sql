-- Statistics over a million reports within 100 ms (issue 16): a rollup of the reports' closed-set
-- facts per *piece* of time (the days between two consecutive Mondays or firsts of a month in
-- Europe/Stockholm: every ISO week and every month is a union of pieces) and per combination of
-- the filterable values. The server builds the pieces up to yesterday (crate::stats::rollup and
-- store::stats_rollup, from the scheduler's tick) and reads the rest of a selection from the
-- reports themselves. These triggers mark the UTC hours whose reports changed after their piece
-- was built ("dirty"; local midnights fall on whole UTC hours, so an hour lies in one piece); a
-- dirty piece is read from the reports until it is built again. Reports of pieces not yet built
-- mark nothing. A new report is received *now*, never inside a built piece (they end a day or
-- more back), so inserting one fires no trigger at all.
CREATE TABLE stats_built (
    piece_start INTEGER PRIMARY KEY,
    piece_end   INTEGER NOT NULL,
    ready       INTEGER NOT NULL DEFAULT 0,
    built_at    INTEGER NOT NULL
);

-- One row per piece: its summaries per combination of values, one after the other (a
-- selection's filters are applied while they are read: a row per combination cost more to fetch
-- than to skip).
CREATE TABLE stats_pieces (
    piece_start INTEGER PRIMARY KEY,
    data        BLOB NOT NULL
);

CREATE TABLE stats_dirty (
    utc_hour INTEGER PRIMARY KEY,
    mark    INTEGER NOT NULL
);

CREATE TRIGGER stats_dirty_update AFTER UPDATE OF received_at, status, kind, channel, role, phase,
    severity, unit, urgent, first_answer_at, closed_at, closed_reason ON reports
BEGIN
    INSERT INTO stats_dirty (utc_hour, mark)
        SELECT d, 1 FROM (SELECT OLD.received_at / 3600000 AS d UNION SELECT NEW.received_at / 3600000)
        WHERE (SELECT b.piece_end FROM stats_built b WHERE b.piece_start <= d * 3600000 + 3599999 ORDER BY b.piece_start DESC LIMIT 1) > d * 3600000
        ON CONFLICT (utc_hour) DO UPDATE SET mark = stats_dirty.mark + 1;
END;

CREATE TRIGGER stats_dirty_delete AFTER DELETE ON reports
    WHEN (SELECT b.piece_end FROM stats_built b WHERE b.piece_start <= OLD.received_at ORDER BY b.piece_start DESC LIMIT 1) > OLD.received_at
BEGIN
    INSERT INTO stats_dirty (utc_hour, mark) VALUES (OLD.received_at / 3600000, 1)
        ON CONFLICT (utc_hour) DO UPDATE SET mark = stats_dirty.mark + 1;
END;

CREATE TRIGGER stats_dirty_facts_insert AFTER INSERT ON report_facts
    WHEN (SELECT b.piece_end FROM stats_built b WHERE b.piece_start <= NEW.received_at ORDER BY b.piece_start DESC LIMIT 1) > NEW.received_at
BEGIN
    INSERT INTO stats_dirty (utc_hour, mark) VALUES (NEW.received_at / 3600000, 1)
        ON CONFLICT (utc_hour) DO UPDATE SET mark = stats_dirty.mark + 1;
END;

CREATE TRIGGER stats_dirty_facts_delete AFTER DELETE ON report_facts
    WHEN (SELECT b.piece_end FROM stats_built b WHERE b.piece_start <= OLD.received_at ORDER BY b.piece_start DESC LIMIT 1) > OLD.received_at
BEGIN
    INSERT INTO stats_dirty (utc_hour, mark) VALUES (OLD.received_at / 3600000, 1)
        ON CONFLICT (utc_hour) DO UPDATE SET mark = stats_dirty.mark + 1;
END;

CREATE TRIGGER stats_dirty_facts_update AFTER UPDATE ON report_facts
BEGIN
    INSERT INTO stats_dirty (utc_hour, mark)
        SELECT d, 1 FROM (SELECT OLD.received_at / 3600000 AS d UNION SELECT NEW.received_at / 3600000)
        WHERE (SELECT b.piece_end FROM stats_built b WHERE b.piece_start <= d * 3600000 + 3599999 ORDER BY b.piece_start DESC LIMIT 1) > d * 3600000
        ON CONFLICT (utc_hour) DO UPDATE SET mark = stats_dirty.mark + 1;
END;

