//! `GET /api/waiting`: what waits for the signed-in coordinator (the header's badge and the page
//! `/samordnare/vantar`). It carries report ids, reasons and times only — no report text and no
//! identity — so it is not an audited read; opening a report from it is.

use super::format::rfc3339;
use crate::auth::Coordinator;
use crate::error::{ApiError, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::waiting::Reason;
use axum::Json;
use axum::extract::State;
use trygg_wire::waiting::{Waiting, WaitingItem, WaitingReason};

/// `GET /api/waiting`: urgent reports nobody answered, new reports nobody is assigned to, my
/// reports with an unread message from the reporter, and the reminders due on my reports or
/// unassigned ones (levels and night hours: the reminder rule in store/reminders.rs).
#[utoipa::path(get, path = "/api/waiting", tag = "casework", security(("session" = [])),
    responses(
        (status = 200, description = "What waits, urgent first, then oldest first; `count` is distinct reports", body = Waiting),
        SessionErrors, ServerErrors,
    ))]
pub async fn waiting(State(state): State<AppState>, who: Coordinator) -> Result<Json<Waiting>, ApiError> {
    let items = state.db.waiting_for(who.id, state.clock.now_ms()).await?;
    let mut reports: Vec<uuid::Uuid> = items.iter().map(|i| i.report_id).collect();
    reports.sort_unstable();
    reports.dedup();
    let items = items
        .into_iter()
        .map(|i| {
            let (reason, reminder_kind, level) = match i.reason {
                Reason::UrgentUnanswered => (WaitingReason::UrgentUnanswered, None, None),
                Reason::Unassigned => (WaitingReason::Unassigned, None, None),
                Reason::UnreadMessage => (WaitingReason::UnreadMessage, None, None),
                Reason::Reminder(kind, level) => (WaitingReason::Reminder, Some(kind.to_owned()), Some(level)),
            };
            WaitingItem { report_id: i.report_id.to_string(), reason, since: rfc3339(i.since), reminder_kind, level }
        })
        .collect();
    let checkin_alerts = u32::try_from(state.db.open_checkin_alerts().await?).unwrap_or(u32::MAX);
    Ok(Json(Waiting { count: reports.len() as u32, items, checkin_alerts }))
}
