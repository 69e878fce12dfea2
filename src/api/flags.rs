//! The risk-flag calls: a report's flags, proposing and approving one (coordinators), and the
//! look-up (responders). A refused form answers with its field errors (`address.invalid`, …)
//! so the page shows each next to its field and keeps what was typed.

use super::duty::RowError;
use super::{ApiError, CSRF, CSRF_HEADER, body_json, classify, csrf_token, encode_error, json, value};
use crate::model::{ErrorEnvelope, codes};
use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_wire::flags::{Flag, FlagApproval, FlagProposal, LookupAnswer, LookupRequest};

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

/// POSTs `body` with the CSRF token (fetched again once on `csrf_failed`).
async fn post<T: DeserializeOwned>(url: &str, body: &serde_json::Value) -> Result<Sent<T>, ApiError> {
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
        let error = classify(status, serde_json::from_str::<ErrorEnvelope>(&text).ok());
        if !retried && error.code() == codes::CSRF_FAILED {
            retried = true;
            CSRF.with_borrow_mut(|c| *c = None);
            continue;
        }
        return Err(error);
    }
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
