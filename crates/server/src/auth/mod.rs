//! Passwords (argon2id), session tokens and the extractors of who is signed in: [`Session`]
//! (any session, for the sign-in steps), [`SignedIn`] (signed in all the way, any role: own
//! account, password, `me`), [`Coordinator`] (the coordinator role: every report, inbox,
//! casework and audit route) and [`Admin`] (the admin role: configuration and accounts). Roles
//! are need-to-know: an administrator without the coordinator role reads no report (403).

use crate::crypto::{Keys, Purpose};
use crate::error::ApiError;
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::HeaderValue;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use std::net::IpAddr;
use std::sync::OnceLock;
use uuid::Uuid;

/// The session cookie's name on plain HTTP (development).
pub const SESSION_COOKIE: &str = "trygg_session";
/// The session cookie's name when it is `Secure` (behind HTTPS): the `__Host-` prefix makes the
/// browser refuse it unless it is Secure, has `Path=/` and no `Domain`, so a sibling subdomain
/// or a plain-HTTP page cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-trygg_session";
/// Shortest password accepted for an account.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The session cookie's name for this server (only this name is accepted).
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

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

/// How long a password check waits for a free argon2 slot before the answer is 503.
pub const PASSWORD_CHECK_QUEUE: std::time::Duration = std::time::Duration::from_secs(5);

/// How many argon2 checks may run at once: `configured`, or two per core when 0. Each takes
/// ~19 MiB and a core for a while.
pub fn password_check_slots(configured: usize) -> usize {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    if configured > 0 { configured } else { 2 * cores }
}

/// [`verify_password`] on a blocking thread, at most `TRYGG_PASSWORD_CHECKS` at once on this
/// server: under a sign-in flood the rest queue for up to 5 s and are then answered 503
/// (`unavailable`) instead of each taking a blocking thread and 19 MiB.
pub async fn verify_password_bounded(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<bool, ApiError> {
    bounded_check(&state.password_checks, PASSWORD_CHECK_QUEUE, password, stored).await
}

/// [`verify_password_bounded`] with its slots and queue time given.
pub async fn bounded_check(
    slots: &tokio::sync::Semaphore,
    queue: std::time::Duration,
    password: String,
    stored: Option<String>,
) -> Result<bool, ApiError> {
    let permit = tokio::time::timeout(queue, slots.acquire())
        .await
        .map_err(|_| {
            tracing::warn!("password checks saturated");
            ApiError::Unavailable
        })?
        .map_err(ApiError::internal)?;
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .map_err(ApiError::internal)?;
    drop(permit);
    Ok(ok)
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

/// The `Set-Cookie` value that starts a session (`__Host-trygg_session` when Secure).
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    session_cookie("", 0, secure)
}

/// The session token from a request's `Cookie` headers, if any: only the cookie of this
/// server's name (see [`cookie_name`]), never the other one.
pub fn token_from(parts: &Parts, secure: bool) -> Option<String> {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(&parts.headers);
    jar.get(cookie_name(secure)).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

/// The client's address as the server sees it, from the connection's `peer` and the
/// `X-Forwarded-For` values (`forwarded`, in header order), given how many proxies of our own
/// stand in front (`hops`) and which networks are ours (`nets`).
///
/// Each proxy appends the address it received the connection from, so the chain read from the
/// right is: our nearest proxy (the peer), then what each of our proxies wrote. Only entries our
/// own proxies wrote are believed: skip `hops` entries from the right (the peer is the first),
/// then any further entries inside `nets`; the next one is the client. Whatever the client itself
/// wrote further left is never read, so a spoofed leftmost entry changes nothing. A chain
/// shorter than expected yields its leftmost entry; an entry that is not an address yields the
/// proxy that wrote it.
pub fn client_addr(peer: Option<IpAddr>, forwarded: &[&str], hops: usize, nets: &[ipnet::IpNet]) -> Option<IpAddr> {
    if hops == 0 && nets.is_empty() {
        return peer;
    }
    let entries: Vec<&str> = forwarded.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut chain = entries.iter().rev().map(|e| parse_forwarded(e));
    let mut current = peer?;
    // `i`: how far from the right `current` stands (the peer is 0).
    let mut i = 0;
    loop {
        let ours = i < hops || nets.iter().any(|n| n.contains(&current));
        if !ours {
            return Some(current);
        }
        match chain.next() {
            Some(Some(next)) => {
                current = next;
                i += 1;
            }
            // The chain ends (or holds garbage) before a client entry: the last one we believe.
            None | Some(None) => return Some(current),
        }
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).and_then(|e| e.parse().ok()))
}

/// What throttles count an address as: an IPv4 address itself, an IPv6 address by its /64
/// (one household, one phone or one hospital network holds a whole /64, and can pick any
/// address in it), an IPv4-mapped IPv6 address as its IPv4 address.
pub fn throttle_subject(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
    }
}

/// The client's address for throttling (see [`client_addr`] and [`throttle_subject`]): an IPv4
/// address or an IPv6 /64, never stored as such (only in keyed hashes, see [`limit_key`]).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let forwarded: Vec<&str> =
            parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let nets = state.config.proxy_nets().unwrap_or_default();
        let ip = client_addr(peer, &forwarded, state.config.proxy_hops(), &nets);
        Ok(ClientIp(ip.map(throttle_subject).unwrap_or_else(|| "unknown".to_owned())))
    }
}

/// Writes an account event (sign-in, second factor, enrolment…) to the access log. Each such
/// event is reached only after its throttle counted it, so a flood of attempts cannot flood the log.
pub async fn audit_event(state: &AppState, user: Option<Uuid>, action: &str) -> Result<(), ApiError> {
    let entry = crate::store::audit::Entry { user_id: user, action, report_id: None, reason: None };
    state.db.audit(&state.keys, &entry).await?;
    Ok(())
}

/// A throttling key that does not store the address or e-mail itself: an HMAC under the
/// server's throttle subkey, which is not in the database, so a copy of the `rate_limits` table
/// cannot be matched against all 2³² IPv4 addresses or a list of e-mails.
pub fn limit_key(keys: &Keys, kind: &str, value: &str) -> String {
    let data = format!("{kind}\0{value}");
    format!("{kind}:{}", &keys.mac(Purpose::Throttle, data.as_bytes())[..32])
}

/// Counts one attempt on the throttle `key` FIRST (one atomic upsert) and refuses it with 429 and
/// a `Retry-After` when it is beyond `max` in this window. Only after this may the caller do the
/// slow or guessable work, so a burst of parallel attempts cannot all slip past the limit.
pub async fn count_attempt(state: &AppState, key: &str, window_secs: i64, max: i64, now: i64) -> Result<(), ApiError> {
    let n = state.db.hit(key, window_secs, now).await?;
    if n > max {
        return Err(ApiError::RateLimitedFor(crate::store::limits::retry_after_secs(window_secs, now)));
    }
    Ok(())
}

/// A signed-in account holding the coordinator role. Extracting it answers 401 when not
/// signed in all the way and 403 `forbidden` without the role. (The type is also the signed-in
/// account's data in [`SignedIn`] and [`Admin`].)
#[derive(Debug, Clone)]
pub struct Coordinator {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// Every role the account holds (`trygg_wire::roles`).
    pub roles: Vec<String>,
    /// `sv` or `en`: the holder's chosen language.
    pub lang: String,
    pub token_hash: String,
}

impl Coordinator {
    /// Whether the account holds `role`.
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// A valid session, whether or not its second factor is done yet (for the TOTP step itself).
/// Extracting it for a state-changing method also checks the CSRF token (403 `csrf_failed`).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: Coordinator,
    /// Whether the second factor was passed in THIS session (never derived from the account).
    pub mfa_ok: bool,
    /// When the session ends whatever happens (Unix ms).
    pub expires_at: i64,
    pub totp_enabled: bool,
    pub csrf_token: String,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = token_from(parts, state.config.cookie_secure).ok_or(ApiError::Unauthorized)?;
        let token_hash = sha256_hex(&token);
        let csrf_token = csrf_token(&token);
        if is_unsafe(&parts.method) {
            use subtle::ConstantTimeEq;
            let sent = parts.headers.get(CSRF_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
            if !bool::from(sent.ct_eq(csrf_token.as_bytes())) {
                return Err(ApiError::CsrfFailed);
            }
        }
        // Only an active account's session is found: a disabled one's is refused at once.
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
        let roles = state.db.roles_of(s.id).await?;
        Ok(Session {
            user: Coordinator {
                id: s.id,
                email: s.email,
                display_name: s.display_name,
                roles,
                lang: s.lang,
                token_hash,
            },
            mfa_ok: s.mfa_ok,
            expires_at: s.expires_at,
            totp_enabled: s.totp_enabled,
            csrf_token,
        })
    }
}

/// Signed in all the way (both steps), whatever the roles: for `me`, the own account page and
/// the own password.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Coordinator);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    /// A session that has passed the second factor in this very session (`mfa_ok` on the session
    /// row, set only by a code or recovery code entered in it, or by enrolling in it). When the
    /// server requires two-factor sign-in (the default), an account without it gets 403
    /// `mfa_enrolment_required` until it enrols; with it, a session without the code gets 401
    /// `mfa_required`. Only an account without a second factor on a server that does not require
    /// one is signed in by its password alone.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let s = Session::from_request_parts(parts, state).await?;
        if s.mfa_ok {
            return Ok(SignedIn(s.user));
        }
        if s.totp_enabled {
            return Err(ApiError::MfaRequired);
        }
        if state.config.require_2fa {
            return Err(ApiError::MfaEnrolmentRequired);
        }
        Ok(SignedIn(s.user))
    }
}

impl FromRequestParts<AppState> for Coordinator {
    type Rejection = ApiError;

    /// [`SignedIn`] with the coordinator role; without it 403 `forbidden`.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        if !who.has(trygg_wire::roles::COORDINATOR) {
            return Err(ApiError::Forbidden);
        }
        Ok(who)
    }
}

/// A signed-in administrator (the admin role, with or without the coordinator role); anyone
/// else gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub Coordinator);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        if !who.has(trygg_wire::roles::ADMIN) {
            return Err(ApiError::Forbidden);
        }
        Ok(Admin(who))
    }
}

#[cfg(test)]
mod tests;

/// A signed-in crew member (the responder role): risk-flag look-ups and nothing of reports;
/// anyone else gets 403.
#[derive(Debug, Clone)]
pub struct Responder(pub Coordinator);

impl FromRequestParts<AppState> for Responder {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        if !who.has(trygg_wire::roles::RESPONDER) {
            return Err(ApiError::Forbidden);
        }
        Ok(Responder(who))
    }
}

/// A signed-in reader of statistics: the coordinator or the analyst role. Statistics carry no
/// report content, so an analyst (who gets 403 on every report route) may read them; anyone
/// else gets 403.
#[derive(Debug, Clone)]
pub struct StatsReader(pub Coordinator);

impl FromRequestParts<AppState> for StatsReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        if !who.has(trygg_wire::roles::COORDINATOR) && !who.has(trygg_wire::roles::ANALYST) {
            return Err(ApiError::Forbidden);
        }
        Ok(StatsReader(who))
    }
}
