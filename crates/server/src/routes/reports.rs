//! `/api/reports`: reporters submit (idempotently); coordinators list.

use crate::auth::{Coordinator, sha256_hex};
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorEnvelope};
use crate::state::AppState;
use crate::store::from_ms;
use crate::store::reports::{InsertError, Pending, Summary};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use trygg_domain::{NewReport, ReceiptCode, ReportDraft};
use uuid::Uuid;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: Uuid,
    pub receipt_code: String,
    pub received_at: String,
}

fn rfc3339(ms: i64) -> String {
    from_ms(ms).format(&Rfc3339).unwrap_or_default()
}

fn idempotency_key(headers: &HeaderMap) -> Result<Uuid, ApiError> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .filter(|u| !u.is_nil())
        .ok_or(ApiError::MissingIdempotencyKey)
}

/// `POST /api/reports`: 201 the first time, 200 with the same receipt for a repeated key.
#[utoipa::path(post, path = "/api/reports", tag = "reports",
    request_body(content = ReportDraft, content_type = "application/json"),
    params(("Idempotency-Key" = uuid::Uuid, Header, description = "Made by the client once per report and reused on every retry")),
    responses(
        (status = 201, description = "Stored durably", body = Receipt),
        (status = 200, description = "Same key seen before: the first answer again", body = Receipt,
            headers(("Idempotent-Replayed" = String, description = "always `true`"))),
        (status = 400, description = "Missing or malformed key, or malformed JSON", body = ErrorEnvelope),
        (status = 409, description = "Key used for a different report", body = ErrorEnvelope),
        (status = 413, description = "Body too large", body = ErrorEnvelope),
        (status = 415, description = "Not application/json", body = ErrorEnvelope),
        (status = 422, description = "Field errors, or a body of the wrong shape", body = ErrorEnvelope),
        (status = 500, description = "Internal error", body = ErrorEnvelope),
        (status = 503, description = "Database unavailable", body = ErrorEnvelope),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<ReportDraft>,
) -> Result<Response, ApiError> {
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
    tracing::info!(report_id = %stored.id, replayed = stored.replayed, "report stored");
    let body = Receipt {
        id: stored.id,
        receipt_code: stored.receipt.to_string(),
        received_at: rfc3339(stored.received_at_ms),
    };
    let status = if stored.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let mut res = (status, Json(body)).into_response();
    if stored.replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    before: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportSummary {
    id: Uuid,
    received_at: String,
    occurred_at: String,
    kind: String,
    channel: String,
    role: String,
    phase: Option<String>,
    identity: String,
    reporter_name: Option<String>,
    location: Option<String>,
    description: String,
    status: String,
    severity: Option<String>,
}

impl From<Summary> for ReportSummary {
    fn from(s: Summary) -> Self {
        ReportSummary {
            id: s.id,
            received_at: rfc3339(s.received_at),
            occurred_at: rfc3339(s.occurred_at),
            kind: s.kind,
            channel: s.channel,
            role: s.role,
            phase: s.phase,
            identity: s.identity,
            reporter_name: s.reporter_name,
            location: s.location,
            description: s.description,
            status: s.status,
            severity: s.severity,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Page {
    items: Vec<ReportSummary>,
    next_cursor: Option<String>,
}

/// `GET /api/reports`: newest first, keyset-paginated; signed-in coordinators only.
#[utoipa::path(get, path = "/api/reports", tag = "reports", params(ListQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of reports, newest first", body = Page),
        (status = 400, description = "Bad limit or cursor", body = ErrorEnvelope),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        (status = 500, description = "Internal error", body = ErrorEnvelope),
        (status = 503, description = "Database unavailable", body = ErrorEnvelope),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _who: Coordinator,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::InvalidQuery);
    }
    let before = match q.before.as_deref().filter(|s| !s.is_empty()) {
        Some(c) => Some(c.parse::<i64>().map_err(|_| ApiError::InvalidQuery)?),
        None => None,
    };
    let mut rows = state.db.list_reports(before, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    Ok(Json(Page { items: rows.into_iter().map(ReportSummary::from).collect(), next_cursor }))
}
