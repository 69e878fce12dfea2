//! The only module that speaks HTTP: one function per API call (docs/api.md), each returning
//! `Result<T, ApiError>`.

use std::cell::RefCell;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use trygg_domain::{FieldError, ReportDraft, TriageDraft};
use uuid::Uuid;

pub mod accounts;
mod answer;
use answer::{body_json, classify, error_of, json, read};

use crate::model::{
    AuditEntry, AuditVerdict, BodyOnly, CodeBody, Colleague, Colleagues, Counts, Enrolment, FollowUp, InboxQuery,
    Login, Receipt, RecoveryCodes, ReportDetail, ReportPage, Thread, TriageBody, User, codes, headers,
};

/// Why a call did not give what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, connection cut).
    Network,
    /// 422 `validation`: the fields the server rejected, with codes the UI translates.
    Validation(Vec<FieldError>),
    /// 401: not signed in, or the second factor is still missing (`mfa_required`). A wrong
    /// password (`invalid_credentials`) or code (`invalid_code`) is `Other` with status 401.
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

    /// True for the answer to a save that someone else's save overtook (409 `version_conflict`).
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, ApiError::Other { status: 409, code } if code == codes::VERSION_CONFLICT)
    }

    /// True when the page should send the person to the sign-in page, which then shows the step
    /// still missing: no session, the code step, or switching two-factor sign-in on.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            ApiError::Unauthorized => true,
            ApiError::Other { status: 403, code } => code == codes::MFA_ENROLMENT_REQUIRED,
            _ => false,
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
    let body = serde_json::to_string(draft).map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    submit_report_json(idempotency_key, body).await
}

/// [`submit_report`] with the report as JSON text already (the outbox's frozen payload, sent as
/// it is).
pub async fn submit_report_json(idempotency_key: Uuid, body: String) -> Result<Receipt, ApiError> {
    let request = Request::post("/api/reports")
        .header(headers::IDEMPOTENCY_KEY, &idempotency_key.to_string())
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    read(request.send().await, crate::json::wire::receipt).await
}

// ---------------------------------------------------------------------------------------------
// Coordinators. Every state-changing request made with the session cookie carries the session's
// CSRF token in `X-CSRF-Token`. The token is kept in memory only (never in storage): it comes
// with the sign-in answer, and after a reload it is fetched once from `GET /api/auth/me`. A 403
// `csrf_failed` forgets it, fetches it again and retries the request once.
// ---------------------------------------------------------------------------------------------

thread_local! {
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
    static ME: RefCell<Option<User>> = const { RefCell::new(None) };
}

const CSRF_HEADER: &str = headers::CSRF;

fn remember(user: &User) {
    if !user.csrf_token.is_empty() {
        CSRF.with_borrow_mut(|c| *c = Some(user.csrf_token.clone()));
    }
    ME.with_borrow_mut(|m| *m = Some(user.clone()));
}

fn forget() {
    CSRF.with_borrow_mut(|c| *c = None);
    ME.with_borrow_mut(|m| *m = None);
}

/// The account signed in on this page, as last seen (sign-in or `me`), without asking the server.
pub fn known_user() -> Option<User> {
    ME.with_borrow(Clone::clone)
}

/// The session's CSRF token: from memory, or else from `GET /api/auth/me`.
async fn csrf_token() -> Result<String, ApiError> {
    if let Some(token) = CSRF.with_borrow(Clone::clone) {
        return Ok(token);
    }
    Ok(me().await?.csrf_token)
}

fn encode_error() -> ApiError {
    ApiError::Other { status: 0, code: "encode".into() }
}

/// A wire body as the JSON value the request helpers send.
fn value(body: &impl serde::Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(body).map_err(|_| encode_error())
}

/// Sends a state-changing request with the CSRF token (fetching it first when it is not known);
/// on 403 `csrf_failed` fetches a fresh token and tries once more. A non-2xx answer is an error.
async fn send_protected(method: Method, url: &str, body: Option<&serde_json::Value>) -> Result<Response, ApiError> {
    let mut retried = false;
    loop {
        let token = csrf_token().await?;
        let builder = RequestBuilder::new(url).method(method.clone()).header(CSRF_HEADER, &token);
        let request = match body {
            Some(b) => builder.json(b).map_err(|_| encode_error())?,
            None => builder.build().map_err(|_| encode_error())?,
        };
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        if response.ok() {
            return Ok(response);
        }
        let error = error_of(&response).await;
        if !retried && error.code() == codes::CSRF_FAILED {
            retried = true;
            CSRF.with_borrow_mut(|c| *c = None);
            continue;
        }
        return Err(error);
    }
}

async fn protected_json<T: DeserializeOwned>(
    method: Method,
    url: &str,
    body: Option<&serde_json::Value>,
) -> Result<T, ApiError> {
    let response = send_protected(method, url, body).await?;
    body_json(&response).await.ok_or_else(|| ApiError::Other { status: response.status(), code: "bad_response".into() })
}

/// Signs a coordinator in with e-mail and password; the server sets an HttpOnly session cookie.
/// The answer says whether the code step (`mfa_required`) or enrolment is still to come.
/// A wrong e-mail or password is `Other { 401, "invalid_credentials" }`; too many: 429.
pub async fn login(email: &str, password: &str) -> Result<User, ApiError> {
    let body = Login { email: email.to_owned(), password: password.to_owned() };
    let request = Request::post("/api/auth/login").json(&body).map_err(|_| encode_error())?;
    let user: User = json(request.send().await).await?;
    forget();
    remember(&user);
    Ok(user)
}

/// Who is signed in on this browser, and how far (`mfa_required`, `enrolment_required`).
pub async fn me() -> Result<User, ApiError> {
    match json::<User>(Request::get("/api/auth/me").send().await).await {
        Ok(user) => {
            remember(&user);
            Ok(user)
        }
        Err(e) => {
            if e == ApiError::Unauthorized {
                forget();
            }
            Err(e)
        }
    }
}

/// The second step of sign-in: the six digits from the app, or else one recovery code.
/// A wrong or already used code is `Other { 401, "invalid_code" }`; too many: 429.
pub async fn verify_code(code: &str, recovery_code: &str) -> Result<(), ApiError> {
    let body = CodeBody { code: code.trim().to_owned(), recovery_code: recovery_code.trim().to_owned() };
    send_protected(Method::POST, "/api/auth/totp", Some(&value(&body)?)).await?;
    ME.with_borrow_mut(|m| {
        if let Some(user) = m {
            user.mfa_required = false;
        }
    });
    Ok(())
}

/// Starts enrolment: a new secret and its otpauth URI (not active until confirmed).
pub async fn totp_setup() -> Result<Enrolment, ApiError> {
    protected_json(Method::POST, "/api/auth/totp/setup", None).await
}

/// Confirms enrolment with the first code from the app; answers with the recovery codes.
pub async fn totp_confirm(code: &str) -> Result<RecoveryCodes, ApiError> {
    let body = CodeBody { code: code.trim().to_owned(), ..CodeBody::default() };
    let codes: RecoveryCodes = protected_json(Method::POST, "/api/auth/totp/confirm", Some(&value(&body)?)).await?;
    ME.with_borrow_mut(|m| {
        if let Some(user) = m {
            user.enrolment_required = false;
            user.mfa_required = false;
            user.totp_enabled = true;
        }
    });
    Ok(codes)
}

/// Ends this session (a session that has already ended counts as done).
pub async fn logout() -> Result<(), ApiError> {
    let result = send_protected(Method::POST, "/api/auth/logout", None).await.map(|_| ());
    forget();
    match result {
        Err(ApiError::Unauthorized) => Ok(()),
        other => other,
    }
}

/// Ends every session of this account, on every device.
pub async fn logout_everywhere() -> Result<(), ApiError> {
    let result = send_protected(Method::POST, "/api/auth/logout-everywhere", None).await.map(|_| ());
    forget();
    match result {
        Err(ApiError::Unauthorized) => Ok(()),
        other => other,
    }
}

/// One page of the inbox under `filters`; `before` is the previous page's `next_cursor`.
pub async fn list_reports(filters: &InboxQuery, before: Option<String>) -> Result<ReportPage, ApiError> {
    let mut request = Request::get("/api/reports").query([("limit", "50")]);
    for (k, v) in filters.pairs() {
        request = request.query([(k, v.as_str())]);
    }
    if let Some(cursor) = before.as_deref() {
        request = request.query([("before", cursor)]);
    }
    json(request.send().await).await
}

/// How many reports match `filters` in each status (the status filter itself is ignored).
pub async fn report_counts(filters: &InboxQuery) -> Result<Counts, ApiError> {
    let mut request = Request::get("/api/reports/counts");
    for (k, v) in filters.pairs().into_iter().filter(|(k, _)| *k != "status" && *k != "sort") {
        request = request.query([(k, v.as_str())]);
    }
    json(request.send().await).await
}

/// Everyone a report can be assigned to.
pub async fn coordinators() -> Result<Vec<Colleague>, ApiError> {
    json::<Colleagues>(Request::get("/api/coordinators").send().await).await.map(|c| c.coordinators)
}

/// How many access-log entries one page holds.
pub const AUDIT_PAGE: usize = 100;

/// One page of the access log, newest first; `before` is the `seq` of the previous page's last
/// entry. Administrators only (a coordinator gets `Other { 403, "forbidden" }`).
pub async fn audit(before: Option<i64>) -> Result<Vec<AuditEntry>, ApiError> {
    let limit = AUDIT_PAGE.to_string();
    let mut request = Request::get("/api/audit").query([("limit", limit.as_str())]);
    if let Some(seq) = before {
        request = request.query([("before", seq.to_string().as_str())]);
    }
    json(request.send().await).await
}

/// Recomputes the access log's hash chain on the server.
pub async fn audit_verify() -> Result<AuditVerdict, ApiError> {
    json(Request::get("/api/audit/verify").send().await).await
}

/// Every checklist and the phone list, as the JSON text of a `ContentBundle` (kept on the
/// device as it came, so the app never encodes it again); the browser revalidates with the `ETag`.
pub async fn content() -> Result<String, ApiError> {
    let response = Request::get("/api/content").send().await.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(error_of(&response).await);
    }
    response.text().await.map_err(|_| ApiError::Network)
}

/// Failed jobs and the mail server's state (administrators).
pub async fn admin_jobs() -> Result<trygg_wire::jobs::JobsOverview, ApiError> {
    json(Request::get("/api/admin/jobs").send().await).await
}

/// Queues a failed job again; answers the overview afterwards (administrators).
pub async fn retry_job(id: &str) -> Result<trygg_wire::jobs::JobsOverview, ApiError> {
    protected_json(Method::POST, &format!("/api/admin/jobs/{id}/retry"), None).await
}

/// The reporter's view of a report. The receipt code goes in the body, never in the URL.
pub async fn followup(receipt_code: &str) -> Result<Thread, ApiError> {
    post_json("/api/followup", &value(&FollowUp { receipt_code: receipt_code.to_owned(), ..FollowUp::default() })?)
        .await
}

/// Per receipt code kept on this device, when the coordinators last answered (null: not yet).
/// The start bundle calls it: its body (a `trygg_wire::followup::AnswersQuery`) is written by
/// hand, since a JSON encoder here cost the start bundle ~10 KB brotli. A code is letters,
/// digits, hyphens and spaces; anything else is dropped from it, so the text stays valid JSON.
pub async fn followup_answers(receipt_codes: Vec<String>) -> Result<Vec<Option<String>>, ApiError> {
    let codes: Vec<String> = receipt_codes
        .iter()
        .map(|c| {
            format!(
                "\"{}\"",
                c.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ' ').collect::<String>()
            )
        })
        .collect();
    let request = Request::post("/api/followup/answers")
        .header("Content-Type", "application/json")
        .body(format!("{{\"receipt_codes\":[{}]}}", codes.join(",")))
        .map_err(|_| encode_error())?;
    read(request.send().await, crate::json::wire::answers).await
}

/// The reporter answers; the server sends back the whole thread.
pub async fn followup_reply(receipt_code: &str, body: &str) -> Result<Thread, ApiError> {
    post_json(
        "/api/followup/messages",
        &value(&FollowUp { receipt_code: receipt_code.to_owned(), body: body.to_owned() })?,
    )
    .await
}

/// One report with every field and its timeline (each read is logged by the server).
pub async fn report(id: &str) -> Result<ReportDetail, ApiError> {
    json(Request::get(&format!("/api/reports/{id}")).send().await).await
}

/// Changes status, severity (and the closing reason) and, when `assignee` is given, the assignee
/// (a coordinator's id, or `""` for nobody); answers with the report after the change.
pub async fn triage(id: &str, draft: &TriageDraft, assignee: Option<&str>) -> Result<ReportDetail, ApiError> {
    let body = TriageBody { draft: draft.clone(), assignee: assignee.map(str::to_owned) };
    protected_json(Method::PATCH, &format!("/api/reports/{id}"), Some(&value(&body)?)).await
}

/// Adds an internal note (`notes`) or a message to the reporter (`messages`).
pub async fn add_entry(id: &str, kind: &str, body: &str) -> Result<(), ApiError> {
    let body = value(&BodyOnly { body: body.to_owned() })?;
    send_protected(Method::POST, &format!("/api/reports/{id}/{kind}"), Some(&body)).await.map(|_| ())
}

async fn post_json<T: DeserializeOwned>(url: &str, body: &serde_json::Value) -> Result<T, ApiError> {
    let request = Request::post(url).json(body).map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?;
    json(request.send().await).await
}

mod duty;
pub use duty::{RowError, Saved, on_duty_now, roster, save_roster, waiting};
mod admin;
pub use admin::*;
pub mod after;
pub mod checkin;
pub mod evidence;
pub mod flags;
pub mod notices;
pub mod stats;

#[cfg(test)]
mod tests;
