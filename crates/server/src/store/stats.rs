//! What statistics read: one de-identified fact per report, from the live reports UNION ALL the
//! purged reports' kept facts (`report_facts`), so a purge changes no number. A fact carries no
//! id, text, identity or place: received, kind, channel, role, phase, severity, unit, urgency,
//! first answer, closing, and (live reports only) whether the reporter got a closing reason.
//! The filters are the inbox's closed-set ones and the received range.

use super::{Db, on_db};
use sqlx::FromRow;

/// Which reports. `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsFilter {
    pub status: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub kind: Option<&'static str>,
    pub role: Option<&'static str>,
    pub phase: Option<&'static str>,
    /// Received at or after (Unix ms).
    pub from_ms: Option<i64>,
    /// Received before (Unix ms).
    pub to_ms: Option<i64>,
}

/// One report, de-identified.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Fact {
    pub received_at: i64,
    pub kind: String,
    pub channel: String,
    pub role: String,
    pub phase: Option<String>,
    pub severity: Option<String>,
    pub unit: Option<String>,
    /// `urgent` or `routine`.
    pub urgency: String,
    pub first_answer_at: Option<i64>,
    /// When it was closed; `None` while open.
    pub closed_at: Option<i64>,
    /// 1 when closed with a reason the reporter sees, 0 when not, `None` for purged reports.
    pub feedback: Option<i64>,
    /// 1 for a purged report's kept facts.
    pub purged: i64,
}

const LIVE: &str = "SELECT r.received_at, r.kind, r.channel, r.role, r.phase, r.severity, r.unit,
        CASE WHEN r.urgent THEN 'urgent' ELSE 'routine' END AS urgency,
        (SELECT MIN(e.at) FROM report_events e
            WHERE e.report_id = r.id AND e.kind = 'message' AND e.actor = 'coordinator') AS first_answer_at,
        CASE WHEN r.status = 'closed' THEN COALESCE((SELECT MAX(e.at) FROM report_events e
            WHERE e.report_id = r.id AND e.kind = 'status' AND e.body = 'closed'), r.updated_at) END AS closed_at,
        CAST(CASE WHEN r.status <> 'closed' THEN NULL
            WHEN r.closed_reason IS NOT NULL AND r.closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) AS feedback,
        CAST(0 AS BIGINT) AS purged
    FROM reports r";

const PURGED: &str = "SELECT f.received_at, f.kind, f.channel, f.role, f.phase, f.severity, f.unit, f.urgency,
        f.first_answer_at, f.closed_at, CAST(NULL AS BIGINT) AS feedback, CAST(1 AS BIGINT) AS purged
    FROM report_facts f";

/// A bound value of the filter.
#[derive(Debug, Clone, Copy)]
enum Bind {
    Text(&'static str),
    Int(i64),
}

/// The WHERE clause for table alias `t`, its values appended to `binds` (placeholders number on
/// from those already there, so both halves of the union share one list).
fn conditions(f: &StatsFilter, t: &str, binds: &mut Vec<Bind>, purged: bool) -> String {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut eq = vec![("severity", f.severity), ("kind", f.kind), ("role", f.role), ("phase", f.phase)];
    if !purged {
        eq.push(("status", f.status));
    } else if f.status.is_some_and(|s| s != "closed") {
        // Every purged report was closed.
        sql.push_str(" AND 1 = 0");
    }
    for (col, v) in eq {
        if let Some(v) = v {
            binds.push(Bind::Text(v));
            sql.push_str(&format!(" AND {t}.{col} = ${}", binds.len()));
        }
    }
    for (op, v) in [(">=", f.from_ms), ("<", f.to_ms)] {
        if let Some(v) = v {
            binds.push(Bind::Int(v));
            sql.push_str(&format!(" AND {t}.received_at {op} ${}", binds.len()));
        }
    }
    sql
}

impl Db {
    /// Every fact the filter selects, live and purged, oldest first. With `live_only`, the
    /// purged reports' facts are left out (the coordinators' row-level export of the inbox).
    pub async fn stats_facts(&self, f: &StatsFilter, live_only: bool) -> Result<Vec<Fact>, sqlx::Error> {
        let mut binds = Vec::new();
        let live_where = conditions(f, "r", &mut binds, false);
        let mut sql = format!("{LIVE}{live_where}");
        if !live_only {
            let purged_where = conditions(f, "f", &mut binds, true);
            sql = format!("SELECT * FROM ({sql} UNION ALL {PURGED}{purged_where}) facts");
        }
        sql.push_str(" ORDER BY received_at");
        on_db!(self, |pool| {
            let mut q = sqlx::query_as::<_, Fact>(&sql);
            for b in &binds {
                q = match *b {
                    Bind::Text(s) => q.bind(s),
                    Bind::Int(i) => q.bind(i),
                };
            }
            q.fetch_all(pool).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_bind_their_own_placeholders() {
        let f = StatsFilter { kind: Some("threat"), status: Some("closed"), from_ms: Some(5), ..Default::default() };
        let mut b = Vec::new();
        let live = conditions(&f, "r", &mut b, false);
        assert_eq!(live, " WHERE 1 = 1 AND r.kind = $1 AND r.status = $2 AND r.received_at >= $3");
        let purged = conditions(&f, "f", &mut b, true);
        assert_eq!(purged, " WHERE 1 = 1 AND f.kind = $4 AND f.received_at >= $5");
        let open = StatsFilter { status: Some("new"), ..Default::default() };
        assert!(conditions(&open, "f", &mut Vec::new(), true).contains("1 = 0"));
    }
}
