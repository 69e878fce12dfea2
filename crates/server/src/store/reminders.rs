//! STUB (engineer D owns the reminder rules): which reports are due a reminder now. This version
//! returns none; the integrator replaces this file with D's. The scheduler job
//! (`crate::jobs::handlers`) calls [`Db::due_reminders`] once a minute and enqueues one job per
//! `reminder:{kind}:{level}:{report_id}`.

use super::Db;

/// A reminder that is due: `kind` is `"unanswered"` or `"idle"`, one per level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub report_id: uuid::Uuid,
    pub kind: &'static str,
    pub level: i32,
}

impl Db {
    /// Reminders due at `now_ms` (Unix ms). STUB: none.
    pub async fn due_reminders(&self, now_ms: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
        let _ = now_ms;
        Ok(Vec::new())
    }
}
