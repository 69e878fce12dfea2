//! What statistics read: the live reports UNION ALL the purged reports' kept facts
//! (`report_facts`), so a purge changes no number, one de-identified fact per report
//! ([`Db::stats_facts`]: the row-level and the aggregated exports; [`Db::stats_facts_in`]: the
//! part of the statistics page that is not rolled up, see [`super::stats_rollup`]). A fact carries
//! no id, text, identity or place: received, kind, channel, role, phase, severity, unit, urgency,
//! first answer and closing (kept on `reports` as columns by migration 0019's triggers, so no
//! timeline is read), and whether the reporter got a closing reason (`report_facts.feedback`).
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
    /// 1 when closed with a reason the reporter sees, 0 when not, `None` while open and for
    /// reports purged before migration 0019.
    pub feedback: Option<i64>,
    /// 1 for a purged report's kept facts.
    pub purged: i64,
    /// `new`, `in_progress` or `closed` (every purged report was closed).
    pub status: String,
}

const LIVE: &str = "SELECT r.received_at, r.kind, r.channel, r.role, r.phase, r.severity, r.unit,
        CASE WHEN r.urgent THEN 'urgent' ELSE 'routine' END AS urgency,
        r.first_answer_at, r.closed_at,
        CAST(CASE WHEN r.status <> 'closed' THEN NULL WHEN r.closed_reason IS NOT NULL AND r.closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) AS feedback,
        CAST(0 AS BIGINT) AS purged, r.status
    FROM reports r";

const PURGED: &str = "SELECT f.received_at, f.kind, f.channel, f.role, f.phase, f.severity, f.unit, f.urgency,
        f.first_answer_at, f.closed_at, CAST(f.feedback AS BIGINT) AS feedback, CAST(1 AS BIGINT) AS purged,
        'closed' AS status
    FROM report_facts f";

/// A bound value of the filter.
#[derive(Debug, Clone, Copy)]
pub(super) enum Bind {
    Text(&'static str),
    Int(i64),
}

/// Which of the selected reports a query reads beyond the filter: only those received within
/// `ranges` (the stretches read from the reports themselves, not from the rollup).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub ranges: Option<Vec<(i64, i64)>>,
}

/// The filter's equality conditions: (column, value), status only where `status` is a column.
fn equalities(f: &StatsFilter, with_status: bool) -> Vec<(&'static str, Option<&'static str>)> {
    let mut eq = vec![("severity", f.severity), ("kind", f.kind), ("role", f.role), ("phase", f.phase)];
    if with_status {
        eq.push(("status", f.status));
    }
    eq
}

/// ` AND (col >= $a AND col < $b OR …)` over `ranges` (none: nothing matches).
pub(super) fn within_ranges(col: &str, ranges: &[(i64, i64)], binds: &mut Vec<Bind>) -> String {
    if ranges.is_empty() {
        return " AND 1 = 0".to_owned();
    }
    let parts: Vec<String> = ranges
        .iter()
        .map(|(a, b)| {
            binds.push(Bind::Int(*a));
            binds.push(Bind::Int(*b));
            format!("{col} >= ${} AND {col} < ${}", binds.len() - 1, binds.len())
        })
        .collect();
    format!(" AND ({})", parts.join(" OR "))
}

/// The WHERE clause for table alias `t`, its values appended to `binds` (placeholders number on
/// from those already there, so both halves of the union share one list).
fn conditions(f: &StatsFilter, scope: &Scope, t: &str, binds: &mut Vec<Bind>, purged: bool) -> String {
    let mut sql = String::from(" WHERE 1 = 1");
    if purged && f.status.is_some_and(|s| s != "closed") {
        // Every purged report was closed.
        sql.push_str(" AND 1 = 0");
    }
    for (col, v) in equalities(f, !purged) {
        if let Some(v) = v {
            binds.push(Bind::Text(v));
            sql.push_str(&format!(" AND {t}.{col} = ${}", binds.len()));
        }
    }
    let received = format!("{t}.received_at");
    for (op, v) in [(">=", f.from_ms), ("<", f.to_ms)] {
        if let Some(v) = v {
            binds.push(Bind::Int(v));
            sql.push_str(&format!(" AND {received} {op} ${}", binds.len()));
        }
    }
    if let Some(ranges) = &scope.ranges {
        sql.push_str(&within_ranges(&received, ranges, binds));
    }
    sql
}

/// Binds `binds` to a query, in order.
macro_rules! bound {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match *b {
                Bind::Text(s) => q.bind(s),
                Bind::Int(i) => q.bind(i),
            };
        }
        q
    }};
}
pub(super) use bound;

impl Db {
    /// Every fact the filter selects, live and purged, oldest first. With `live_only`, the
    /// purged reports' facts are left out (the coordinators' row-level export of the inbox).
    pub async fn stats_facts(&self, f: &StatsFilter, live_only: bool) -> Result<Vec<Fact>, sqlx::Error> {
        self.facts(f, &Scope::default(), live_only, true).await
    }

    /// The facts `f` selects within `scope`, live and purged, in no order.
    pub async fn stats_facts_in(&self, f: &StatsFilter, scope: &Scope) -> Result<Vec<Fact>, sqlx::Error> {
        self.facts(f, scope, false, false).await
    }

    async fn facts(
        &self,
        f: &StatsFilter,
        scope: &Scope,
        live_only: bool,
        ordered: bool,
    ) -> Result<Vec<Fact>, sqlx::Error> {
        let mut binds = Vec::new();
        let live_where = conditions(f, scope, "r", &mut binds, false);
        let mut sql = format!("{LIVE}{live_where}");
        if !live_only {
            let purged_where = conditions(f, scope, "f", &mut binds, true);
            sql = format!("SELECT * FROM ({sql} UNION ALL {PURGED}{purged_where}) facts");
        }
        if ordered {
            sql.push_str(" ORDER BY received_at");
        }
        on_db!(self, |pool| bound!(sqlx::query_as::<_, Fact>(&sql), &binds).fetch_all(pool).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_bind_their_own_placeholders() {
        let f = StatsFilter { kind: Some("threat"), status: Some("closed"), from_ms: Some(5), ..Default::default() };
        let mut b = Vec::new();
        let live = conditions(&f, &Scope::default(), "r", &mut b, false);
        assert_eq!(live, " WHERE 1 = 1 AND r.kind = $1 AND r.status = $2 AND r.received_at >= $3");
        let purged = conditions(&f, &Scope::default(), "f", &mut b, true);
        assert_eq!(purged, " WHERE 1 = 1 AND f.kind = $4 AND f.received_at >= $5");
        let open = StatsFilter { status: Some("new"), ..Default::default() };
        assert!(conditions(&open, &Scope::default(), "f", &mut Vec::new(), true).contains("1 = 0"));
        let scope = Scope { ranges: Some(vec![(1, 2), (5, 9)]) };
        assert_eq!(
            conditions(&StatsFilter::default(), &scope, "r", &mut Vec::new(), false),
            " WHERE 1 = 1 AND (r.received_at >= $1 AND r.received_at < $2 OR r.received_at >= $3 AND r.received_at < $4)"
        );
        let none = Scope { ranges: Some(vec![]) };
        assert!(conditions(&StatsFilter::default(), &none, "r", &mut Vec::new(), false).ends_with("AND 1 = 0"));
    }
}
