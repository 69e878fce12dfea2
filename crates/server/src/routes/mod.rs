//! Every route of the server, in one place.

mod auth;
mod reports;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};

/// The JSON API, mounted under `/api`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/reports", post(reports::submit).get(reports::list))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `GET /healthz`: 200 when the database answers.
pub async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.db.ping().await.map_err(|_| ApiError::Unavailable)?;
    Ok(Json(json!({"status": "ok", "database": state.db.backend()})))
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
