//! `/api/reports`: reporters submit (idempotently); coordinators list.

use super::format::rfc3339;
use crate::auth::{ClientIp, Coordinator, limit_key};
use crate::crypto::sha256_hex;
use crate::error::{
    ApiError, ApiJson, ApiQuery, ErrorEnvelope, JsonErrors, QueryErrors, RateLimited, ServerErrors, SessionErrors,
};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::inbox::{Assignee, Filter, Row};
use crate::store::reports::{InsertError, Pending};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde::Deserialize;
use time::OffsetDateTime;
use trygg_domain::{NewReport, ReceiptCode, ReportDraft};
use trygg_wire::headers::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
use trygg_wire::{Counts, Receipt, ReportPage as Page, ReportSummary};
use uuid::Uuid;

fn idempotency_key(headers: &HeaderMap) -> Result<Uuid, ApiError> {
    headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .filter(|u| !u.is_nil())
        .ok_or(ApiError::MissingIdempotencyKey)
}

/// Submits are counted per client address in 10-minute windows (`TRYGG_SUBMIT_MAX_PER_ADDRESS`).
const SUBMIT_WINDOW_SECS: i64 = 10 * 60;

/// `POST /api/reports`: 201 the first time, 200 with the same receipt for a repeated key.
/// At most `TRYGG_SUBMIT_MAX_PER_ADDRESS` (120) per client address per 10 minutes, retries
/// included: far above what a hospital behind one NAT address sends, far below a script's loop.
#[utoipa::path(post, path = "/api/reports", tag = "reports",
    request_body(content = ReportDraft, content_type = "application/json"),
    params(("Idempotency-Key" = uuid::Uuid, Header, description = "Made by the client once per report and reused on every retry")),
    responses(
        (status = 201, description = "Stored durably", body = Receipt, links(
            ("report" = (operation_id = "detail", parameters(("id" = "$response.body#/id")),
                description = "The stored report, for a coordinator: `GET /api/reports/{id}`")),
            ("triage" = (operation_id = "triage", parameters(("id" = "$response.body#/id")),
                description = "Triage it: `PATCH /api/reports/{id}`")),
            ("note" = (operation_id = "note", parameters(("id" = "$response.body#/id")),
                description = "Add an internal note: `POST /api/reports/{id}/notes`")),
            ("message" = (operation_id = "message", parameters(("id" = "$response.body#/id")),
                description = "Write to the reporter: `POST /api/reports/{id}/messages`")),
        )),
        (status = 200, description = "Same key seen before: the first answer again", body = Receipt,
            headers(("Idempotent-Replayed" = String, description = "always `true`")), links(
            ("report" = (operation_id = "detail", parameters(("id" = "$response.body#/id")),
                description = "The stored report, for a coordinator: `GET /api/reports/{id}`")),
            ("triage" = (operation_id = "triage", parameters(("id" = "$response.body#/id")),
                description = "Triage it: `PATCH /api/reports/{id}`")),
            ("note" = (operation_id = "note", parameters(("id" = "$response.body#/id")),
                description = "Add an internal note: `POST /api/reports/{id}/notes`")),
            ("message" = (operation_id = "message", parameters(("id" = "$response.body#/id")),
                description = "Write to the reporter: `POST /api/reports/{id}/messages`")),
        )),
        (status = 409, description = "Key used for a different report, or a retry so late (after `TRYGG_REPLAY_KEEP_DAYS`) that its receipt is no longer kept (`idempotency_conflict`)", body = ErrorEnvelope),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<ReportDraft>,
) -> Result<Response, ApiError> {
    let flood = limit_key(&state.keys, "submit:ip", &ip);
    let max = state.config.submit_max_per_address;
    state.flood.count(&flood, SUBMIT_WINDOW_SECS, max, state.clock.now_ms()).map_err(ApiError::RateLimitedFor)?;
    let key = idempotency_key(&headers)?;
    let report = NewReport::parse(&draft, OffsetDateTime::now_utc()).map_err(ApiError::Validation)?;
    let request_hash = sha256_hex(&serde_json::to_string(&draft).map_err(ApiError::internal)?);
    let mut random = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let receipt = ReceiptCode::from_random(random);
    let receipt_hash = sha256_hex(receipt.canonical());
    let pending = Pending::new(key, request_hash, report, receipt, receipt_hash);
    let stored = match state.writer.submit(pending).await {
        Ok(s) => s,
        Err(InsertError::KeyConflict) => return Err(ApiError::IdempotencyConflict),
        Err(InsertError::Db(e)) => return Err(e.into()),
    };
    // No report id and nothing of the report: with its time, an id would link a reporter's
    // request in a proxy's access log to the report (anonymity).
    tracing::info!(replayed = stored.replayed, "report stored");
    let body = Receipt {
        id: stored.id.to_string(),
        receipt_code: stored.receipt.to_string(),
        received_at: rfc3339(stored.received_at_ms),
        last_opened_ms: 0,
        seen_answer_at: String::new(),
    };
    let status = if stored.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let mut res = (status, Json(body)).into_response();
    if stored.replayed {
        res.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(res)
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListQuery {
    /// Page size, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    before: Option<String>,
    /// `new`, `in_progress` or `closed`
    status: Option<String>,
    /// `low`, `medium`, `high` or `critical`
    severity: Option<String>,
    /// `threat`, `harassment`, `violence`, `vandalism` or `other`
    kind: Option<String>,
    /// `healthcare` or `elected_official`
    role: Option<String>,
    /// `before`, `during` or `after`
    phase: Option<String>,
    /// A coordinator's id, `me`, or `none` for unassigned reports.
    assignee: Option<String>,
    /// Received on or after this day (`YYYY-MM-DD`, UTC).
    from: Option<String>,
    /// Received on or before this day (`YYYY-MM-DD`, UTC).
    to: Option<String>,
    /// Words that must all appear in the description or place. Each search is written to the
    /// access log (action `inbox.search`, or `inbox.search_counts` for the counts), without its words.
    q: Option<String>,
    /// `newest` (default) or `oldest`
    sort: Option<String>,
}

/// A filter value from one of the domain's closed sets, as its canonical name.
fn one_of<T: std::str::FromStr>(
    raw: &Option<String>,
    name: fn(T) -> &'static str,
) -> Result<Option<&'static str>, ApiError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<T>().map(|v| Some(name(v))).map_err(|_| ApiError::InvalidQuery),
    }
}

fn day_ms(raw: &Option<String>, end_of_day: bool) -> Result<Option<i64>, ApiError> {
    let Some(s) = raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s, &fmt).map_err(|_| ApiError::InvalidQuery)?;
    let d = if end_of_day { d.next_day().ok_or(ApiError::InvalidQuery)? } else { d };
    Ok(Some(crate::store::ms(d.midnight().assume_utc())))
}

impl ListQuery {
    /// Page size and cursor, checked even where unused (counts) so that every bad value is a 400.
    fn page(&self) -> Result<(i64, Option<i64>), ApiError> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::InvalidQuery);
        }
        let cursor = match self.before.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => Some(c.parse::<i64>().map_err(|_| ApiError::InvalidQuery)?),
            None => None,
        };
        Ok((limit, cursor))
    }

    fn filter(&self, me: Uuid) -> Result<Filter, ApiError> {
        use trygg_domain::{IncidentKind, Phase, Role, Severity, Status};
        let assignee = match self.assignee.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("me") => Some(Assignee::User(me)),
            Some("none") => Some(Assignee::Nobody),
            Some(id) => Some(Assignee::User(Uuid::parse_str(id).map_err(|_| ApiError::InvalidQuery)?)),
        };
        let text = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err(ApiError::InvalidQuery);
        }
        Ok(Filter {
            status: one_of(&self.status, Status::as_str)?,
            severity: one_of(&self.severity, Severity::as_str)?,
            kind: one_of(&self.kind, IncidentKind::as_str)?,
            role: one_of(&self.role, Role::as_str)?,
            phase: one_of(&self.phase, Phase::as_str)?,
            assignee,
            from_ms: day_ms(&self.from, false)?,
            to_ms: day_ms(&self.to, true)?,
            text,
            oldest_first: match self.sort.as_deref() {
                None | Some("") | Some("newest") => false,
                Some("oldest") => true,
                Some(_) => return Err(ApiError::InvalidQuery),
            },
        })
    }
}

fn summary(s: Row) -> ReportSummary {
    ReportSummary {
        id: s.id.to_string(),
        received_at: rfc3339(s.received_at),
        occurred_at: rfc3339(s.occurred_at),
        kind: s.kind,
        channel: s.channel,
        role: s.role,
        phase: s.phase,
        identity: s.identity,
        excerpt: excerpt(&s.excerpt, crate::store::inbox::EXCERPT_CHARS),
        status: s.status,
        severity: s.severity,
        assignee_id: s.assignee_id.map(|u| u.to_string()),
        unread: s.unread,
    }
}

/// `text`'s first `max` characters (cut on a character boundary, the last one `…` when cut).
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some(_) => {
            let keep: String = text.chars().take(max.saturating_sub(1)).collect();
            format!("{}…", keep.trim_end())
        }
    }
}

/// A free-text search is itself a trace of interest in someone ("is there a report that
/// mentions …?"), so each one is written to the access log before it runs: who searched and
/// when, never the words (they would put names into the log).
async fn log_search(
    state: &AppState,
    who: &Coordinator,
    filter: &Filter,
    action: &'static str,
) -> Result<(), ApiError> {
    if filter.text.is_some() {
        state.db.audit(&state.keys, &Entry { user_id: Some(who.id), action, report_id: None, reason: None }).await?;
    }
    Ok(())
}

/// `GET /api/reports`: the inbox, filtered and keyset-paginated; signed-in coordinators only.
#[utoipa::path(get, path = "/api/reports", tag = "reports", params(ListQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of reports", body = Page, links(
            ("first" = (operation_id = "detail", parameters(("id" = "$response.body#/items/0/id")),
                description = "The first report of the page: `GET /api/reports/{id}`")),
            ("note" = (operation_id = "note", parameters(("id" = "$response.body#/items/0/id")),
                description = "Add an internal note to it: `POST /api/reports/{id}/notes`")),
            ("message" = (operation_id = "message", parameters(("id" = "$response.body#/items/0/id")),
                description = "Write to its reporter: `POST /api/reports/{id}/messages`")),
        )),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: Coordinator,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page>, ApiError> {
    let (limit, cursor) = q.page()?;
    let filter = q.filter(who.id)?;
    log_search(&state, &who, &filter, "inbox.search").await?;
    let mut rows = state.db.inbox(&filter, who.id, cursor, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    Ok(Json(Page { items: rows.into_iter().map(summary).collect(), next_cursor }))
}

/// Where the per-status counts stop (see [`Counts::cap`]).
pub const COUNT_CAP: i64 = 10_000;

/// `GET /api/reports/counts`: how many reports match the filters, per status.
#[utoipa::path(get, path = "/api/reports/counts", tag = "reports", params(ListQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Counts per status", body = Counts),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn counts(
    State(state): State<AppState>,
    who: Coordinator,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Counts>, ApiError> {
    q.page()?;
    let filter = q.filter(who.id)?;
    log_search(&state, &who, &filter, "inbox.search_counts").await?;
    let mut c = Counts { new: 0, in_progress: 0, closed: 0, cap: COUNT_CAP };
    for (status, n) in state.db.status_counts(&filter, COUNT_CAP).await? {
        match status {
            "new" => c.new = n,
            "in_progress" => c.in_progress = n,
            _ => c.closed = n,
        }
    }
    Ok(Json(c))
}
