//! The accounts API (docs/api.md, tag `accounts`): administrators' account list and changes,
//! the invitee's side of an invitation, the holder's own password and language. Its failures
//! keep what the account forms show: the field errors by field name (these forms' fields are
//! not a report's, so they are not `trygg_domain::Field`s), and the newer account of a 409.

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use trygg_wire::accounts::{
    AcceptInvitation, Account, Accounts, Invitation, InvitationInfo, InvitationToken, Invite, LangChange,
    PasswordChange, RolesChange, VersionSeen,
};

use super::{ApiError, ME, classify, csrf_token, encode_error, forget, remember};
use crate::model::{ErrorEnvelope, User, codes};

/// Why an account call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 422: `(field, kind)` pairs, e.g. `("email", "taken")`.
    Fields(Vec<(String, String)>),
    /// 409 `version_conflict`: someone changed the account first; its newer state.
    Stale(Box<Account>),
    Api(ApiError),
}

impl Failure {
    /// The error code (`last_admin`, `invitation_expired`, …), `validation` or `stale`.
    pub fn code(&self) -> String {
        match self {
            Failure::Fields(_) => "validation".into(),
            Failure::Stale(_) => codes::VERSION_CONFLICT.into(),
            Failure::Api(e) => e.code(),
        }
    }

    /// The kind of error on `field`, if the server named it.
    pub fn on(&self, field: &str) -> Option<String> {
        match self {
            Failure::Fields(f) => f.iter().find(|(name, _)| name == field).map(|(_, kind)| kind.clone()),
            _ => None,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
    #[serde(default)]
    current: Option<Account>,
}

#[derive(Deserialize)]
struct Body {
    code: String,
    #[serde(default)]
    fields: Vec<WireField>,
}

#[derive(Deserialize)]
struct WireField {
    field: String,
    code: String,
}

/// The failure a non-2xx answer stands for.
fn failure(status: u16, text: &str) -> Failure {
    let mine: Option<Envelope> = serde_json::from_str(text).ok();
    match mine {
        Some(e) if status == 422 && e.error.code == codes::VALIDATION && !e.error.fields.is_empty() => {
            let fields = e.error.fields.into_iter().map(|f| {
                let kind = f.code.split_once('.').map_or_else(|| f.code.clone(), |(_, k)| k.to_owned());
                (f.field, kind)
            });
            Failure::Fields(fields.collect())
        }
        Some(Envelope { current: Some(current), .. }) if status == 409 => Failure::Stale(Box::new(current)),
        _ => Failure::Api(classify(status, ErrorEnvelope::parse(text))),
    }
}

/// Sends `body` to `url`; with the session's CSRF token when `protected` (a fresh token once
/// after 403 `csrf_failed`).
async fn send(
    method: Method,
    url: &str,
    body: Option<serde_json::Value>,
    protected: bool,
) -> Result<Response, Failure> {
    let mut retried = false;
    loop {
        let mut builder = RequestBuilder::new(url).method(method.clone());
        if protected {
            builder = builder.header(super::CSRF_HEADER, &csrf_token().await?);
        }
        let request = match &body {
            Some(b) => builder.json(b).map_err(|_| encode_error())?,
            None => builder.build().map_err(|_| encode_error())?,
        };
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        if response.ok() {
            return Ok(response);
        }
        let failure = failure(response.status(), &response.text().await.unwrap_or_default());
        if protected && !retried && failure.code() == codes::CSRF_FAILED {
            retried = true;
            super::CSRF.with_borrow_mut(|c| *c = None);
            continue;
        }
        return Err(failure);
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    serde_json::from_str(&text).map_err(|_| Failure::Api(ApiError::Other { status, code: "bad_response".into() }))
}

fn to_value(body: &impl serde::Serialize) -> Result<serde_json::Value, Failure> {
    serde_json::to_value(body).map_err(|_| Failure::Api(encode_error()))
}

/// Every account (administrators only; 403 `forbidden` otherwise).
pub async fn list() -> Result<Vec<Account>, Failure> {
    let response = Request::get("/api/accounts").send().await.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(failure(response.status(), &response.text().await.unwrap_or_default()));
    }
    Ok(read::<Accounts>(response).await?.accounts)
}

/// Invites a person: the account and the one-time link.
pub async fn invite(body: &Invite) -> Result<Invitation, Failure> {
    read(send(Method::POST, "/api/accounts", Some(to_value(body)?), true).await?).await
}

/// One change of account `id` made on `version`: `action` is `disable`, `enable`,
/// `reset-two-factor` or `delete`.
pub async fn change(id: &str, action: &str, version: i64) -> Result<Account, Failure> {
    let body = to_value(&VersionSeen { version })?;
    read(send(Method::POST, &format!("/api/accounts/{id}/{action}"), Some(body), true).await?).await
}

/// Replaces the roles of account `id`.
pub async fn set_roles(id: &str, roles: Vec<String>, version: i64) -> Result<Account, Failure> {
    let body = to_value(&RolesChange { roles, version })?;
    read(send(Method::POST, &format!("/api/accounts/{id}/roles"), Some(body), true).await?).await
}

/// A new invitation link for an invited account (earlier links stop working).
pub async fn reinvite(id: &str, version: i64) -> Result<Invitation, Failure> {
    let body = to_value(&VersionSeen { version })?;
    read(send(Method::POST, &format!("/api/accounts/{id}/invitation"), Some(body), true).await?).await
}

/// Whom an invitation is for (no session needed).
pub async fn lookup(token: &str) -> Result<InvitationInfo, Failure> {
    let body = to_value(&InvitationToken { token: token.to_owned() })?;
    read(send(Method::POST, "/api/invitations/lookup", Some(body), false).await?).await
}

/// Accepts an invitation with a password; the answer is the new session's account.
pub async fn accept(token: &str, password: &str) -> Result<User, Failure> {
    let body = to_value(&AcceptInvitation { token: token.to_owned(), password: password.to_owned() })?;
    let user: User = read(send(Method::POST, "/api/invitations/accept", Some(body), false).await?).await?;
    forget();
    remember(&user);
    Ok(user)
}

/// Changes the holder's own password (other sessions end).
pub async fn change_password(body: &PasswordChange) -> Result<(), Failure> {
    send(Method::POST, "/api/account/password", Some(to_value(body)?), true).await.map(drop)
}

/// Sets the holder's language (`sv` or `en`).
pub async fn change_lang(lang: &str) -> Result<(), Failure> {
    let body = to_value(&LangChange { lang: lang.to_owned() })?;
    send(Method::POST, "/api/account/lang", Some(body), true).await?;
    ME.with_borrow_mut(|m| {
        if let Some(user) = m {
            user.lang = lang.to_owned();
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_their_field_names_and_a_stale_answer_its_newer_account() {
        let text = r#"{"error":{"code":"validation","message":"x","fields":[{"field":"email","code":"email.taken"}]}}"#;
        assert_eq!(failure(422, text), Failure::Fields(vec![("email".into(), "taken".into())]));
        assert_eq!(failure(422, text).on("email").as_deref(), Some("taken"));
        let current = r#"{"id":"1","email":"a@b.se","display_name":"A","roles":["admin"],"state":"active","deleted":false,
            "lang":"sv","totp_enabled":true,"last_login_at":null,"invitation_expires_at":null,"version":3}"#;
        let text =
            format!(r#"{{"error":{{"code":"version_conflict","message":"x","fields":[]}},"current":{current}}}"#);
        match failure(409, &text) {
            Failure::Stale(a) => assert_eq!((a.version, a.roles), (3, vec!["admin".to_owned()])),
            other => panic!("{other:?}"),
        }
        let text = r#"{"error":{"code":"last_admin","message":"x","fields":[]}}"#;
        assert_eq!(failure(409, text).code(), "last_admin");
        assert_eq!(
            failure(401, r#"{"error":{"code":"unauthorized","message":"x","fields":[]}}"#),
            Failure::Api(ApiError::Unauthorized)
        );
    }
}
