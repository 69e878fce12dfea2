//! `/api/auth/totp…`: enrol an authenticator app (secret + otpauth URI for a QR code, then a
//! confirming code, then ten single-use recovery codes), and pass the second factor at sign-in.
//! A code is accepted at most once (the last accepted 30-second step is stored), and wrong codes
//! are throttled per account in the database.

use crate::auth::{Coordinator, Session, limit_key, sha256_hex};
use crate::error::{
    ApiError, ApiJson, CodeErrors, EnrolmentErrors, JsonErrors, RateLimited, ServerErrors, SessionErrors,
};
use crate::state::AppState;
use crate::store::now_ms;
use axum::Json;
use axum::extract::State;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Secret, TOTP};
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

/// Checks a TOTP code for `user`, once only, throttling wrong guesses.
async fn check_code(state: &AppState, user: &Coordinator, code: &str) -> Result<(), ApiError> {
    let key = limit_key("totp:acct", &user.id.to_string());
    let now = now_ms();
    if state.db.hits(&key, WINDOW_SECS, now).await? >= MAX_WRONG_CODES {
        return Err(ApiError::RateLimited);
    }
    let (secret, _) = state.db.totp(&state.keys, user.id).await?;
    let secret = secret.and_then(|s| hex::decode(s).ok()).ok_or(ApiError::InvalidCode)?;
    let t = totp(&secret, &user.email)?;
    let ok = match matching_step(&t, code, (now / 1000) as u64) {
        Some(step) => state.db.claim_totp_step(user.id, step).await?,
        None => false,
    };
    if !ok {
        state.db.hit(&key, WINDOW_SECS, now).await?;
        tracing::info!(user_id = %user.id, "second factor refused");
        return Err(ApiError::InvalidCode);
    }
    Ok(())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Enrolment {
    /// Base32 secret, for typing into an app by hand.
    secret: String,
    /// `otpauth://totp/…` for the QR code.
    otpauth_uri: String,
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

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CodeBody {
    /// The six digits from the app.
    #[serde(default)]
    code: String,
    /// Instead of `code`: one unused recovery code.
    #[serde(default)]
    recovery_code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    /// Shown once: each works a single time when the phone is lost.
    recovery_codes: Vec<String>,
}

fn recovery_hash(user: Uuid, code: &str) -> String {
    let normalized: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase();
    sha256_hex(&format!("{user}:{normalized}"))
}

/// `POST /api/auth/totp/confirm`: the first code from the app switches 2FA on.
#[utoipa::path(post, path = "/api/auth/totp/confirm", tag = "auth", security(("session" = [])), request_body = CodeBody,
    responses(
        (status = 200, description = "Switched on; the recovery codes, shown once", body = RecoveryCodes),
        JsonErrors, CodeErrors, EnrolmentErrors, RateLimited, ServerErrors,
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<Json<RecoveryCodes>, ApiError> {
    let who = session.user;
    if state.db.totp(&state.keys, who.id).await?.1 {
        return Err(ApiError::AlreadyEnrolled);
    }
    check_code(&state, &who, &b.code).await?;
    let codes: Vec<String> = (0..10)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            trygg_domain::ReceiptCode::from_random(bytes).to_string()
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(who.id, c)).collect();
    state.db.enable_totp(who.id, &hashes).await?;
    state.db.pass_mfa(&who.token_hash).await?;
    tracing::info!(user_id = %who.id, "two-factor sign-in switched on");
    Ok(Json(RecoveryCodes { recovery_codes: codes }))
}

/// `POST /api/auth/totp`: the second factor at sign-in (a code, or a recovery code).
#[utoipa::path(post, path = "/api/auth/totp", tag = "auth", security(("session" = [])), request_body = CodeBody,
    responses(
        (status = 204, description = "Signed in fully"),
        JsonErrors, CodeErrors, RateLimited, ServerErrors,
    ))]
pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    let who = &session.user;
    if !session.totp_enabled {
        return Err(ApiError::InvalidCode);
    }
    if !b.recovery_code.trim().is_empty() {
        let key = limit_key("totp:acct", &who.id.to_string());
        let now = now_ms();
        if state.db.hits(&key, WINDOW_SECS, now).await? >= MAX_WRONG_CODES {
            return Err(ApiError::RateLimited);
        }
        if !state.db.use_recovery_code(who.id, &recovery_hash(who.id, &b.recovery_code)).await? {
            state.db.hit(&key, WINDOW_SECS, now).await?;
            return Err(ApiError::InvalidCode);
        }
        tracing::warn!(user_id = %who.id, "recovery code used");
    } else {
        check_code(&state, who, &b.code).await?;
    }
    state.db.pass_mfa(&who.token_hash).await?;
    tracing::info!(user_id = %who.id, "signed in");
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `POST /api/auth/logout-everywhere`: ends every session of this account, on every server.
#[utoipa::path(post, path = "/api/auth/logout-everywhere", tag = "auth", security(("session" = [])),
    responses(
        (status = 204, description = "All sessions ended"),
        SessionErrors, ServerErrors,
    ))]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    who: Coordinator,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    state.db.delete_sessions_of(who.id).await?;
    let clear = crate::auth::clear_cookie(state.config.cookie_secure);
    Ok((axum::http::StatusCode::NO_CONTENT, [(axum::http::header::SET_COOKIE, clear)]).into_response())
}
