//! `/api/auth` (but the second factor, in `two_factor`): accounts sign in, sign out here or
//! everywhere; `me` tells the app who is signed in. `/api/account/…`: the holder's own password
//! (old password + a current code; other sessions end) and language.

use super::accounts::AccountError;
use crate::auth::{self, ClientIp, Coordinator, Session, SignedIn};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, RateLimited, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use trygg_wire::{Login, Me};

/// Who `session` is, as the app sees it.
pub fn me_of(session: &Session, require_2fa: bool) -> Me {
    let u = &session.user;
    Me {
        id: u.id.to_string(),
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        roles: u.roles.clone(),
        lang: u.lang.clone(),
        mfa_required: session.totp_enabled && !session.mfa_ok,
        enrolment_required: !session.totp_enabled && require_2fa,
        totp_enabled: session.totp_enabled,
        csrf_token: session.csrf_token.clone(),
    }
}

/// Sign-in attempts are counted per account and per client address in 15-minute windows.
const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// Longest password worth hashing: anything longer is wrong, and costs no argon2 time.
const MAX_PASSWORD_BYTES: usize = 1024;

/// Counts a sign-in attempt before any password is checked (count first, then decide), and
/// returns the two throttle keys it counted on:
/// - per account (`TRYGG_LOGIN_MAX_FAILURES`, 10 per 15 minutes): the real guard, wherever the
///   guesses come from. An attempt refused here is not counted against the address.
/// - per client address (`TRYGG_LOGIN_MAX_FAILURES_PER_ADDRESS`, 100 per 15 minutes): only
///   attempts that passed their account's limit count, so one account adds at most 10 a window.
///   One attacker hammering one account behind a hospital's NAT therefore never locks out the
///   colleagues behind the same address; an address spraying many accounts is stopped.
///   An attempt refused here gives its account count back (a spray does not lock the accounts).
///
/// A successful sign-in gives both counts back.
async fn count_login(state: &AppState, email: &str, ip: &str, now: i64) -> Result<[String; 2], ApiError> {
    let acct_key = auth::limit_key(&state.keys, "login:acct", email);
    let ip_key = auth::limit_key(&state.keys, "login:ip", ip);
    auth::count_attempt(state, &acct_key, LOGIN_WINDOW_SECS, state.config.login_max_failures, now).await?;
    let by_address =
        auth::count_attempt(state, &ip_key, LOGIN_WINDOW_SECS, state.config.login_max_failures_per_address, now).await;
    if by_address.is_err() {
        state.db.refund(&acct_key, LOGIN_WINDOW_SECS, now).await?;
    }
    by_address.map(|()| [acct_key, ip_key])
}

/// `POST /api/auth/login`: the password step; the second factor follows in the same session.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = Login,
    responses(
        (status = 200, description = "Signed in with the password; sets the session cookie (`trygg_session`, or `__Host-trygg_session` behind HTTPS). The second factor is still to come when `mfa_required` or `enrolment_required`", body = Me),
        (status = 401, description = "Wrong e-mail or password (also for an invited account that has not set one)", body = ErrorEnvelope),
        (status = 403, description = "The password is right but the account is disabled (`account_disabled`)", body = ErrorEnvelope),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response, AccountError> {
    let email = body.email.trim().to_lowercase();
    let now = now_ms();
    let counted = count_login(&state, &email, &ip, now).await.inspect_err(|e| {
        if matches!(e, ApiError::RateLimitedFor(_)) {
            tracing::warn!("sign-in throttled");
        }
    })?;
    let user = if email.is_empty() { None } else { state.db.user_by_email(&email).await? };
    let password = body.password;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = password.len() <= MAX_PASSWORD_BYTES && auth::verify_password_bounded(&state, password, stored).await?;
    let known = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| ok) else {
        auth::audit_event(&state, known, "auth.login_failed").await?;
        tracing::info!("sign-in refused");
        return Err(ApiError::InvalidCredentials.into());
    };
    if user.state != trygg_wire::accounts::states::ACTIVE {
        auth::audit_event(&state, Some(user.id), "auth.login_disabled").await?;
        tracing::info!(user_id = %user.id, "sign-in refused: account disabled");
        return Err(AccountError::Refused(
            StatusCode::FORBIDDEN,
            trygg_wire::accounts::codes::ACCOUNT_DISABLED,
            "This account is disabled; ask an administrator.",
        ));
    }
    for key in &counted {
        state.db.refund(key, LOGIN_WINDOW_SECS, now).await?;
    }
    let token = auth::new_token();
    let max_secs = state.config.session_max_hours * 3600;
    let expires_at = now_ms() + max_secs * 1000;
    // The password is one factor: the session is fully signed in only once a second factor is
    // passed in it (or, on a server that does not require one, for an account without one).
    state.db.create_session(&auth::sha256_hex(&token), user.id, expires_at, false).await?;
    auth::audit_event(&state, Some(user.id), "auth.login").await?;
    state.db.note_login(user.id, state.clock.now_ms()).await?;
    tracing::info!(user_id = %user.id, "password accepted");
    let session = Session {
        user: Coordinator {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            roles: state.db.roles_of(user.id).await?,
            lang: user.lang,
            token_hash: String::new(),
        },
        mfa_ok: false,
        expires_at,
        totp_enabled: user.totp_enabled,
        csrf_token: auth::csrf_token(&token),
    };
    let me = me_of(&session, state.config.require_2fa);
    let cookie = auth::session_cookie(&token, max_secs, state.config.cookie_secure);
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}

/// `POST /api/auth/logout`: ends this session.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("session" = [])),
    responses(
        (status = 204, description = "Signed out; the session is deleted"),
        SessionErrors, ServerErrors,
    ))]
pub async fn logout(State(state): State<AppState>, session: Session) -> Result<Response, ApiError> {
    state.db.delete_session(&session.user.token_hash).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, auth::clear_cookie(state.config.cookie_secure))]).into_response())
}

/// `GET /api/auth/me`: who is signed in, how far, and the session's CSRF token.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Me),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        ServerErrors,
    ))]
pub async fn me(State(state): State<AppState>, session: Session) -> Json<Me> {
    Json(me_of(&session, state.config.require_2fa))
}

/// `POST /api/auth/logout-everywhere`: ends every session of this account, on every server.
#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "auth", security(("session" = [])),
    responses(
        (status = 204, description = "All sessions ended"),
        SessionErrors, ServerErrors,
    ))]
pub async fn logout_everywhere(State(state): State<AppState>, SignedIn(who): SignedIn) -> Result<Response, ApiError> {
    state.db.delete_sessions_of(who.id).await?;
    auth::audit_event(&state, Some(who.id), "auth.logout_everywhere").await?;
    let clear = crate::auth::clear_cookie(state.config.cookie_secure);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, clear)]).into_response())
}

/// `POST /api/account/password`: the holder changes their own password, proving it with the old
/// password and (when two-factor sign-in is on) a current code. Every other session ends.
#[utoipa::path(post, path = "/api/account/password", tag = "auth", security(("session" = [])),
    request_body = trygg_wire::accounts::PasswordChange,
    responses(
        (status = 204, description = "Changed; every other session of the account has ended"),
        JsonErrors, SessionErrors, RateLimited, ServerErrors,
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ApiJson(body): ApiJson<trygg_wire::accounts::PasswordChange>,
) -> Result<StatusCode, AccountError> {
    let mut errors = Vec::new();
    if body.new_password.chars().count() < auth::MIN_PASSWORD_CHARS {
        errors.push(("new_password", "too_short"));
    } else if body.new_password.len() > MAX_PASSWORD_BYTES {
        errors.push(("new_password", "too_long"));
    }
    let now = now_ms();
    // Counted like a sign-in attempt first: the old password is guessable.
    let key = auth::limit_key(&state.keys, "login:acct", &who.email);
    auth::count_attempt(&state, &key, LOGIN_WINDOW_SECS, state.config.login_max_failures, now).await?;
    let stored = state.db.password_hash_of(who.id).await?;
    let old = body.old_password;
    let old_ok = old.len() <= MAX_PASSWORD_BYTES && auth::verify_password_bounded(&state, old, Some(stored)).await?;
    if !old_ok {
        errors.push(("old_password", "invalid"));
    }
    // The code is checked (and used up) only behind a right old password.
    let totp_on = state.db.totp(&state.keys, who.id).await?.1;
    if old_ok
        && totp_on
        && (body.code.trim().is_empty() || super::two_factor::check_code(&state, &who, &body.code).await.is_err())
    {
        errors.push(("code", "invalid"));
    }
    if !errors.is_empty() {
        auth::audit_event(&state, Some(who.id), "account.password_refused").await?;
        return Err(AccountError::Fields(errors));
    }
    state.db.refund(&key, LOGIN_WINDOW_SECS, now).await?;
    let new = body.new_password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new)).await.map_err(ApiError::internal)??;
    let notice = crate::jobs::handlers::account_notice(
        who.id,
        crate::jobs::handlers::AccountChange::Password,
        uuid::Uuid::now_v7(),
        now,
    );
    let ended = state.db.change_own_password(&state.keys, who.id, &hash, &who.token_hash, &[notice]).await?;
    crate::jobs::wake();
    tracing::info!(user_id = %who.id, other_sessions_ended = ended, "password changed");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/account/lang`: the holder's language (`sv` or `en`), for the app and their e-mails.
#[utoipa::path(post, path = "/api/account/lang", tag = "auth", security(("session" = [])),
    request_body = trygg_wire::accounts::LangChange,
    responses(
        (status = 204, description = "Chosen"),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn change_lang(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    ApiJson(body): ApiJson<trygg_wire::accounts::LangChange>,
) -> Result<StatusCode, AccountError> {
    if !trygg_wire::accounts::LANGS.contains(&body.lang.as_str()) {
        return Err(AccountError::Fields(vec![("lang", "invalid")]));
    }
    state.db.set_lang(&state.keys, who.id, &body.lang).await?;
    Ok(StatusCode::NO_CONTENT)
}
