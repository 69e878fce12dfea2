//! "What waits for me": the reports a coordinator should look at now, as ids, reasons and times
//! (no report text, no identity: not an audited read). The reasons: urgent reports nobody has
//! answered, new reports nobody is assigned to, my reports where the reporter wrote after I last
//! opened them, and the reminders due ([`super::reminders`]) on my reports or unassigned ones.

use super::{Db, on_db};
use uuid::Uuid;

/// Why a report waits (the wire's `WaitingReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    UrgentUnanswered,
    Unassigned,
    UnreadMessage,
    /// `unanswered` or `idle`, and the level.
    Reminder(&'static str, i32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub report_id: Uuid,
    pub reason: Reason,
    /// Since when (Unix ms).
    pub since: i64,
}

/// `(report id, since)` rows.
type Rows = Vec<(Uuid, i64)>;

/// At most this many items of each reason (the page lists, the inbox filters the rest).
pub const MAX_PER_REASON: i64 = 200;

impl Db {
    /// What waits for coordinator `me` at `now`: urgent unanswered first, then oldest first.
    pub async fn waiting_for(&self, me: Uuid, now: i64) -> Result<Vec<Item>, sqlx::Error> {
        let (urgent, unassigned, unread): (Rows, Rows, Rows) = on_db!(self, |pool| {
            let urgent = sqlx::query_as(
                "SELECT id, received_at FROM reports
                     WHERE urgent AND last_answer_at IS NULL AND status <> 'closed'
                     ORDER BY received_at, seq LIMIT $1",
            )
            .bind(MAX_PER_REASON)
            .fetch_all(pool)
            .await?;
            let unassigned = sqlx::query_as(
                "SELECT id, received_at FROM reports WHERE status = 'new' AND assignee_id IS NULL
                     ORDER BY received_at, seq LIMIT $1",
            )
            .bind(MAX_PER_REASON)
            .fetch_all(pool)
            .await?;
            let unread = sqlx::query_as(
                "SELECT r.id, r.last_reporter_at FROM reports r
                     LEFT JOIN report_reads rr ON rr.report_id = r.id AND rr.user_id = $1
                     WHERE r.assignee_id = $1 AND r.status <> 'closed' AND r.last_reporter_at IS NOT NULL
                       AND (rr.read_at IS NULL OR r.last_reporter_at > rr.read_at)
                     ORDER BY r.last_reporter_at, r.seq LIMIT $2",
            )
            .bind(me)
            .bind(MAX_PER_REASON)
            .fetch_all(pool)
            .await?;
            (urgent, unassigned, unread)
        });
        let mut items: Vec<Item> = Vec::new();
        let mut add = |rows: Vec<(Uuid, i64)>, reason: Reason| {
            items.extend(rows.into_iter().map(|(report_id, since)| Item { report_id, reason, since }));
        };
        add(urgent, Reason::UrgentUnanswered);
        add(unassigned, Reason::Unassigned);
        add(unread, Reason::UnreadMessage);
        let mine = self.due_reminders_for(now).await?.into_iter().filter(|d| d.assignee.is_none_or(|a| a == me));
        for d in mine.take(MAX_PER_REASON as usize) {
            let reason = Reason::Reminder(d.due.kind, d.due.level);
            items.push(Item { report_id: d.due.report_id, reason, since: d.since });
        }
        items.sort_by_key(|i| (i.reason != Reason::UrgentUnanswered, i.since, i.reason));
        Ok(items)
    }
}
