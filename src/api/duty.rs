//! The coordinator app's duty calls: the on-duty roster (administrators), who is on duty now, and
//! what waits for me. A roster save answers with its own refusals: field errors that name a row
//! (`slots[2].end_time`), and 409 with the roster someone saved meanwhile.

use super::{ApiError, CSRF, CSRF_HEADER, body_json, classify, csrf_token, encode_error, json};
use crate::model::{ErrorEnvelope, OnDutyNow, Roster, RosterView, Waiting, codes};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;

/// The roster with the accounts it may name (administrators).
pub async fn roster() -> Result<RosterView, ApiError> {
    json(Request::get("/api/roster").send().await).await
}

/// Who is on duty now (every coordinator).
pub async fn on_duty_now() -> Result<OnDutyNow, ApiError> {
    json(Request::get("/api/roster/now").send().await).await
}

/// What waits for the signed-in coordinator.
pub async fn waiting() -> Result<Waiting, ApiError> {
    json(Request::get("/api/waiting").send().await).await
}

/// One refused field of a roster: the server's field name (with the row) and code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RowError {
    pub field: String,
    pub code: String,
}

/// How a save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Done(RosterView),
    /// 422: nothing was saved; the form keeps what was typed.
    Refused(Vec<RowError>),
    /// 409: someone saved first; theirs.
    Stale(RosterView),
}

#[derive(Deserialize)]
struct Refusal {
    error: RefusalBody,
    #[serde(default)]
    current: Option<RosterView>,
}

#[derive(Deserialize)]
struct RefusalBody {
    code: String,
    #[serde(default)]
    fields: Vec<RowError>,
}

/// `PUT /api/roster` with the CSRF token (fetched again once on `csrf_failed`).
pub async fn save_roster(roster: &Roster) -> Result<Saved, ApiError> {
    let body = serde_json::to_value(roster).map_err(|_| encode_error())?;
    let mut retried = false;
    loop {
        let token = csrf_token().await?;
        let request = RequestBuilder::new("/api/roster")
            .method(Method::PUT)
            .header(CSRF_HEADER, &token)
            .json(&body)
            .map_err(|_| encode_error())?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        let status = response.status();
        if response.ok() {
            return body_json(&response)
                .await
                .map(Saved::Done)
                .ok_or(ApiError::Other { status, code: "bad_response".into() });
        }
        let text = response.text().await.unwrap_or_default();
        if let Ok(refusal) = serde_json::from_str::<Refusal>(&text) {
            match (status, refusal.current) {
                (409, Some(current)) => return Ok(Saved::Stale(current)),
                (422, _) if refusal.error.code == codes::VALIDATION && !refusal.error.fields.is_empty() => {
                    return Ok(Saved::Refused(refusal.error.fields));
                }
                (403, _) if !retried && refusal.error.code == codes::CSRF_FAILED => {
                    retried = true;
                    CSRF.with_borrow_mut(|c| *c = None);
                    continue;
                }
                _ => {}
            }
        }
        return Err(classify(status, ErrorEnvelope::parse(&text)));
    }
}
