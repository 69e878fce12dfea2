//! `/api/admin/jobs…`: failed jobs and the mail server's state, for administrators; a failed
//! job can be queued again (an audited administrative change: `job.retry`, failed → queued).

use super::format::rfc3339;
use crate::auth::Admin;
use crate::error::{ApiError, ErrorEnvelope, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::jobs::JobRow;
use axum::Json;
use axum::extract::{Path, State};
use trygg_wire::jobs::{FailedJob, JobsOverview, SmtpState, SmtpWarning};
use uuid::Uuid;

/// How many failed jobs the overview lists.
const LIST_LIMIT: i64 = 200;

/// A retry of a job that is not (or no longer) failed.
#[derive(utoipa::IntoResponses)]
pub enum JobNotFound {
    #[response(
        status = 404,
        description = "No failed job with this id: it does not exist, or it was retried already (`not_found`)"
    )]
    NotFound(ErrorEnvelope),
}

/// `GET /api/admin/jobs`: failed jobs and the mail server's state (administrators only).
#[utoipa::path(get, path = "/api/admin/jobs", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "Failed jobs, newest first, and the mail server's state", body = JobsOverview),
        SessionErrors, ServerErrors,
    ))]
pub async fn overview(State(state): State<AppState>, _admin: Admin) -> Result<Json<JobsOverview>, ApiError> {
    Ok(Json(overview_of(&state).await?))
}

/// `POST /api/admin/jobs/{id}/retry`: queues a failed job again with a fresh set of attempts,
/// at once (administrators only; written to the access log as `job.retry`). Answers the
/// overview as it is afterwards.
#[utoipa::path(post, path = "/api/admin/jobs/{id}/retry", tag = "admin", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "Queued again; the overview afterwards", body = JobsOverview),
        SessionErrors, JobNotFound, ServerErrors,
    ))]
pub async fn retry(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> Result<Json<JobsOverview>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    let before = state.db.retry_job(id, state.clock.now_ms()).await?.ok_or(ApiError::NotFound)?;
    // Who, what, before → after; the reason holds the kind and attempts, never the payload.
    let reason = format!("job {id} ({}): failed after {} attempts → queued", before.kind, before.attempts);
    let entry = Entry { user_id: Some(admin.0.id), action: "job.retry", report_id: None, reason: Some(&reason) };
    state.db.audit(&state.keys, &entry).await?;
    crate::jobs::wake();
    Ok(Json(overview_of(&state).await?))
}

async fn overview_of(state: &AppState) -> Result<JobsOverview, ApiError> {
    let failed = state.db.failed_jobs(LIST_LIMIT).await?.into_iter().map(failed_job).collect();
    let s = state.jobs.mailer.status();
    let warning = s.warning.map(|w| match w {
        "not_configured" => SmtpWarning::NotConfigured,
        "invalid_configuration" => SmtpWarning::InvalidConfiguration,
        _ => SmtpWarning::Unreachable,
    });
    Ok(JobsOverview { smtp: SmtpState { configured: s.configured, warning, since: s.since.map(rfc3339) }, failed })
}

fn failed_job(j: JobRow) -> FailedJob {
    FailedJob {
        id: j.id.to_string(),
        kind: j.kind,
        attempts: j.attempts,
        max_attempts: j.max_attempts,
        last_error: j.last_error,
        created_at: rfc3339(j.created_at),
        failed_at: j.finished_at.map(rfc3339),
    }
}
