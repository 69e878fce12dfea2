//! The calls of "after an incident" (issue 18): a report's support tasks, the overdue list, what
//! is recorded after it (K-number, work-environment notice), the police summary for coordinators,
//! and the reporter's summary and address choice by receipt code. A refused form answers with
//! its field errors so the page shows each next to its field and keeps what was typed; 409
//! `stale` is told apart so the page reloads the newer state.

use super::duty::RowError;
use super::flags::Sent;
use super::{ApiError, CSRF, CSRF_HEADER, body_json, classify, csrf_token, encode_error, json, post_json, value};
use crate::model::{ErrorEnvelope, codes};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_wire::after::{
    AfterChange, NewTask, PoliceSummary, ReportAfter, ReporterSummaryRequest, SupportTask, TaskChange, TaskListItem,
};

#[derive(Deserialize)]
struct Refusal {
    error: RefusalBody,
}

#[derive(Deserialize)]
struct RefusalBody {
    code: String,
    #[serde(default)]
    fields: Vec<RowError>,
}

/// Sends `body` with the CSRF token (fetched again once on `csrf_failed`).
async fn send<T: DeserializeOwned>(method: Method, url: &str, body: &serde_json::Value) -> Result<Sent<T>, ApiError> {
    let mut retried = false;
    loop {
        let token = csrf_token().await?;
        let request = RequestBuilder::new(url)
            .method(method.clone())
            .header(CSRF_HEADER, &token)
            .json(body)
            .map_err(|_| encode_error())?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        let status = response.status();
        if response.ok() {
            return body_json(&response)
                .await
                .map(Sent::Done)
                .ok_or(ApiError::Other { status, code: "bad_response".into() });
        }
        let text = response.text().await.unwrap_or_default();
        if let Ok(r) = serde_json::from_str::<Refusal>(&text)
            && status == 422
            && r.error.code == codes::VALIDATION
            && !r.error.fields.is_empty()
        {
            return Ok(Sent::Refused(r.error.fields));
        }
        let error = classify(status, ErrorEnvelope::parse(&text));
        if !retried && error.code() == codes::CSRF_FAILED {
            retried = true;
            CSRF.with_borrow_mut(|c| *c = None);
            continue;
        }
        return Err(error);
    }
}

/// A report's tasks with their notes (an audited read).
pub async fn tasks_of(report: &str) -> Result<Vec<SupportTask>, ApiError> {
    json(Request::get(&format!("/api/reports/{report}/tasks")).send().await).await
}

pub async fn add_task(report: &str, t: &NewTask) -> Result<Sent<SupportTask>, ApiError> {
    send(Method::POST, &format!("/api/reports/{report}/tasks"), &value(t)?).await
}

pub async fn change_task(id: &str, c: &TaskChange) -> Result<Sent<SupportTask>, ApiError> {
    send(Method::PATCH, &format!("/api/tasks/{id}"), &value(c)?).await
}

/// Open tasks whose due date has ended, earliest first.
pub async fn overdue_tasks() -> Result<Vec<TaskListItem>, ApiError> {
    json(Request::get("/api/tasks?overdue=true").send().await).await
}

pub async fn after_of(report: &str) -> Result<ReportAfter, ApiError> {
    json(Request::get(&format!("/api/reports/{report}/after")).send().await).await
}

pub async fn change_after(report: &str, c: &AfterChange) -> Result<Sent<ReportAfter>, ApiError> {
    send(Method::PATCH, &format!("/api/reports/{report}/after"), &value(c)?).await
}

/// The coordinator's police summary (an audited read).
pub async fn police_summary(report: &str) -> Result<PoliceSummary, ApiError> {
    json(Request::get(&format!("/api/reports/{report}/police-summary")).send().await).await
}

/// The reporter's own summary by receipt code; with `hide_address`, changes that choice first.
pub async fn reporter_summary(receipt_code: &str, hide_address: Option<bool>) -> Result<PoliceSummary, ApiError> {
    let body = ReporterSummaryRequest { receipt_code: receipt_code.to_owned(), hide_address };
    let url = if hide_address.is_some() { "/api/followup/summary-options" } else { "/api/followup/police-summary" };
    post_json(url, &value(&body)?).await
}
