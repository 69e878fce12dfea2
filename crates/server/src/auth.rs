//! Passwords (argon2id), session tokens and the signed-in-coordinator extractor.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, HeaderValue};
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use std::sync::OnceLock;
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "trygg_session";
/// Shortest password accepted for an account.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes a password with argon2id (OWASP default parameters) and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(ApiError::internal)
}

/// Checks a password against a stored hash. With `None` it checks against a fixed dummy hash,
/// so that an unknown e-mail costs as much time as a wrong password.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("dummy password, never matches").unwrap_or_default());
    let hash = stored.unwrap_or(dummy);
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && stored.is_some()
}

/// A fresh 256-bit session token for the cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The header that carries the CSRF token on every state-changing request with a session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session's CSRF token: derived from the session token, so it is stable for the session,
/// needs no storage, works on every server, and cannot be computed without the cookie (which
/// scripts on other sites can neither read nor, with SameSite=Strict, send).
pub fn csrf_token(session_token: &str) -> String {
    sha256_hex(&format!("trygg-csrf:{session_token}"))
}

/// Whether a request method changes state (and so needs the CSRF token).
fn is_unsafe(method: &axum::http::Method) -> bool {
    !matches!(*method, axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS)
}

pub use crate::crypto::sha256_hex;

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    session_cookie("", 0, secure)
}

/// The session token from a request's `Cookie` headers, if any.
pub fn token_from(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == SESSION_COOKIE && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// The client's address: the connection's peer, or the first `X-Forwarded-For` hop when
/// `TRYGG_TRUST_PROXY=true` (behind a load balancer). Used only for throttling, and only hashed.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let forwarded = || {
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|v| v.trim().to_owned())
        };
        let peer =
            || parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
        let ip = if state.config.trust_proxy { forwarded().or_else(peer) } else { peer() };
        Ok(ClientIp(ip.unwrap_or_else(|| "unknown".to_owned())))
    }
}

/// A throttling key that does not store the address or e-mail itself.
pub fn limit_key(kind: &str, value: &str) -> String {
    format!("{kind}:{}", &sha256_hex(value)[..32])
}

/// A signed-in coordinator or administrator. Extracting it answers 401 otherwise.
#[derive(Debug, Clone)]
pub struct Coordinator {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub token_hash: String,
}

/// A valid session, whether or not its second factor is done yet (for the TOTP step itself).
/// Extracting it for a state-changing method also checks the CSRF token (403 `csrf_failed`).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: Coordinator,
    pub mfa_ok: bool,
    pub totp_enabled: bool,
    pub csrf_token: String,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = token_from(parts).ok_or(ApiError::Unauthorized)?;
        let token_hash = sha256_hex(&token);
        let csrf_token = csrf_token(&token);
        if is_unsafe(&parts.method) {
            use subtle::ConstantTimeEq;
            let sent = parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
            if !bool::from(sent.ct_eq(csrf_token.as_bytes())) {
                return Err(ApiError::CsrfFailed);
            }
        }
        let s = state.db.session_user(&token_hash).await?.ok_or(ApiError::Unauthorized)?;
        let now = crate::store::now_ms();
        let idle_ms = state.config.session_idle_minutes * 60_000;
        if now >= s.expires_at || now - s.last_seen_at >= idle_ms {
            state.db.delete_session(&token_hash).await?;
            return Err(ApiError::Unauthorized);
        }
        // Refresh the idle clock at most once a minute, not on every request.
        if now - s.last_seen_at > 60_000 {
            state.db.touch_session(&token_hash, now).await?;
        }
        Ok(Session {
            user: Coordinator { id: s.id, email: s.email, display_name: s.display_name, role: s.role, token_hash },
            mfa_ok: s.mfa_ok,
            totp_enabled: s.totp_enabled,
            csrf_token,
        })
    }
}

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    /// A session that has passed the second factor; when the server requires two-factor sign-in
    /// (the default), an account without it gets 403 `mfa_enrolment_required` until it enrols.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let s = Session::from_request_parts(parts, state).await?;
        if s.totp_enabled && !s.mfa_ok {
            return Err(ApiError::MfaRequired);
        }
        if !s.totp_enabled && state.config.require_2fa {
            return Err(ApiError::MfaEnrolmentRequired);
        }
        Ok(s.user)
    }
}

/// A signed-in administrator; a coordinator gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Coordinator);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let who = Coordinator::from_request_parts(parts, state).await?;
        if who.role != "admin" {
            return Err(ApiError::Forbidden);
        }
        Ok(Admin(who))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("korrekt häst batteri").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("korrekt häst batteri", Some(&h)));
        assert!(!verify_password("korrekt hast batteri", Some(&h)));
        assert!(!verify_password("korrekt häst batteri", None));
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
    }
}
