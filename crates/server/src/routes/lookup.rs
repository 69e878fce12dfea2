//! `/api/lookup`: crews' risk-flag look-up, and `/api/lookup-tokens…`, `/api/lookups`: the
//! dispatch systems' tokens and the look-up log for administrators.
//!
//! A look-up is made by a signed-in responder (the `responder` role, with the CSRF token) or by
//! a dispatch system with `Authorization: Bearer <token>` (a token does look-ups and nothing
//! else: every other route reads only the session cookie). It names one exact address and a
//! purpose and learns only the active, unexpired flags' level, category and guidance — no
//! partial match, no listing. Each is rate-limited per account or token (the flood counter) and logged (who, when,
//! the address's keyed hashes, matched or not, the purpose sealed). A hit and a miss do the same
//! work: one indexed query, one AEAD open (the flag's address, or a dummy), one log entry (group-committed
//! with the other look-ups of the moment, before the answer leaves).

use super::flags::{address_indexes, category_of, level_of};
use crate::auth::{self, Admin, Responder, limit_key};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, RateLimited, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::flag_index::indexes_under_every_key;
use crate::store::lookup_log::LookupEntry;
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use std::sync::OnceLock;
use trygg_domain::Address;
use trygg_wire::flags::{LookupAnswer, LookupFlag, LookupLogEntry, LookupRequest, LookupToken, NewLookupToken, fields};
use uuid::Uuid;

use super::flags::FlagError;

/// Look-ups a responder may make in a minute.
pub const ACCOUNT_PER_MINUTE: i64 = 30;
/// Look-ups one dispatch system's token may make in a minute.
pub const TOKEN_PER_MINUTE: i64 = 1200;

/// Who is looking up: a responder's account or a dispatch system's token.
#[derive(Debug, Clone, Copy)]
pub enum Caller {
    Account(Uuid),
    Token(Uuid),
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            let Responder(who) = Responder::from_request_parts(parts, state).await?;
            return Ok(Caller::Account(who.id));
        };
        let token = header.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or_default();
        if token.is_empty() {
            return Err(ApiError::Unauthorized);
        }
        let row = state.db.lookup_token(&auth::sha256_hex(token)).await?.ok_or(ApiError::Unauthorized)?;
        Ok(Caller::Token(row.id))
    }
}

/// A sealed value that opens to nothing useful: what a miss opens, so it costs what a hit does.
fn dummy(state: &AppState) -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| state.keys.seal_str("flags", "address", &Uuid::nil().to_string(), "dummy|0||00000"))
}

/// `POST /api/lookup`: the active flags of exactly this address.
#[utoipa::path(post, path = "/api/lookup", tag = "flags", security(("session" = []), ("lookup_token" = [])),
    request_body = LookupRequest,
    responses(
        (status = 200, description = "The active flags of exactly this address (empty: none); logged", body = LookupAnswer),
        JsonErrors, SessionErrors, RateLimited, ServerErrors,
    ))]
pub async fn lookup(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<LookupRequest>,
) -> Result<Json<LookupAnswer>, FlagError> {
    let now = state.clock.now_ms();
    let key = match caller {
        Caller::Account(id) => (limit_key(&state.keys, "lookup:acct", &id.to_string()), ACCOUNT_PER_MINUTE),
        Caller::Token(id) => (limit_key(&state.keys, "lookup:token", &id.to_string()), TOKEN_PER_MINUTE),
    };
    // Counted in memory and shared through the database every quarter second (the flood
    // counter): a durable write per look-up made SQLite's look-ups wait for each other.
    state.flood.count(&key.0, 60, key.1, now).map_err(ApiError::RateLimitedFor)?;
    let mut errors = Vec::new();
    let address = Address::parse(&req.address).map_err(|k| errors.push((fields::ADDRESS, k.as_str()))).ok();
    let purpose = req.purpose.trim();
    if purpose.is_empty() {
        errors.push((fields::PURPOSE, "required"));
    } else if purpose.chars().count() > 100 {
        errors.push((fields::PURPOSE, "too_long"));
    } else if purpose.chars().any(char::is_control) {
        errors.push((fields::PURPOSE, "invalid_characters"));
    }
    let Some(address) = address.filter(|_| errors.is_empty()) else { return Err(FlagError::Fields(errors)) };
    let (building, apartment) = address_indexes(&state.keys, &address);
    // Under every configured key: flags made before a key rotation match until `rotate-key`
    // re-indexes them (see store::flag_index).
    let rows = state.db.matching_flags(&indexes_under_every_key(&state.keys, &address), now).await?;
    // One AEAD open whatever the answer: the first match's address (a check that the keyed
    // hash matched the right place), or the dummy.
    let opened = match rows.first() {
        Some(r) => state.keys.open_str("flags", "address", &r.id.to_string(), &r.address_sealed).ok(),
        None => state.keys.open_str("flags", "address", &Uuid::nil().to_string(), dummy(&state)).ok(),
    };
    std::hint::black_box(opened);
    let id = Uuid::now_v7();
    let purpose_sealed = state.keys.seal_str("flag_lookups", "purpose", &id.to_string(), purpose);
    let (user_id, token_id) = match caller {
        Caller::Account(u) => (Some(u), None),
        Caller::Token(t) => (None, Some(t)),
    };
    let matched = !rows.is_empty();
    let entry = LookupEntry {
        id,
        at: now,
        user_id,
        token_id,
        address_index: apartment,
        building_index: building,
        matched,
        purpose_sealed,
    };
    state.lookup_log.write(entry).await?;
    let flags = rows
        .into_iter()
        .map(|r| LookupFlag {
            level: level_of(&r.level),
            category: category_of(&r.category),
            guidance_sv: r.guidance_sv,
            guidance_en: r.guidance_en,
        })
        .collect();
    Ok(Json(LookupAnswer { flags }))
}

fn rfc3339(ms: i64) -> String {
    crate::store::from_ms(ms).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn token_of(t: crate::store::tokens::TokenRow, secret: Option<String>) -> LookupToken {
    LookupToken {
        id: t.id.to_string(),
        name: t.name,
        created_at: rfc3339(t.created_at),
        revoked_at: t.revoked_at.map(rfc3339),
        token: secret,
    }
}

/// `GET /api/lookup-tokens`: every dispatch system's token (never the secret).
#[utoipa::path(get, path = "/api/lookup-tokens", tag = "flags", security(("session" = [])),
    responses((status = 200, description = "Every token, newest first", body = Vec<LookupToken>), SessionErrors, ServerErrors))]
pub async fn tokens(State(state): State<AppState>, _admin: Admin) -> Result<Json<Vec<LookupToken>>, ApiError> {
    Ok(Json(state.db.lookup_tokens().await?.into_iter().map(|t| token_of(t, None)).collect()))
}

/// `POST /api/lookup-tokens`: a new token for a dispatch system; its secret is in this answer only.
#[utoipa::path(post, path = "/api/lookup-tokens", tag = "flags", security(("session" = [])),
    request_body = NewLookupToken,
    responses(
        (status = 201, description = "Created (audited as `lookup_token.create`); `token` is shown once", body = LookupToken),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn create_token(
    State(state): State<AppState>,
    Admin(who): Admin,
    ApiJson(body): ApiJson<NewLookupToken>,
) -> Result<(StatusCode, Json<LookupToken>), FlagError> {
    let name = body.name.trim();
    if name.is_empty() {
        return Err(FlagError::Fields(vec![(fields::NAME, "required")]));
    }
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(FlagError::Fields(vec![(fields::NAME, "too_long")]));
    }
    let (id, secret, now) = (Uuid::now_v7(), auth::new_token(), state.clock.now_ms());
    state.db.create_lookup_token(&state.keys, who.id, id, name, &auth::sha256_hex(&secret), now).await?;
    let row = crate::store::tokens::TokenRow { id, name: name.into(), created_at: now, revoked_at: None };
    Ok((StatusCode::CREATED, Json(token_of(row, Some(secret)))))
}

/// `DELETE /api/lookup-tokens/{id}`: revokes a token at once.
#[utoipa::path(delete, path = "/api/lookup-tokens/{id}", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked (audited as `lookup_token.revoke`)"),
        (status = 404, description = "No such unrevoked token (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Admin(who): Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    if !state.db.revoke_lookup_token(&state.keys, who.id, id, state.clock.now_ms()).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/lookups`: the newest 500 look-ups, hits and misses (an audited read).
#[utoipa::path(get, path = "/api/lookups", tag = "flags", security(("session" = [])),
    responses((status = 200, description = "The look-up log, newest first (audited as `lookup.log.read`)", body = Vec<LookupLogEntry>), SessionErrors, ServerErrors))]
pub async fn log(State(state): State<AppState>, Admin(who): Admin) -> Result<Json<Vec<LookupLogEntry>>, ApiError> {
    auth::audit_event(&state, Some(who.id), "lookup.log.read").await?;
    let mut out = Vec::new();
    for l in state.db.lookup_log(500).await? {
        let purpose = state
            .keys
            .open_str("flag_lookups", "purpose", &l.id.to_string(), &l.purpose_sealed)
            .map_err(ApiError::internal)?;
        let by = match (l.user_name, l.token_name) {
            (Some(n), _) => n,
            (None, Some(t)) => format!("token: {t}"),
            _ => String::new(),
        };
        out.push(LookupLogEntry { at: rfc3339(l.at), by, matched: l.matched, purpose });
    }
    Ok(Json(out))
}
