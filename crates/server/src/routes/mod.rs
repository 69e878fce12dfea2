//! Every route of the server, in one place.

pub mod auth;
pub mod casework;
pub mod content;
pub mod followup;
pub mod reports;
pub mod two_factor;

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};

/// The JSON API, mounted under `/api`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/reports", post(reports::submit).get(reports::list))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/coordinators", get(auth::coordinators))
        .route("/auth/totp", post(two_factor::verify))
        .route("/auth/totp/setup", post(two_factor::setup))
        .route("/auth/totp/confirm", post(two_factor::confirm))
        .route("/auth/logout-everywhere", post(two_factor::logout_everywhere))
        .route("/reports/counts", get(reports::counts))
        .route("/reports/{id}", get(casework::detail).patch(followup::triage))
        .route("/reports/{id}/notes", post(followup::note))
        .route("/reports/{id}/messages", post(followup::message))
        .route("/followup", post(followup::followup))
        .route("/followup/messages", post(followup::reporter_message))
        .route("/audit", get(casework::audit))
        .route("/audit/verify", get(casework::verify))
        .route("/checklists", get(content::checklist))
        .route("/contacts", get(content::contacts))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "Up, and the database answers", body = Health),
        (status = 503, description = "The database does not answer", body = ErrorEnvelope),
    ))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.db.ping().await.map_err(|_| ApiError::Unavailable)?;
    Ok(Json(Health { status: "ok".into(), database: state.db.backend().into() }))
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    status: String,
    database: String,
}

/// `GET /api/openapi.json`: the contract, generated from the handlers and types.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
