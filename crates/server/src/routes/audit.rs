//! `/api/audit`: the access log and its verification, for administrators.

use super::format::rfc3339;
use crate::auth::Admin;
use crate::error::{ApiError, ApiQuery, QueryErrors, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::audit::Entry;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use trygg_wire::{AuditEntry, AuditVerdict};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `seq` of the last entry of the previous page.
    before: Option<i64>,
}

/// `GET /api/audit`: the access log, newest first (administrators only; each read is logged as `audit.read`).
#[utoipa::path(get, path = "/api/audit", tag = "audit", security(("session" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "Entries, newest first", body = Vec<AuditEntry>),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn audit(
    State(state): State<AppState>,
    admin: Admin,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=200).contains(&limit) || q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::InvalidQuery);
    }
    let rows = state.db.audit_page(q.before, limit).await?;
    // Reading the log is itself logged (after the page is read, so the page shows the entries
    // before it; the next page read shows this one). No entry, no answer.
    let entry = Entry { user_id: Some(admin.0.id), action: "audit.read", report_id: None, reason: None };
    state.db.audit(&state.keys, &entry).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: rfc3339(r.at),
                user_id: r.user_id.map(|u| u.to_string()),
                action: r.action,
                report_id: r.report_id.map(|u| u.to_string()),
                reason: r.reason,
                hash: r.hash,
            })
            .collect(),
    ))
}

/// `GET /api/audit/verify`: recomputes the whole hash chain and every entry's HMAC, and compares
/// the chain with the head recorded outside the database (administrators only; logged as `audit.verify`).
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit", security(("session" = [])),
    responses(
        (status = 200, description = "Whether the chain is intact, and where it breaks", body = AuditVerdict),
        SessionErrors, ServerErrors,
    ))]
pub async fn verify(State(state): State<AppState>, admin: Admin) -> Result<Json<AuditVerdict>, ApiError> {
    let verdict = state.db.verify_audit(&state.keys, Some(&state.anchor)).await?;
    if verdict.ok {
        state.anchor.advance(&state.db).await?;
    } else {
        tracing::error!(broken_at = ?verdict.broken_at, problem = ?verdict.problem, anchor_seq = ?verdict.anchor_seq,
            "the access log does not verify");
    }
    let entry = Entry { user_id: Some(admin.0.id), action: "audit.verify", report_id: None, reason: None };
    state.db.audit(&state.keys, &entry).await?;
    Ok(Json(AuditVerdict {
        ok: verdict.ok,
        entries: verdict.entries,
        broken_at: verdict.broken_at,
        problem: verdict.problem.map(str::to_owned),
        anchor_seq: verdict.anchor_seq,
    }))
}
