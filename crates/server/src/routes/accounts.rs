//! `/api/accounts…`: administrators list accounts, invite people (a one-time link), change
//! roles, disable and re-enable, reset two-factor and delete (pseudonymise). Every change
//! carries the version the administrator saw (a stale version → 409 `version_conflict` with the newer state in
//! `current`), never leaves the service without an active administrator (409 `last_admin`) and
//! is an audit entry (see `store::accounts`). Also [`AccountError`], the answers these and the
//! invitation and own-account routes give beyond [`ApiError`], in the one error envelope.

use crate::auth::{self, Admin};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, ServerErrors, SessionErrors, version_conflict};
use crate::jobs::{self, handlers::AccountChange};
use crate::state::AppState;
use crate::store::accounts::{AccountRow, Change, Outcome};
use crate::store::jobs as jobs_store;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trygg_wire::accounts::{self as wire, Account, Accounts, Invitation, Invite, RolesChange, VersionSeen, codes};
use uuid::Uuid;

/// An answer of the account routes that is not a plain [`ApiError`].
#[derive(Debug)]
pub enum AccountError {
    Api(ApiError),
    /// 422 `validation` with these `(field, kind)` errors.
    Fields(Vec<(&'static str, &'static str)>),
    /// Any other refusal: status, code, English message.
    Refused(StatusCode, &'static str, &'static str),
    /// 409 `version_conflict`, with the newer state.
    Stale(Box<Account>),
}

impl From<ApiError> for AccountError {
    fn from(e: ApiError) -> Self {
        AccountError::Api(e)
    }
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Api(e.into())
    }
}

impl IntoResponse for AccountError {
    fn into_response(self) -> Response {
        let envelope = |code: &str, message: &str, fields: serde_json::Value| json!({"error": {"code": code, "message": message, "fields": fields}});
        match self {
            AccountError::Api(e) => e.into_response(),
            AccountError::Fields(f) => {
                let fields: Vec<_> =
                    f.iter().map(|(field, kind)| json!({"field": field, "code": format!("{field}.{kind}")})).collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(envelope("validation", "Some fields are invalid.", json!(fields))),
                )
                    .into_response()
            }
            AccountError::Refused(status, code, message) => {
                (status, Json(envelope(code, message, json!([])))).into_response()
            }
            AccountError::Stale(current) => {
                version_conflict("Someone else changed this account meanwhile; here is its newer state.", current)
            }
        }
    }
}

fn rfc3339(ms: i64) -> String {
    crate::store::from_ms(ms).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// An account as the wire carries it.
pub fn account_of(a: AccountRow) -> Account {
    Account {
        id: a.id.to_string(),
        email: if a.deleted_at.is_some() { String::new() } else { a.email },
        display_name: a.display_name,
        roles: a.roles,
        state: a.state,
        deleted: a.deleted_at.is_some(),
        lang: a.lang,
        totp_enabled: a.totp_enabled,
        last_login_at: a.last_login_at.map(rfc3339),
        invitation_expires_at: a.invitation_expires_at.map(rfc3339),
        version: a.version,
    }
}

/// A new invitation token: the link (for the administrator to pass on) and its hash (stored).
fn new_invitation(state: &AppState, now: i64) -> (String, String, i64) {
    let token = auth::new_token();
    let expires_at = now + state.config.invitation_hours * 3_600_000;
    (format!("/samordnare/inbjudan#{token}"), auth::sha256_hex(&token), expires_at)
}

/// The link as the recipient opens it (`TRYGG_PUBLIC_URL` + path).
fn absolute(state: &AppState, link: &str) -> String {
    format!("{}{link}", state.config.public_url.trim_end_matches('/'))
}

fn parse_id(id: &str) -> Result<Uuid, AccountError> {
    Uuid::parse_str(id).map_err(|_| AccountError::Api(ApiError::NotFound))
}

/// `GET /api/accounts`: every account.
#[utoipa::path(get, path = "/api/accounts", tag = "accounts", security(("session" = [])),
    responses(
        (status = 200, description = "Every account, by name (deleted ones last)", body = Accounts),
        SessionErrors, ServerErrors,
    ))]
pub async fn list(State(state): State<AppState>, _admin: Admin) -> Result<Json<Accounts>, ApiError> {
    let accounts = state.db.accounts().await?.into_iter().map(account_of).collect();
    Ok(Json(Accounts { accounts }))
}

/// `POST /api/accounts`: invites a person; `lang` (`sv`, the default, or `en`) is the invitation mail's language and the account's first one.
#[utoipa::path(post, path = "/api/accounts", tag = "accounts", security(("session" = [])), request_body = Invite,
    responses(
        (status = 201, description = "Invited: the account (state `invited`) and the one-time link, valid `TRYGG_INVITATION_HOURS` (72 h)", body = Invitation),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn invite(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(body): ApiJson<Invite>,
) -> Result<Response, AccountError> {
    let errors = wire::check_invite(&body);
    if !errors.is_empty() {
        return Err(AccountError::Fields(errors));
    }
    let email = body.email.trim().to_lowercase();
    let roles = wire::normalized_roles(&body.roles);
    let now = state.clock.now_ms();
    let (link, token_hash, expires_at) = new_invitation(&state, now);
    let lang = body.lang.as_deref().unwrap_or("sv");
    let mail = jobs::handlers::invitation(&state.keys, Uuid::now_v7(), &email, lang, &absolute(&state, &link), now);
    let invited = crate::store::invitations::Invited {
        email: &email,
        display_name: body.display_name.trim(),
        roles: &roles,
        lang,
    };
    let created = state.db.invite(&state.keys, admin.id, &invited, &token_hash, expires_at, &mail, now).await?;
    let Some(account) = created else { return Err(AccountError::Fields(vec![("email", "taken")])) };
    jobs::wake();
    tracing::info!(user_id = %account.id, "account invited");
    let answer = Invitation { account: account_of(account), link, expires_at: rfc3339(expires_at) };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// Runs one change and turns its outcome into the answer.
async fn apply(
    state: &AppState,
    admin: &auth::Coordinator,
    id: &str,
    seen: i64,
    change: Change,
    mail: Option<jobs_store::NewJob>,
) -> Result<Account, AccountError> {
    let target = parse_id(id)?;
    let now = state.clock.now_ms();
    let mut mail: Vec<_> = mail.into_iter().collect();
    if matches!(change, Change::ResetTwoFactor) {
        mail.push(jobs::handlers::account_notice(target, AccountChange::SecondFactor, Uuid::now_v7(), now));
    }
    match state.db.change_account(&state.keys, admin.id, target, seen, &change, &mail, now).await? {
        Outcome::Done(a) => {
            tracing::info!(user_id = %admin.id, target = %target, action = change.action(), "account changed");
            if !mail.is_empty() {
                jobs::wake();
            }
            Ok(account_of(a))
        }
        Outcome::Stale(a) => Err(AccountError::Stale(Box::new(account_of(a)))),
        Outcome::LastAdmin => Err(AccountError::Refused(
            StatusCode::CONFLICT,
            codes::LAST_ADMIN,
            "This is the last active administrator: make someone else administrator first.",
        )),
        Outcome::Deleted => {
            Err(AccountError::Refused(StatusCode::CONFLICT, codes::DELETED, "This account is deleted."))
        }
        Outcome::NotInvited => Err(AccountError::Refused(
            StatusCode::CONFLICT,
            "not_invited",
            "This account has already accepted its invitation.",
        )),
        Outcome::NotFound => Err(AccountError::Api(ApiError::NotFound)),
    }
}

/// The answers every change of one account shares.
#[derive(utoipa::IntoResponses)]
pub enum ChangeErrors {
    #[response(status = 404, description = "No such account (`not_found`)")]
    NotFound(ErrorEnvelope),
    #[response(
        status = 409,
        description = "Nothing changed: the account changed since `version` (`version_conflict`, the newer account in `current`), the change would leave no active administrator (`last_admin`), the account is deleted (`account_deleted`), or it is not invited any more (`not_invited`)"
    )]
    Conflict(ErrorEnvelope),
}

/// `POST /api/accounts/{id}/roles`: replaces the account's roles.
#[utoipa::path(post, path = "/api/accounts/{id}/roles", tag = "accounts", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Account id")), request_body = RolesChange,
    responses((status = 200, description = "Changed", body = Account), JsonErrors, SessionErrors, ChangeErrors, ServerErrors))]
pub async fn roles(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RolesChange>,
) -> Result<Json<Account>, AccountError> {
    if let Some(e) = wire::check_roles(&body.roles) {
        return Err(AccountError::Fields(vec![e]));
    }
    Ok(Json(apply(&state, &admin, &id, body.version, Change::Roles(body.roles), None).await?))
}

macro_rules! simple_change {
    ($name:ident, $path:literal, $change:expr, $what:literal) => {
        #[doc = $what]
        #[utoipa::path(post, path = $path, tag = "accounts", security(("session" = [])),
            params(("id" = Uuid, Path, description = "Account id")), request_body = VersionSeen,
            responses((status = 200, description = $what, body = Account), JsonErrors, SessionErrors, ChangeErrors, ServerErrors))]
        pub async fn $name(
            State(state): State<AppState>,
            Admin(admin): Admin,
            Path(id): Path<String>,
            ApiJson(body): ApiJson<VersionSeen>,
        ) -> Result<Json<Account>, AccountError> {
            Ok(Json(apply(&state, &admin, &id, body.version, $change, None).await?))
        }
    };
}

simple_change!(
    disable,
    "/api/accounts/{id}/disable",
    Change::Disable,
    "Disabled: every session of the account ended at once, sign-in refused, open invitations withdrawn"
);
simple_change!(enable, "/api/accounts/{id}/enable", Change::Enable, "Enabled again (`invited` if it never accepted)");
simple_change!(
    reset_two_factor,
    "/api/accounts/{id}/reset-two-factor",
    Change::ResetTwoFactor,
    "Two-factor cleared (TOTP and recovery codes), every session ended; the holder enrols again at the next sign-in"
);
simple_change!(
    delete,
    "/api/accounts/{id}/delete",
    Change::Delete,
    "Deleted = pseudonymised: named `Borttagen användare N`, e-mail, password and TOTP cleared, roles removed, disabled; what the account did stays readable under that name"
);

/// `POST /api/accounts/{id}/invitation`: a new link for an invited account (earlier ones stop working), mailed in the account's language.
#[utoipa::path(post, path = "/api/accounts/{id}/invitation", tag = "accounts", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Account id")), request_body = VersionSeen,
    responses((status = 200, description = "A new one-time link; earlier ones are withdrawn", body = Invitation),
        JsonErrors, SessionErrors, ChangeErrors, ServerErrors))]
pub async fn reinvite(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<VersionSeen>,
) -> Result<Json<Invitation>, AccountError> {
    let now = state.clock.now_ms();
    let (link, token_hash, expires_at) = new_invitation(&state, now);
    // The mail goes to the address the account has now (an invited account's address does not
    // change) and is enqueued in the same transaction as the new invitation.
    // In the account's language (the one it was invited in, until its holder chooses).
    let (to, lang) = match state.db.account(parse_id(&id)?).await? {
        Some(a) => (a.email, a.lang),
        None => return Err(AccountError::Api(ApiError::NotFound)),
    };
    let mail = jobs::handlers::invitation(&state.keys, Uuid::now_v7(), &to, &lang, &absolute(&state, &link), now);
    let change = Change::Reinvite { token_hash, expires_at };
    let account = apply(&state, &admin, &id, body.version, change, Some(mail)).await?;
    Ok(Json(Invitation { account, link, expires_at: rfc3339(expires_at) }))
}
