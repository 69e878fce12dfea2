//! `/api/followup…`: the reporter's follow-up by receipt code alone (status, messages, answers).

use super::format::rfc3339;
use crate::auth::{ClientIp, limit_key, sha256_hex};
use crate::error::{ApiError, ApiJson, JsonErrors, RateLimited, ServerErrors};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use trygg_domain::{ErrorKind, Field, FieldError, ReceiptCode, parse_body};
use trygg_wire::{FollowUp, Thread, ThreadMessage};

/// Receipt-code lookups allowed per client address per 15 minutes (a found code gives its count
/// back, so only wrong guesses use it up).
const FOLLOWUP_WINDOW_SECS: i64 = 15 * 60;
/// Reporter messages are counted per client address in 10-minute windows
/// (`TRYGG_MESSAGE_MAX_PER_ADDRESS`).
pub const FLOOD_WINDOW_SECS: i64 = 10 * 60;

/// Finds the report behind a receipt code, throttling guesses per client address: the attempt is
/// counted FIRST (atomically), so a burst of parallel guesses cannot all reach the lookup.
pub(crate) async fn find(
    state: &AppState,
    ip: &str,
    code: &str,
) -> Result<crate::store::casework::ReporterView, ApiError> {
    let key = limit_key(&state.keys, "followup:ip", ip);
    let now = now_ms();
    crate::auth::count_attempt(state, &key, FOLLOWUP_WINDOW_SECS, state.config.followup_max_failures, now).await?;
    let invalid = || ApiError::Validation(vec![FieldError::new(Field::ReceiptCode, ErrorKind::Invalid)]);
    let found = match ReceiptCode::parse(code) {
        // Only the code's SHA-256 is stored; equal hashes leak nothing about the code itself.
        Some(c) => state.db.by_receipt(&sha256_hex(c.canonical())).await?,
        None => None,
    };
    match found {
        Some(v) => {
            state.db.refund(&key, FOLLOWUP_WINDOW_SECS, now).await?;
            Ok(v)
        }
        None => {
            if code.trim().is_empty() {
                return Err(ApiError::Validation(vec![FieldError::new(Field::ReceiptCode, ErrorKind::Required)]));
            }
            Err(invalid())
        }
    }
}

async fn thread(state: &AppState, v: crate::store::casework::ReporterView) -> Result<Thread, ApiError> {
    let messages = state
        .db
        .events(v.id, false)
        .await?
        .into_iter()
        .filter(|e| e.kind == "message")
        .map(|e| ThreadMessage { at: rfc3339(e.at), from: e.actor, body: e.body.unwrap_or_default() })
        .collect();
    Ok(Thread {
        received_at: rfc3339(v.received_at),
        status: v.status,
        closed_reason: v.closed_reason,
        last_answer_at: v.last_answer_at.map(rfc3339),
        messages,
    })
}

/// `POST /api/followup`: the reporter's view (status and messages) by receipt code alone.
#[utoipa::path(post, path = "/api/followup", tag = "followup", request_body = trygg_wire::followup::FollowUpCode,
    responses(
        (status = 200, description = "Status and messages; never internal notes", body = Thread),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn followup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(f): ApiJson<FollowUp>,
) -> Result<Json<Thread>, ApiError> {
    let v = find(&state, &ip, &f.receipt_code).await?;
    Ok(Json(thread(&state, v).await?))
}

/// `POST /api/followup/messages`: the reporter answers or adds information. At most
/// `TRYGG_MESSAGE_MAX_PER_ADDRESS` (120) per client address per 10 minutes. The report is looked
/// up ONCE: the message is saved and the thread built from that same lookup, so no second
/// throttled step can fail after the message is saved (and make the reporter send it again).
#[utoipa::path(post, path = "/api/followup/messages", tag = "followup", request_body = FollowUp,
    responses(
        (status = 201, description = "Sent; the thread after it", body = Thread),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn reporter_message(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(f): ApiJson<FollowUp>,
) -> Result<(StatusCode, Json<Thread>), ApiError> {
    let flood = limit_key(&state.keys, "message:ip", &ip);
    let max = state.config.message_max_per_address;
    state.flood.count(&flood, FLOOD_WINDOW_SECS, max, now_ms()).map_err(ApiError::RateLimitedFor)?;
    let v = find(&state, &ip, &f.receipt_code).await?;
    let text = parse_body(&f.body).map_err(ApiError::Validation)?;
    state.db.add_entry(&state.keys, v.id, None, "message", text.as_str()).await?;
    tracing::info!("reporter wrote"); // no report id: see `submit` (anonymity)
    Ok((StatusCode::CREATED, Json(thread(&state, v).await?)))
}
