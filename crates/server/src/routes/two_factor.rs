//! `/api/auth/totp…`: enrol an authenticator app (secret + otpauth URI for a QR code, then a
//! confirming code, then ten single-use recovery codes), and pass the second factor at sign-in.
//! A code is accepted at most once (the last accepted 30-second step is stored), and wrong codes
//! are throttled per account in the database.

use crate::auth::{self, Coordinator, Session, limit_key, sha256_hex};
use crate::error::{
    ApiError, ApiJson, CodeErrors, EnrolmentErrors, JsonErrors, RateLimited, ServerErrors, SessionErrors,
};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};
use trygg_wire::{CodeBody, Enrolment, RecoveryCodes};
use uuid::Uuid;

const STEP_SECS: u64 = 30;
const MAX_WRONG_CODES: i64 = 10;
const WINDOW_SECS: i64 = 15 * 60;

fn totp(secret: &[u8], account: &str) -> Result<TOTP, ApiError> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECS, secret.to_vec(), Some("Trygg".into()), account.to_owned())
        .map_err(ApiError::internal)
}

/// The step a code matches (now, or one step either side for clock drift), if any.
fn matching_step(t: &TOTP, code: &str, now_secs: u64) -> Option<i64> {
    let now_step = now_secs / STEP_SECS;
    [now_step.saturating_sub(1), now_step, now_step + 1].into_iter().find_map(|step| {
        let expected = t.generate(step * STEP_SECS);
        bool::from(expected.as_bytes().ct_eq(code.trim().as_bytes())).then_some(step as i64)
    })
}

/// Counts a second-factor attempt for `user` FIRST (10 per account per 15 minutes, codes and
/// recovery codes together), so a burst of parallel guesses cannot all pass; returns the key, for
/// the refund after a success.
async fn count_code_attempt(state: &AppState, user: Uuid, now: i64) -> Result<String, ApiError> {
    let key = limit_key(&state.keys, "totp:acct", &user.to_string());
    auth::count_attempt(state, &key, WINDOW_SECS, MAX_WRONG_CODES, now).await?;
    Ok(key)
}

/// Checks a TOTP code for `user`, once only, throttling wrong guesses (counted first).
pub(crate) async fn check_code(state: &AppState, user: &Coordinator, code: &str) -> Result<(), ApiError> {
    let now = now_ms();
    let key = count_code_attempt(state, user.id, now).await?;
    let (secret, _) = state.db.totp(&state.keys, user.id).await?;
    let secret = secret.and_then(|s| hex::decode(s).ok()).ok_or(ApiError::InvalidCode)?;
    let t = totp(&secret, &user.email)?;
    let ok = match matching_step(&t, code, (now / 1000) as u64) {
        Some(step) => state.db.claim_totp_step(user.id, step).await?,
        None => false,
    };
    if !ok {
        auth::audit_event(state, Some(user.id), "auth.second_factor_failed").await?;
        tracing::info!(user_id = %user.id, "second factor refused");
        return Err(ApiError::InvalidCode);
    }
    state.db.refund(&key, WINDOW_SECS, now).await?;
    Ok(())
}

/// The answer's headers for a session whose token was just rotated: the new cookie and the new
/// CSRF token (which follows from the token; `GET /api/auth/me` tells it too).
fn rotated(state: &AppState, session: &Session, token: &str) -> [(axum::http::HeaderName, HeaderValue); 2] {
    let max_age = ((session.expires_at - now_ms()) / 1000).max(0);
    let csrf = HeaderValue::from_str(&auth::csrf_token(token)).unwrap_or_else(|_| HeaderValue::from_static(""));
    [
        (SET_COOKIE, auth::session_cookie(token, max_age, state.config.cookie_secure)),
        (axum::http::HeaderName::from_static(auth::CSRF_HEADER), csrf),
    ]
}

/// `POST /api/auth/totp/setup`: a new secret (not active until confirmed).
#[utoipa::path(post, path = "/api/auth/totp/setup", tag = "auth", security(("session" = [])),
    responses(
        (status = 200, description = "A new secret and its otpauth URI", body = Enrolment),
        SessionErrors, EnrolmentErrors, ServerErrors,
    ))]
pub async fn setup(State(state): State<AppState>, session: Session) -> Result<Json<Enrolment>, ApiError> {
    let who = session.user;
    if state.db.totp(&state.keys, who.id).await?.1 {
        return Err(ApiError::AlreadyEnrolled);
    }
    let mut secret = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    state.db.set_totp_secret(&state.keys, who.id, &hex::encode(secret)).await?;
    let t = totp(&secret, &who.email)?;
    Ok(Json(Enrolment { secret: Secret::Raw(secret.to_vec()).to_encoded().to_string(), otpauth_uri: t.get_url() }))
}

fn recovery_hash(user: Uuid, code: &str) -> String {
    let normalized: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    sha256_hex(&format!("{user}:{normalized}"))
}

/// `POST /api/auth/totp/confirm`: the first code from the app switches 2FA on. The code entered
/// here is this session's second factor: the session is signed in fully, under a NEW token (new
/// cookie, new CSRF token), and every other session of the account ends.
#[utoipa::path(post, path = "/api/auth/totp/confirm", tag = "auth", security(("session" = [])), request_body = CodeBody,
    responses(
        (status = 200, description = "Switched on; the recovery codes, shown once. The session token is rotated (new cookie; the new CSRF token in `X-CSRF-Token` and from `GET /api/auth/me`); every other session of the account has ended", body = RecoveryCodes,
            headers(("X-CSRF-Token" = String, description = "The rotated session's CSRF token"))),
        JsonErrors, CodeErrors, EnrolmentErrors, RateLimited, ServerErrors,
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<Response, ApiError> {
    let who = &session.user;
    if state.db.totp(&state.keys, who.id).await?.1 {
        return Err(ApiError::AlreadyEnrolled);
    }
    check_code(&state, who, &b.code).await?;
    let codes: Vec<String> = (0..10)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            trygg_domain::ReceiptCode::from_random(bytes).to_string()
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(who.id, c)).collect();
    let token = auth::new_token();
    let ended = state
        .db
        .enable_totp(who.id, &hashes, &who.token_hash, &sha256_hex(&token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    auth::audit_event(&state, Some(who.id), "auth.totp_enrolled").await?;
    tracing::info!(user_id = %who.id, other_sessions_ended = ended, "two-factor sign-in switched on");
    Ok((rotated(&state, &session, &token), Json(RecoveryCodes { recovery_codes: codes })).into_response())
}

/// `POST /api/auth/totp`: the second factor at sign-in (a code, or a recovery code). On success
/// the session is signed in fully under a NEW token: the cookie and the CSRF token change, and
/// the token used before this step no longer works (no session fixation across the step).
#[utoipa::path(post, path = "/api/auth/totp", tag = "auth", security(("session" = [])), request_body = CodeBody,
    responses(
        (status = 204, description = "Signed in fully; the session token is rotated (new cookie; the new CSRF token in `X-CSRF-Token` and from `GET /api/auth/me`)",
            headers(("X-CSRF-Token" = String, description = "The rotated session's CSRF token"))),
        JsonErrors, CodeErrors, RateLimited, ServerErrors,
    ))]
pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<Response, ApiError> {
    let who = &session.user;
    if !session.totp_enabled {
        return Err(ApiError::InvalidCode);
    }
    if !b.recovery_code.trim().is_empty() {
        let now = now_ms();
        let key = count_code_attempt(&state, who.id, now).await?;
        if !state.db.use_recovery_code(who.id, &recovery_hash(who.id, &b.recovery_code)).await? {
            return Err(ApiError::InvalidCode);
        }
        state.db.refund(&key, WINDOW_SECS, now).await?;
        auth::audit_event(&state, Some(who.id), "auth.recovery_code").await?;
        tracing::warn!(user_id = %who.id, "recovery code used");
    } else {
        check_code(&state, who, &b.code).await?;
    }
    let token = auth::new_token();
    if !state.db.pass_mfa(&who.token_hash, &sha256_hex(&token)).await? {
        return Err(ApiError::Unauthorized);
    }
    auth::audit_event(&state, Some(who.id), "auth.second_factor").await?;
    tracing::info!(user_id = %who.id, "signed in");
    Ok((StatusCode::NO_CONTENT, rotated(&state, &session, &token)).into_response())
}
