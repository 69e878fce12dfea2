//! The risk-flag calls: a report's flags, proposing and approving one (coordinators), and the
//! look-up (responders). A refused form answers with its field errors (`address.invalid`, …)
//! so the page shows each next to its field and keeps what was typed.

use super::duty::RowError;
use super::{ApiError, CSRF, CSRF_HEADER, classify, csrf_token, encode_error, json, value};
use crate::model::{ErrorEnvelope, codes};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_wire::flags::{
    Flag, FlagApproval, FlagDetail, FlagProposal, FlagReview, LookupAnswer, LookupLogEntry, LookupRequest,
};

/// How a form's request ended: done, or refused field by field (nothing saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent<T> {
    Done(T),
    Refused(Vec<RowError>),
}

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

/// POSTs `body` with the CSRF token (fetched again once on `csrf_failed`): the answer's status
/// and text when it is a success, a 422 with field errors or a 409 (the caller reads those).
async fn post_raw(url: &str, body: &serde_json::Value) -> Result<(u16, String), ApiError> {
    let mut retried = false;
    loop {
        let token = csrf_token().await?;
        let request = RequestBuilder::new(url)
            .method(Method::POST)
            .header(CSRF_HEADER, &token)
            .json(body)
            .map_err(|_| encode_error())?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if response.ok() {
            return Ok((status, text));
        }
        if let Ok(r) = serde_json::from_str::<Refusal>(&text)
            && ((status == 422 && r.error.code == codes::VALIDATION && !r.error.fields.is_empty())
                || (status == 409 && r.error.code == codes::VERSION_CONFLICT))
        {
            return Ok((status, text));
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

fn refused(text: &str) -> Vec<RowError> {
    serde_json::from_str::<Refusal>(text).map(|r| r.error.fields).unwrap_or_default()
}

/// POSTs `body`: done, or refused field by field (a 409 `version_conflict` is an error here).
async fn post<T: DeserializeOwned>(url: &str, body: &serde_json::Value) -> Result<Sent<T>, ApiError> {
    let (status, text) = post_raw(url, body).await?;
    match status {
        422 => Ok(Sent::Refused(refused(&text))),
        409 => Err(ApiError::Other { status, code: codes::VERSION_CONFLICT.into() }),
        _ => serde_json::from_str(&text)
            .map(Sent::Done)
            .map_err(|_| ApiError::Other { status, code: "bad_response".into() }),
    }
}

/// How a review ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    Done(Flag),
    /// 422: nothing changed; the form keeps what was typed.
    Refused(Vec<RowError>),
    /// 409: someone changed the flag first; its newer state.
    Stale(Flag),
}

#[derive(Deserialize)]
struct StaleAnswer {
    current: Flag,
}

/// Extends, changes or lifts a flag (with the version the coordinator saw).
pub async fn review_flag(id: &str, r: &FlagReview) -> Result<Reviewed, ApiError> {
    let (status, text) = post_raw(&format!("/api/flags/{id}/review"), &value(r)?).await?;
    let bad = || ApiError::Other { status, code: "bad_response".into() };
    match status {
        422 => Ok(Reviewed::Refused(refused(&text))),
        409 => serde_json::from_str::<StaleAnswer>(&text).map(|s| Reviewed::Stale(s.current)).map_err(|_| bad()),
        _ => serde_json::from_str(&text).map(Reviewed::Done).map_err(|_| bad()),
    }
}

/// One flag with its history and the look-ups of its address (an audited read).
pub async fn flag_detail(id: &str) -> Result<FlagDetail, ApiError> {
    json(Request::get(&format!("/api/flags/{id}")).send().await).await
}

/// The newest look-ups, hits and misses (administrators; an audited read).
pub async fn lookup_log() -> Result<Vec<LookupLogEntry>, ApiError> {
    json(Request::get("/api/lookups").send().await).await
}

/// The flags raised from a report (an audited read).
pub async fn flags_of(report: &str) -> Result<Vec<Flag>, ApiError> {
    json(Request::get(&format!("/api/reports/{report}/flags")).send().await).await
}

pub async fn propose_flag(report: &str, p: &FlagProposal) -> Result<Sent<Flag>, ApiError> {
    post(&format!("/api/reports/{report}/flags"), &value(p)?).await
}

pub async fn approve_flag(id: &str, version: i64) -> Result<Sent<Flag>, ApiError> {
    post(&format!("/api/flags/{id}/approve"), &value(&FlagApproval { version })?).await
}

pub async fn lookup(address: &str, purpose: &str) -> Result<Sent<LookupAnswer>, ApiError> {
    post("/api/lookup", &value(&LookupRequest { address: address.into(), purpose: purpose.into() })?).await
}

/// Every dispatch system's look-up token (administrators; never the secrets).
pub async fn lookup_tokens() -> Result<Vec<trygg_wire::flags::LookupToken>, ApiError> {
    json(Request::get("/api/lookup-tokens").send().await).await
}

/// A new token; its secret is in this answer only.
pub async fn create_lookup_token(name: &str) -> Result<Sent<trygg_wire::flags::LookupToken>, ApiError> {
    post("/api/lookup-tokens", &value(&trygg_wire::flags::NewLookupToken { name: name.into() })?).await
}

/// Revokes a token at once.
pub async fn revoke_lookup_token(id: &str) -> Result<(), ApiError> {
    super::send_protected(Method::DELETE, &format!("/api/lookup-tokens/{id}"), None).await.map(|_| ())
}
