//! The police summary (issue 18.2): `GET /api/reports/{id}/police-summary` for coordinators and
//! `POST /api/followup/police-summary` for the reporter by receipt code; `POST
//! /api/followup/summary-options` lets the reporter keep their address out of it. The summary
//! holds what happened in order, when and where, who, witnesses, the evidence (each file's
//! number, name, SHA-256, time received, size), the reporter's own words verbatim and the
//! K-number. Every summary served is an audited read (`summary.read`).
//!
//! Kept out when the address is hidden: the place (`location`) and the reporter's contact
//! details. The reporter's own summary never carries their contact details (a receipt code is
//! all it takes to read it); they add them themselves when they report.

use super::report_of;
use crate::auth::{ClientIp, Coordinator};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, RateLimited, ServerErrors, SessionErrors};
use crate::routes::format::rfc3339;
use crate::state::AppState;
use crate::store::Db;
use crate::store::after::SummaryRow;
use axum::Json;
use axum::extract::{Path, State};
use trygg_wire::after::{EvidenceLine, PoliceSummary, ReporterSummaryRequest, SummaryMessage, SummaryReporter};
use uuid::Uuid;

/// The evidence files of a report for its summary, in the order received (no image bytes:
/// the list the police get, each file named by its number, type and SHA-256).
pub async fn evidence_for_summary(db: &Db, report_id: Uuid) -> Result<Vec<EvidenceLine>, ApiError> {
    let files = db.attachments_of_report(report_id).await?;
    Ok(files
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let ext = if f.content_type == "image/png" { "png" } else { "jpg" };
            EvidenceLine {
                number: i as u32 + 1,
                name: format!("bild-{}.{ext} ({} × {} px)", i + 1, f.width, f.height),
                sha256: f.sha256_hex,
                received_at: rfc3339(f.received_at),
                size_bytes: f.bytes.max(0) as u64,
            }
        })
        .collect())
}

async fn build(state: &AppState, r: SummaryRow, with_contact: bool) -> Result<PoliceSummary, ApiError> {
    let after = state.db.report_after(r.id).await?;
    let hide = after.hide_address;
    let messages = state
        .db
        .events(r.id, false)
        .await?
        .into_iter()
        .filter(|e| e.kind == "message" && e.actor == "reporter")
        .map(|e| SummaryMessage { at: rfc3339(e.at), body: e.body.unwrap_or_default() })
        .collect();
    let open = |column: &str, stored: &Option<String>| -> Result<Option<String>, ApiError> {
        stored
            .as_ref()
            .map(|s| crate::store::sealed::open_stored(&state.keys, "reports", column, r.id, s))
            .transpose()
            .map_err(ApiError::internal)
    };
    let reporter = if with_contact && r.identity != "anonymous" {
        let name = open("reporter_name", &r.reporter_name)?;
        let (phone, email) = if hide {
            (None, None)
        } else {
            (open("reporter_phone", &r.reporter_phone)?, open("reporter_email", &r.reporter_email)?)
        };
        Some(SummaryReporter { name, phone, email })
    } else {
        None
    };
    Ok(PoliceSummary {
        report_id: r.id.to_string(),
        occurred_at: rfc3339(r.occurred_at),
        received_at: rfc3339(r.received_at),
        kind: r.kind,
        channel: r.channel,
        location: if hide { None } else { r.location },
        address_omitted: hide,
        description: r.description,
        perpetrator: r.perpetrator,
        perpetrator_description: r.perpetrator_description,
        witnesses: r.witnesses,
        injury: r.injury,
        damage: r.damage,
        sick_leave: r.sick_leave,
        role: r.role,
        unit: r.unit,
        reporter,
        messages,
        evidence: evidence_for_summary(&state.db, r.id).await?,
        police_case_number: after.police_case_number.or(r.police_case_number),
        generated_at: rfc3339(state.clock.now_ms()),
    })
}

/// `GET /api/reports/{id}/police-summary`: the printable summary for the police (an audited read).
#[utoipa::path(get, path = "/api/reports/{id}/police-summary", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")),
    responses(
        (status = 200, description = "The summary (audited as `summary.read`)", body = PoliceSummary),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn for_coordinator(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<PoliceSummary>, ApiError> {
    let report_id = report_of(&state, &id).await?;
    let r = state
        .db
        .read_for_summary(&state.keys, report_id, Some(who.id), "police summary")
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(build(&state, r, true).await?))
}

/// `POST /api/followup/police-summary`: the reporter's own summary by receipt code alone (an
/// audited read; without their contact details).
#[utoipa::path(post, path = "/api/followup/police-summary", tag = "followup", request_body = ReporterSummaryRequest,
    responses(
        (status = 200, description = "The summary (audited as `summary.read`)", body = PoliceSummary),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn for_reporter(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(q): ApiJson<ReporterSummaryRequest>,
) -> Result<Json<PoliceSummary>, ApiError> {
    let v = crate::routes::followup::find(&state, &ip, &q.receipt_code).await?;
    reporter_summary(&state, v.id).await.map(Json)
}

async fn reporter_summary(state: &AppState, id: Uuid) -> Result<PoliceSummary, ApiError> {
    let reason = "police summary, by the reporter (receipt code)";
    let r = state.db.read_for_summary(&state.keys, id, None, reason).await?.ok_or(ApiError::NotFound)?;
    build(state, r, false).await
}

/// `POST /api/followup/summary-options`: the reporter keeps their address out of the summary
/// (`hide_address`), or lets it in again; the answer is the summary after the change.
#[utoipa::path(post, path = "/api/followup/summary-options", tag = "followup", request_body = ReporterSummaryRequest,
    responses(
        (status = 200, description = "Saved (audited as `after.update`); the summary after it (audited as `summary.read`)", body = PoliceSummary),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn reporter_options(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(q): ApiJson<ReporterSummaryRequest>,
) -> Result<Json<PoliceSummary>, ApiError> {
    let v = crate::routes::followup::find(&state, &ip, &q.receipt_code).await?;
    if let Some(hide) = q.hide_address {
        // The reporter holds no version: read, change, write; another change first → once more.
        for _ in 0..3 {
            let before = state.db.report_after(v.id).await?;
            if before.hide_address == hide {
                break;
            }
            let next =
                crate::store::after::AfterRow { hide_address: hide, version: before.version + 1, ..before.clone() };
            let detail = format!("{} (by the reporter)", super::changes(&before, &next));
            if state.db.save_after(&state.keys, None, v.id, &next, "after.update", &detail).await? {
                break;
            }
        }
    }
    reporter_summary(&state, v.id).await.map(Json)
}
