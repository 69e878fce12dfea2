//! `/api/followup…`: the reporter's follow-up by receipt code alone (status, messages, answers,
//! what the report was about and when an answer can be expected), and which of the codes kept on
//! a device has an answer (`/api/followup/answers`: times only, no content).

use super::format::rfc3339;
use crate::auth::{ClientIp, limit_key, sha256_hex};
use crate::error::{ApiError, ApiJson, JsonErrors, RateLimited, ServerErrors};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use trygg_domain::{ErrorKind, Field, FieldError, ReceiptCode, answer_expected_within_hours, parse_body};
use trygg_wire::followup::{Answers, AnswersQuery, MAX_ANSWER_CODES};
use trygg_wire::{FollowUp, Thread, ThreadMessage};

/// The first words of a report, for the reporter to recognise it.
const EXCERPT_CHARS: usize = 80;

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
    // Expected only while no coordinator has answered and the report is open.
    let expected = (v.last_answer_at.is_none() && v.status != "closed")
        .then(|| rfc3339(v.received_at + answer_expected_within_hours(v.urgent) * 3_600_000));
    Ok(Thread {
        kind: v.kind,
        occurred_at: rfc3339(v.occurred_at),
        excerpt: excerpt(&v.description, EXCERPT_CHARS),
        answer_expected_by: expected,
        urgent: v.urgent,
        received_at: rfc3339(v.received_at),
        status: v.status,
        closed_reason: v.closed_reason,
        last_answer_at: v.last_answer_at.map(rfc3339),
        messages,
        next_steps: super::after::tasks::agreed_steps(state, v.id).await?,
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
    state.flood.count(&flood, FLOOD_WINDOW_SECS, max, state.clock.now_ms()).map_err(ApiError::RateLimitedFor)?;
    let v = find(&state, &ip, &f.receipt_code).await?;
    let text = parse_body(&f.body).map_err(ApiError::Validation)?;
    state.db.add_entry(&state.keys, v.id, None, "message", text.as_str(), state.clock.now_ms()).await?;
    tracing::info!("reporter wrote"); // no report id: see `submit` (anonymity)
    Ok((StatusCode::CREATED, Json(thread(&state, v).await?)))
}

/// `text` with its white space collapsed, cut at a word to at most `max` characters (then "…").
fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

/// `POST /api/followup/answers`: for each receipt code kept on a device (at most 20), when a
/// coordinator last wrote, so the start page can say which report has a new answer. Times only:
/// no status, no content. Each code counts against the same guessing limit as `/api/followup`
/// (a found code gives its count back), so the list is no faster way to guess codes.
#[utoipa::path(post, path = "/api/followup/answers", tag = "followup", request_body = AnswersQuery,
    responses(
        (status = 200, description = "Per code, in order: the last answer's time, or null", body = Answers),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn answers(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(q): ApiJson<AnswersQuery>,
) -> Result<Json<Answers>, ApiError> {
    if q.receipt_codes.len() > MAX_ANSWER_CODES {
        return Err(ApiError::Validation(vec![FieldError::new(Field::ReceiptCode, ErrorKind::TooLong)]));
    }
    let mut last_answer_at = Vec::with_capacity(q.receipt_codes.len());
    for code in &q.receipt_codes {
        match find(&state, &ip, code).await {
            Ok(v) => last_answer_at.push(v.last_answer_at.map(rfc3339)),
            Err(ApiError::Validation(_)) => last_answer_at.push(None),
            Err(e) => return Err(e),
        }
    }
    Ok(Json(Answers { last_answer_at }))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn the_excerpt_is_the_first_words_cut_at_a_word() {
        assert_eq!(excerpt("  Han   hotade\nmig ", 80), "Han hotade mig");
        let long = "ord ".repeat(40);
        let cut = excerpt(&long, 80);
        assert!(cut.ends_with("ord…") && cut.chars().count() <= 81, "{cut}");
    }
}
