//! Builds the whole HTTP service: the API, `/healthz`, the built app with SPA fallback, and the
//! layers every response passes through (error envelope, security headers, limits, tracing).

use crate::error::ApiError;
use crate::routes;
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub fn router(state: AppState) -> Router {
    let dist = state.config.dist_dir.clone();
    let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let assets = ServeDir::new(&dist).precompressed_br().precompressed_gzip().fallback(index);
    let static_files = Router::new().fallback_service(assets).layer(middleware::from_fn(cache_headers));

    Router::new()
        .nest("/api", routes::api())
        .route("/healthz", get(routes::health))
        .merge(static_files)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(middleware::from_fn(json_errors))
        .layer(security_headers())
        .layer(
            TraceLayer::new_for_http()
                // Method and path only: query strings and bodies may carry personal data.
                .make_span_with(
                    |req: &Request| tracing::info_span!("http", method = %req.method(), path = %req.uri().path()),
                )
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

fn security_headers() -> tower::layer::util::Stack<
    SetResponseHeaderLayer<HeaderValue>,
    tower::layer::util::Stack<SetResponseHeaderLayer<HeaderValue>, SetResponseHeaderLayer<HeaderValue>>,
> {
    tower::layer::util::Stack::new(
        SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        tower::layer::util::Stack::new(
            SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
            ),
        ),
    )
}

/// Any error response that is not already JSON (a layer's bare 408/405/413, a caught panic, a
/// missing file) is replaced by the standard error envelope.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        return ApiError::from_status(status).into_response();
    }
    res
}

/// Hashed build outputs (`name-<16+ hex>.ext`) never change: cache them for a year.
/// Everything else (index.html, the SPA fallback, a service worker) is revalidated each time.
async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let value = if hashed && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn trunk_hashed_file_names_are_recognised() {
        assert!(is_hashed_asset("/trygg-app-4f1c2a9b8e7d6c5b_bg.wasm"));
        assert!(is_hashed_asset("/trygg-app-4f1c2a9b8e7d6c5b.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/inkorg"));
    }
}
