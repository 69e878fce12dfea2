//! The data set of the large-data benchmarks (`inbox`, `stats`): N reports generated inside the
//! database (INSERT … SELECT over a counter, through the server's own migrations and indexes),
//! one a minute back from [`NOW`] (1,000,000 reports span about 23 months), with kinds, channels,
//! roles, phases, severities, units, statuses, first answers (0–48 h, 1 in 11 never), closings
//! (50 min – 30 days, 2 in 3 with a reason the reporter sees) and texts in fixed proportions.

use trygg_server::store::Db;

/// The generated data set's "now" (2026-09-21 UTC): the newest report is one minute before it.
pub const NOW: i64 = 1_790_000_000_000;

/// Rows generated per INSERT … SELECT statement (each its own transaction).
const CHUNK: i64 = 50_000;

/// Generates `total` reports inside the database (see the module's opening), then refreshes
/// the planner's statistics.
pub async fn fill(db: &Db, total: i64) -> Result<(), sqlx::Error> {
    let now = NOW;
    let mut start = 0;
    // The backends differ only in how rows are counted out, in random ids and in booleans.
    let (counter, random_id, no) = match db {
        Db::Sqlite(_) => ("c", "randomblob(16)", "0"),
        Db::Postgres(_) => ("generate_series({start}::bigint, {last}::bigint) AS i", "gen_random_uuid()", "false"),
    };
    let status =
        format!("CASE WHEN i > {total} - 2000 THEN 'new' WHEN i % 100 = 0 THEN 'in_progress' ELSE 'closed' END");
    let received = format!("({now} - ({total} - i) * 60000)");
    // Closed reports: closed between 50 minutes and 30 days after they came in, to the minute.
    let closed =
        format!("(CASE WHEN {status} = 'closed' THEN {received} + ((i * 104729) % 43200) * 60000 + 3000000 END)");
    // First answers 0–48 h after, to the second; 1 in 11 never answered, nor are new reports.
    let answered = format!(
        "CASE WHEN {status} = 'new' OR i % 11 = 0 THEN NULL
            ELSE {received} + ((i * 7919) % 2880) * 60000 + (i % 60) * 1000 END"
    );
    let reason = format!("CASE WHEN {closed} IS NULL OR i % 3 = 0 THEN NULL ELSE 'Åtgärdat' END");
    while start < total {
        let n = CHUNK.min(total - start);
        let last = start + n - 1;
        let cte = match db {
            Db::Sqlite(_) => {
                format!("WITH RECURSIVE c(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM c WHERE i < {last}) ")
            }
            Db::Postgres(_) => String::new(),
        };
        let from = counter.replace("{start}", &start.to_string()).replace("{last}", &last.to_string());
        let sql = format!(
            "{cte}INSERT INTO reports (id, idempotency_key, request_hash, receipt_hash, received_at, occurred_at,
               kind, channel, location, description, injury, damage, sick_leave, police_reported, role,
               phase, identity, help_call_me, help_support, help_police, status, severity,
               unit, urgent, first_answer_at, closed_at, closed_reason, updated_at)
             SELECT {random_id}, {random_id}, 'bench', 'bench-' || i,
               {now} - ({total} - i) * 60000, {now} - ({total} - i) * 60000 - 3600000,
               {kind}, {channel}, {place}, {text}, {no}, {no}, {no}, {no}, {role}, {phase}, 'anonymous',
               {no}, {no}, {no}, {status}, {severity},
               {unit}, {urgent}, {answered}, {closed}, {reason}, COALESCE({closed}, {received})
             FROM {from}",
            kind =
                "CASE i % 4 WHEN 0 THEN 'threat' WHEN 1 THEN 'violence' WHEN 2 THEN 'harassment' ELSE 'vandalism' END",
            place = "CASE i % 3 WHEN 0 THEN 'Akutmottagningen' WHEN 1 THEN 'Parkeringen vid stationen' ELSE NULL END",
            text = TEXT_SQL,
            role = "CASE i % 2 WHEN 0 THEN 'healthcare' ELSE 'elected_official' END",
            phase = "CASE i % 3 WHEN 0 THEN 'before' WHEN 1 THEN 'during' ELSE 'after' END",
            channel = "CASE (i / 7) % 5 WHEN 0 THEN 'in_person' WHEN 1 THEN 'phone' WHEN 2 THEN 'email_letter'
                WHEN 3 THEN 'social_media' ELSE 'other' END",
            unit = "CASE (i / 3) % 9 WHEN 0 THEN NULL ELSE 'Enhet ' || ((i / 3) % 9) END",
            urgent = "(i % 4 = 1 OR i % 3 = 1)",
            severity = "CASE i % 5 WHEN 0 THEN 'high' WHEN 1 THEN 'medium' WHEN 2 THEN 'low' WHEN 3 THEN 'critical' ELSE NULL END",
        );
        match db {
            Db::Sqlite(p) => sqlx::query(&sql).execute(p).await.map(|_| ())?,
            Db::Postgres(p) => sqlx::query(&sql).execute(p).await.map(|_| ())?,
        }
        start += n;
    }
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE reports").execute(p).await?;
    } else if let Db::Sqlite(p) = db {
        sqlx::query("ANALYZE").execute(p).await?;
    }
    Ok(())
}

/// Descriptions from a small vocabulary: "kniv" in 1 of 7, "hot" in 1 of 5, "brandbomb" in 1 of 10,000.
const TEXT_SQL: &str = "CASE WHEN i % 10000 = 7 THEN 'Hot om brandbomb mot kontoret' ELSE
    (CASE i % 5 WHEN 0 THEN 'Hot ' WHEN 1 THEN 'Trakasserier ' WHEN 2 THEN 'Hatiska kommentarer ' WHEN 3 THEN 'Våld ' ELSE 'Förföljelse ' END)
    || (CASE i % 7 WHEN 0 THEN 'med kniv ' WHEN 1 THEN 'via sociala medier ' WHEN 2 THEN 'i väntrummet ' WHEN 3 THEN 'efter ett möte ' WHEN 4 THEN 'på parkeringen ' WHEN 5 THEN 'per telefon ' ELSE 'vid hembesök ' END)
    || 'under kvällspasset, ärende ' || i END";
