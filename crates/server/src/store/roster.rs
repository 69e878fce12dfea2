//! STUB (engineer D owns the on-duty roster): who is on duty at a given moment. This version
//! returns nobody; the integrator replaces this file with D's. The mail jobs
//! (`crate::jobs::handlers`) call [`Db::on_duty_at`] and fall back to `TRYGG_NOTIFY_FALLBACK_EMAIL`.

use super::Db;

/// One coordinator (or the roster's fallback address) on duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDuty {
    pub user_id: Option<uuid::Uuid>,
    pub email: String,
    pub lang: String,
}

impl Db {
    /// Everyone on duty at `at_ms` (Unix ms). STUB: nobody.
    pub async fn on_duty_at(&self, at_ms: i64) -> Result<Vec<OnDuty>, sqlx::Error> {
        let _ = at_ms;
        Ok(Vec::new())
    }
}
