//! The notices calls (coordinators and administrators): list, publish, change, end. A refused
//! form answers with its field errors (`title_sv.required`, …) so the page shows each next to its
//! field and keeps what was typed; a stale edit is `Other { 409, "version_conflict" }`.

use super::flags::Sent;
use super::{ApiError, CSRF, CSRF_HEADER, body_json, classify, csrf_token, encode_error, json, value};
use crate::model::{ErrorEnvelope, codes};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;
use trygg_wire::notices::{Notice, NoticeBody, NoticeVersion};

#[derive(Deserialize)]
struct Refusal {
    error: RefusalBody,
}

#[derive(Deserialize)]
struct RefusalBody {
    code: String,
    #[serde(default)]
    fields: Vec<super::RowError>,
}

/// Sends `body` with the CSRF token (fetched again once on `csrf_failed`).
async fn send(method: Method, url: &str, body: &serde_json::Value) -> Result<Sent<Notice>, ApiError> {
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

/// Every notice, latest start first.
pub async fn notices() -> Result<Vec<Notice>, ApiError> {
    json(Request::get("/api/notices").send().await).await
}

/// Publishes a notice (`id` none) or changes one from the version in `body`.
pub async fn save_notice(id: Option<i64>, body: &NoticeBody) -> Result<Sent<Notice>, ApiError> {
    let body = value(body)?;
    match id {
        None => send(Method::POST, "/api/notices", &body).await,
        Some(id) => send(Method::PUT, &format!("/api/notices/{id}"), &body).await,
    }
}

/// Ends a notice today, from `version`.
pub async fn end_notice(id: i64, version: i64) -> Result<Sent<Notice>, ApiError> {
    send(Method::POST, &format!("/api/notices/{id}/end"), &value(&NoticeVersion { version })?).await
}
