//! `/api/invitations…`: the invitee's side of an invitation. The token comes from the link's
//! fragment (never in a URL the server logs) and travels in the body. `lookup` says whom it is
//! for; `accept` sets the password (the usual rules), makes the account active and opens its
//! first session, whose next step is two-factor enrolment. Expired, used and withdrawn
//! invitations answer 410 with their own code; the token is checked before any password hashing.

use super::accounts::AccountError;
use super::auth::me_of;
use crate::auth::{self, Coordinator, MIN_PASSWORD_CHARS, Session};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, ServerErrors};
use crate::state::AppState;
use crate::store::invitations::Unusable;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use trygg_wire::Me;
use trygg_wire::accounts::{AcceptInvitation, InvitationInfo, InvitationToken, codes};

/// The longest password worth hashing (as at sign-in).
const MAX_PASSWORD_BYTES: usize = 1024;

fn refused(why: Unusable) -> AccountError {
    match why {
        Unusable::Unknown => AccountError::Refused(
            StatusCode::NOT_FOUND,
            codes::INVITATION_UNKNOWN,
            "There is no such invitation; check the link or ask for a new one.",
        ),
        Unusable::Expired => AccountError::Refused(
            StatusCode::GONE,
            codes::INVITATION_EXPIRED,
            "This invitation has expired; ask your administrator for a new one.",
        ),
        Unusable::Used => AccountError::Refused(
            StatusCode::GONE,
            codes::INVITATION_USED,
            "This invitation was already used; sign in instead.",
        ),
        Unusable::Revoked => AccountError::Refused(
            StatusCode::GONE,
            codes::INVITATION_REVOKED,
            "This invitation was withdrawn; ask your administrator for a new one.",
        ),
    }
}

/// The answers of an unusable invitation.
#[derive(utoipa::IntoResponses)]
pub enum InvitationErrors {
    #[response(status = 404, description = "No such invitation (`invitation_unknown`)")]
    Unknown(ErrorEnvelope),
    #[response(
        status = 410,
        description = "Expired, already used, or withdrawn (`invitation_expired`, `invitation_used`, `invitation_revoked`)"
    )]
    Gone(ErrorEnvelope),
}

/// `POST /api/invitations/lookup`: whom an invitation is for, while it can be accepted.
#[utoipa::path(post, path = "/api/invitations/lookup", tag = "accounts", request_body = InvitationToken,
    responses(
        (status = 200, description = "Whom it is for and until when", body = InvitationInfo),
        JsonErrors, InvitationErrors, ServerErrors,
    ))]
pub async fn lookup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<InvitationToken>,
) -> Result<Json<InvitationInfo>, AccountError> {
    let row = state.db.invitation(&auth::sha256_hex(body.token.trim())).await?.ok_or(refused(Unusable::Unknown))?;
    row.usable(state.clock.now_ms()).map_err(refused)?;
    let expires_at = crate::store::from_ms(row.expires_at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    Ok(Json(InvitationInfo { email: row.email, display_name: row.display_name, expires_at }))
}

/// `POST /api/invitations/accept`: sets the password and signs the invitee in (password step).
#[utoipa::path(post, path = "/api/invitations/accept", tag = "accounts", request_body = AcceptInvitation,
    responses(
        (status = 200, description = "The account is active and signed in by its new password (session cookie set); two-factor enrolment comes next (`enrolment_required`)", body = Me),
        JsonErrors, InvitationErrors, ServerErrors,
    ))]
pub async fn accept(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> Result<Response, AccountError> {
    let token_hash = auth::sha256_hex(body.token.trim());
    let now = state.clock.now_ms();
    let row = state.db.invitation(&token_hash).await?.ok_or(refused(Unusable::Unknown))?;
    row.usable(now).map_err(refused)?;
    if body.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::Fields(vec![("password", "too_short")]));
    }
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::Fields(vec![("password", "too_long")]));
    }
    let password = body.password;
    let hash =
        tokio::task::spawn_blocking(move || auth::hash_password(&password)).await.map_err(ApiError::internal)??;
    let token = auth::new_token();
    let max_secs = state.config.session_max_hours * 3600;
    let expires_at = crate::store::now_ms() + max_secs * 1000;
    let user = state
        .db
        .accept_invitation(&state.keys, &token_hash, &hash, &auth::sha256_hex(&token), expires_at, now)
        .await?
        .map_err(refused)?;
    tracing::info!(user_id = %user, "invitation accepted");
    let account = state.db.user_by_id(user).await?.ok_or(ApiError::NotFound)?;
    let session = Session {
        user: Coordinator {
            id: account.id,
            email: account.email,
            display_name: account.display_name,
            roles: state.db.roles_of(user).await?,
            lang: account.lang,
            token_hash: String::new(),
        },
        mfa_ok: false,
        expires_at,
        totp_enabled: false,
        csrf_token: auth::csrf_token(&token),
    };
    let me: Me = me_of(&session, state.config.require_2fa);
    let cookie = auth::session_cookie(&token, max_secs, state.config.cookie_secure);
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}
