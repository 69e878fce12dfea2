//! `/api/auth`: coordinators sign in and out; `me` tells the app who is signed in.

use crate::auth::{self, ClientIp, Coordinator, Session};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, RateLimited, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Login {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    id: Uuid,
    email: String,
    display_name: String,
    role: String,
    /// True until the second factor is entered (`POST /api/auth/totp`).
    mfa_required: bool,
    /// True while the account has no two-factor sign-in and the server requires one: only
    /// `POST /api/auth/totp/setup` and `/confirm` (and me, logout) work until it is switched on.
    enrolment_required: bool,
    /// Whether the account has TOTP two-factor sign-in switched on.
    totp_enabled: bool,
    /// Send this in the `X-CSRF-Token` header on every POST/PATCH made with this session.
    csrf_token: String,
}

impl Me {
    pub fn of(session: &Session, require_2fa: bool) -> Me {
        let u = &session.user;
        Me {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.clone(),
            mfa_required: session.totp_enabled && !session.mfa_ok,
            enrolment_required: !session.totp_enabled && require_2fa,
            totp_enabled: session.totp_enabled,
            csrf_token: session.csrf_token.clone(),
        }
    }
}

/// Failed sign-ins are counted per account and per client address in 15-minute windows.
const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// Longest password worth hashing: anything longer is wrong, and costs no argon2 time.
const MAX_PASSWORD_BYTES: usize = 1024;

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = Login,
    responses(
        (status = 200, description = "Signed in; sets the `trygg_session` cookie", body = Me),
        (status = 401, description = "Wrong e-mail or password", body = ErrorEnvelope),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<Login>,
) -> Result<Response, ApiError> {
    let email = body.email.trim().to_lowercase();
    let now = now_ms();
    let (acct_key, ip_key) = (auth::limit_key("login:acct", &email), auth::limit_key("login:ip", &ip));
    let max = state.config.login_max_failures;
    if state.db.hits(&acct_key, LOGIN_WINDOW_SECS, now).await? >= max
        || state.db.hits(&ip_key, LOGIN_WINDOW_SECS, now).await? >= max * 5
    {
        tracing::warn!("sign-in throttled");
        return Err(ApiError::RateLimited);
    }
    let user = if email.is_empty() { None } else { state.db.user_by_email(&email).await? };
    let password = body.password;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = password.len() <= MAX_PASSWORD_BYTES
        && tokio::task::spawn_blocking(move || auth::verify_password(&password, stored.as_deref()))
            .await
            .map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| ok) else {
        state.db.hit(&acct_key, LOGIN_WINDOW_SECS, now).await?;
        state.db.hit(&ip_key, LOGIN_WINDOW_SECS, now).await?;
        tracing::info!("sign-in refused");
        return Err(ApiError::InvalidCredentials);
    };
    let token = auth::new_token();
    let max_secs = state.config.session_max_hours * 3600;
    let mfa_ok = !user.totp_enabled;
    state.db.create_session(&auth::sha256_hex(&token), user.id, now_ms() + max_secs * 1000, mfa_ok).await?;
    tracing::info!(user_id = %user.id, "password accepted");
    let session = Session {
        user: Coordinator {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            token_hash: String::new(),
        },
        mfa_ok,
        totp_enabled: user.totp_enabled,
        csrf_token: auth::csrf_token(&token),
    };
    let me = Me::of(&session, state.config.require_2fa);
    let cookie = auth::session_cookie(&token, max_secs, state.config.cookie_secure);
    Ok(([(SET_COOKIE, cookie)], Json(me)).into_response())
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("session" = [])),
    responses(
        (status = 204, description = "Signed out; the session is deleted"),
        SessionErrors, ServerErrors,
    ))]
pub async fn logout(State(state): State<AppState>, session: Session) -> Result<Response, ApiError> {
    state.db.delete_session(&session.user.token_hash).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, auth::clear_cookie(state.config.cookie_secure))]).into_response())
}

#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = Me),
        (status = 401, description = "Not signed in", body = ErrorEnvelope),
        ServerErrors,
    ))]
pub async fn me(State(state): State<AppState>, session: Session) -> Json<Me> {
    Json(Me::of(&session, state.config.require_2fa))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Colleague {
    id: Uuid,
    display_name: String,
    /// `coordinator` or `admin`
    role: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Colleagues {
    coordinators: Vec<Colleague>,
}

/// `GET /api/coordinators`: everyone a report can be assigned to, by name.
#[utoipa::path(get, path = "/api/coordinators", tag = "casework", security(("session" = [])),
    responses(
        (status = 200, description = "Every coordinator and administrator", body = Colleagues),
        SessionErrors, ServerErrors,
    ))]
pub async fn coordinators(State(state): State<AppState>, _who: Coordinator) -> Result<Json<Colleagues>, ApiError> {
    let rows = state.db.colleagues().await?;
    let coordinators =
        rows.into_iter().map(|c| Colleague { id: c.id, display_name: c.display_name, role: c.role }).collect();
    Ok(Json(Colleagues { coordinators }))
}
