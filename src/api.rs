//! The only module that speaks HTTP: one function per API call (docs/api.md), each returning
//! `Result<T, ApiError>`.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use trygg_domain::{FieldError, ReportDraft};
use uuid::Uuid;

use trygg_domain::TriageDraft;

use crate::model::{Checklist, Contacts, ErrorEnvelope, Receipt, ReportDetail, ReportPage, Thread, User};

/// Why a call did not give what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, connection cut).
    Network,
    /// 422 `validation`: the fields the server rejected, with codes the UI translates.
    Validation(Vec<FieldError>),
    /// 401: not signed in, or wrong e-mail or password.
    Unauthorized,
    /// Any other answer, with the error code from the envelope (or `http_<status>`).
    Other { status: u16, code: String },
}

impl ApiError {
    /// True when trying again later may work: no answer, or the server's own fault.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network => true,
            ApiError::Other { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            ApiError::Validation(_) | ApiError::Unauthorized => false,
        }
    }

    /// The code to show a person next to a generic message.
    pub fn code(&self) -> String {
        match self {
            ApiError::Network => "network".into(),
            ApiError::Validation(_) => "validation".into(),
            ApiError::Unauthorized => "unauthorized".into(),
            ApiError::Other { code, .. } => code.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Network => f.write_str("network error"),
            ApiError::Validation(fields) => write!(f, "validation failed on {} fields", fields.len()),
            ApiError::Unauthorized => f.write_str("unauthorized"),
            ApiError::Other { status, code } => write!(f, "HTTP {status}: {code}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Sends a report. The same `idempotency_key` on every retry of the same draft means the
/// server stores it once and answers each retry with the same receipt.
pub async fn submit_report(idempotency_key: Uuid, draft: &ReportDraft) -> Result<Receipt, ApiError> {
    let request = Request::post("/api/reports")
        .header("Idempotency-Key", &idempotency_key.to_string())
        .json(draft)
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    json(request.send().await).await
}

/// Signs a coordinator in; the server sets an HttpOnly session cookie.
pub async fn login(email: &str, password: &str) -> Result<User, ApiError> {
    let body = serde_json::json!({ "email": email, "password": password });
    let request = Request::post("/api/auth/login")
        .json(&body)
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    json(request.send().await).await
}

/// Ends the session.
pub async fn logout() -> Result<(), ApiError> {
    let response = Request::post("/api/auth/logout").send().await.map_err(|_| ApiError::Network)?;
    if response.ok() { Ok(()) } else { Err(error_of(&response).await) }
}

/// One page of the inbox, newest first; `before` is the previous page's `next_cursor`.
pub async fn list_reports(before: Option<String>) -> Result<ReportPage, ApiError> {
    let mut request = Request::get("/api/reports").query([("limit", "50")]);
    if let Some(cursor) = before.as_deref() {
        request = request.query([("before", cursor)]);
    }
    json(request.send().await).await
}

/// The checklist for one situation (`role` and `phase` are wire values).
pub async fn checklist(role: &str, phase: &str) -> Result<Checklist, ApiError> {
    json(Request::get("/api/checklists").query([("role", role), ("phase", phase)]).send().await).await
}

/// The phone list.
pub async fn contacts() -> Result<Contacts, ApiError> {
    json(Request::get("/api/contacts").send().await).await
}

/// The reporter's view of a report. The receipt code goes in the body, never in the URL.
pub async fn followup(receipt_code: &str) -> Result<Thread, ApiError> {
    post_json("/api/followup", &serde_json::json!({ "receipt_code": receipt_code })).await
}

/// The reporter answers; the server sends back the whole thread.
pub async fn followup_reply(receipt_code: &str, body: &str) -> Result<Thread, ApiError> {
    post_json("/api/followup/messages", &serde_json::json!({ "receipt_code": receipt_code, "body": body })).await
}

/// One report with every field and its timeline (each read is logged by the server).
pub async fn report(id: &str) -> Result<ReportDetail, ApiError> {
    json(Request::get(&format!("/api/reports/{id}")).send().await).await
}

/// Changes status, severity (and the closing reason); answers with the report after the change.
pub async fn triage(id: &str, draft: &TriageDraft) -> Result<ReportDetail, ApiError> {
    let request = Request::patch(&format!("/api/reports/{id}"))
        .json(draft)
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    json(request.send().await).await
}

/// Adds an internal note (`notes`) or a message to the reporter (`messages`).
pub async fn add_entry(id: &str, kind: &str, body: &str) -> Result<(), ApiError> {
    let request = Request::post(&format!("/api/reports/{id}/{kind}"))
        .json(&serde_json::json!({ "body": body }))
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() { Ok(()) } else { Err(error_of(&response).await) }
}

async fn post_json<T: DeserializeOwned>(url: &str, body: &serde_json::Value) -> Result<T, ApiError> {
    let request = Request::post(url).json(body).map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    json(request.send().await).await
}

/// Decodes a 2xx body, or turns the answer into an [`ApiError`].
async fn json<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(error_of(&response).await);
    }
    response.json().await.map_err(|_| ApiError::Other { status: response.status(), code: "bad_response".into() })
}

async fn error_of(response: &Response) -> ApiError {
    let status = response.status();
    let envelope = response.json::<ErrorEnvelope>().await.ok();
    classify(status, envelope)
}

/// Maps a status and the (possibly missing) error envelope to an [`ApiError`].
fn classify(status: u16, envelope: Option<ErrorEnvelope>) -> ApiError {
    let code = envelope.as_ref().map_or_else(|| format!("http_{status}"), |e| e.error.code.clone());
    match status {
        401 => ApiError::Unauthorized,
        422 if code == "validation" => {
            let fields: Vec<FieldError> = envelope
                .into_iter()
                .flat_map(|e| e.error.fields)
                .filter_map(|f| serde_json::from_value(f).ok())
                .collect();
            if fields.is_empty() { ApiError::Other { status, code } } else { ApiError::Validation(fields) }
        }
        _ => ApiError::Other { status, code },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trygg_domain::{ErrorKind, Field};

    fn envelope(json: &str) -> Option<ErrorEnvelope> {
        Some(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn a_422_lists_the_known_field_errors_and_skips_unknown_codes() {
        let e = classify(
            422,
            envelope(
                r#"{"error":{"code":"validation","message":"m","fields":[
                {"field":"description","code":"description.required"},{"field":"x","code":"x.new_rule"}]}}"#,
            ),
        );
        assert_eq!(e, ApiError::Validation(vec![FieldError::new(Field::Description, ErrorKind::Required)]));
    }

    #[test]
    fn a_422_of_the_wrong_shape_is_not_a_validation_error() {
        let e = classify(422, envelope(r#"{"error":{"code":"invalid_body","message":"m","fields":[]}}"#));
        assert_eq!(e, ApiError::Other { status: 422, code: "invalid_body".into() });
        assert!(!e.is_transient());
    }

    #[test]
    fn a_401_is_unauthorized_and_a_bare_502_is_transient() {
        assert_eq!(classify(401, None), ApiError::Unauthorized);
        let bad_gateway = classify(502, None);
        assert_eq!(bad_gateway, ApiError::Other { status: 502, code: "http_502".into() });
        assert!(bad_gateway.is_transient());
        assert!(ApiError::Network.is_transient());
    }

    #[test]
    fn an_idempotency_conflict_keeps_its_code() {
        let e = classify(409, envelope(r#"{"error":{"code":"idempotency_conflict","message":"m","fields":[]}}"#));
        assert_eq!(e.code(), "idempotency_conflict");
    }
}
