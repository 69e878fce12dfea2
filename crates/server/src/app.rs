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
use axum::routing::{any, get};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub fn router(state: AppState) -> Router {
    let dist = state.config.dist_dir.clone();
    let csp = Arc::new(Csp::new(&dist));
    // Behind HTTPS (secure cookies), browsers should never use plain HTTP again.
    let hsts = state.config.cookie_secure.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    let spa_dist = dist.clone();
    let index = tower::service_fn(move |req: Request| spa_index(spa_dist.clone(), req));
    let assets = ServeDir::new(&dist).precompressed_br().precompressed_gzip().fallback(index);
    let static_files = Router::new().fallback_service(assets).layer(middleware::from_fn(cache_headers));

    let api: Router<AppState> = routes::api().into();
    Router::new()
        .merge(api)
        .route("/api/openapi.json", get(routes::openapi))
        // Any other path under /api is an API 404, never the app's index.html.
        .route("/api", any(routes::not_found))
        .route("/api/{*rest}", any(routes::not_found))
        .merge(static_files)
        .method_not_allowed_fallback(routes::method_not_allowed)
        // In the order a request meets them (the first is outermost); each answer passes them
        // back in reverse.
        .layer(
            ServiceBuilder::new()
                .layer(
                    TraceLayer::new_for_http()
                        // Method and path only: query strings and bodies may carry personal data.
                        .make_span_with(|req: &Request| {
                            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                // Security headers on every answer, unless a handler set its own.
                .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, hsts))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::HeaderName::from_static("permissions-policy"),
                    HeaderValue::from_static("geolocation=(), camera=(), microphone=()"),
                ))
                .layer(middleware::from_fn(move |req: Request, next: Next| {
                    let csp = csp.clone();
                    async move {
                        let mut res = next.run(req).await;
                        res.headers_mut().entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| csp.current());
                        res
                    }
                }))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                // No API answer is kept by a browser or proxy cache.
                .layer(middleware::from_fn(no_store_api))
                // Whatever goes wrong below (a layer's bare status, a panic) leaves as the envelope.
                .layer(middleware::from_fn(json_errors))
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(CatchPanicLayer::new())
                .layer(DefaultBodyLimit::max(state.config.max_body_bytes)),
        )
        .with_state(state)
}

/// The two apps: the coordinator app lives under this prefix, the reporter app everywhere else.
const COORDINATOR_PREFIX: &str = "/samordnare/";
/// Where the report bundle is built (`--public-url /r/`).
const REPORT_DIR: &str = "r";

/// The SPA fallback: a path that is no file gets its app's `index.html`: the coordinator app's
/// under `/samordnare/`, the report bundle's for its pages (each when that bundle is built), the
/// reporter's start bundle's otherwise.
async fn spa_index(dist: PathBuf, req: Request) -> Result<Response, std::convert::Infallible> {
    let path = req.uri().path();
    // A file that is not there (an old build's hashed wasm during a rolling deploy, a missing
    // icon) is a 404, never the app's HTML: a browser would otherwise keep HTML as its wasm.
    if is_asset_path(path) {
        return Ok(ApiError::NotFound.into_response());
    }
    let coordinator = dist.join("samordnare").join("index.html");
    let report = dist.join(REPORT_DIR).join("index.html");
    let file = if (path.starts_with(COORDINATOR_PREFIX) || path == "/samordnare") && coordinator.is_file() {
        coordinator
    } else if trygg_domain::is_report_path(path) && report.is_file() {
        report
    } else {
        dist.join("index.html")
    };
    let Ok(res) = ServeFile::new(file).precompressed_br().precompressed_gzip().oneshot(req).await;
    let mut res = res.map(axum::body::Body::new);
    res.extensions_mut().insert(SpaFallback);
    Ok(res)
}

/// Marks an answer of the SPA fallback (an `index.html` sent for a path that is no file), so
/// that [`cache_headers`] never calls it immutable.
#[derive(Clone, Copy)]
struct SpaFallback;

/// File extensions of what a build or the service worker serves: a path ending in one of them
/// names a file, not a page of the app. The app's own pages have no dot in their last segment.
const ASSET_EXTENSIONS: [&str; 14] =
    ["wasm", "js", "mjs", "css", "map", "json", "webmanifest", "ico", "png", "svg", "jpg", "webp", "woff2", "txt"];

/// Whether `path` names a file rather than a page: a name with one of [`ASSET_EXTENSIONS`]
/// (every hashed build output has one). A page's last segment may look hashed — a report's
/// UUID, `/samordnare/inkorg/0193…-8000-000000000000` — but it has no extension.
fn is_asset_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.is_some_and(|e| ASSET_EXTENSIONS.contains(&e.as_str()))
}

/// The CSP header, recomputed when a built `index.html` changes (a client rebuild needs no
/// server restart). Checking costs three `stat` calls per response.
struct Csp {
    files: [PathBuf; 3],
    cached: Mutex<(Vec<Option<SystemTime>>, HeaderValue)>,
}

impl Csp {
    fn new(dist: &Path) -> Self {
        let files = [
            dist.join("index.html"),
            dist.join(REPORT_DIR).join("index.html"),
            dist.join("samordnare").join("index.html"),
        ];
        Csp { files, cached: Mutex::new((Vec::new(), HeaderValue::from_static("default-src 'self'"))) }
    }

    fn current(&self) -> HeaderValue {
        let stamps: Vec<Option<SystemTime>> =
            self.files.iter().map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok()).collect();
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if cached.0 != stamps || cached.0.is_empty() {
            let html: String = self.files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).collect();
            let csp = content_security_policy((!html.is_empty()).then_some(html.as_str()));
            cached.1 = HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
            cached.0 = stamps;
        }
        cached.1.clone()
    }
}

/// The Content-Security-Policy: the app's own files, its wasm, and exactly the inline loader
/// script and inline stylesheets trunk writes into the pages (each allowed by its SHA-256),
/// nothing else.
pub fn content_security_policy(index_html: Option<&str>) -> String {
    let hashes = |tag: &str| -> String {
        index_html
            .map(|html| inline_elements(html, tag))
            .unwrap_or_default()
            .iter()
            .map(|s| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes()))))
            .collect()
    };
    let (scripts, styles) = (hashes("script"), hashes("style"));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; img-src 'self' data: blob:; \
         connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; \
         base-uri 'none'; object-src 'none'; form-action 'self'"
    )
}

/// The contents of every inline `<tag>` element: `<style>`, or `<script>` without `src`.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let Some(tag_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let attrs = &rest[start..tag_end];
        let Some(end) = rest[tag_end..].find(&close).map(|i| tag_end + i) else { break };
        if !attrs.contains(" src=") {
            out.push(&rest[tag_end..end]);
        }
        rest = &rest[end + close.len()..];
    }
    out
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

/// Every `/api` answer may carry personal data (a report, a reporter's identity, a session's
/// CSRF token, recovery codes): no browser or proxy cache may keep it. Only a handler that set
/// its own policy for public content (checklists, phone list: `no-cache`) keeps it. Static files
/// keep their own caching ([`cache_headers`]).
async fn no_store_api(req: Request, next: Next) -> Response {
    let api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if api {
        res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// Hashed build outputs (`name-<hex>.ext`; trunk writes a u64 in hex without leading zeros, so
/// 8-16 digits) never change: cache them for a year, but only when the answer is that file
/// itself (not the SPA fallback's HTML, not an error, not a 304 without a body).
/// Everything else (index.html, the SPA fallback, a service worker, errors) is revalidated.
async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let real_file = res.status().is_success() && res.extensions().get::<SpaFallback>().is_none();
    let value = if hashed && real_file { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| (8..=16).contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::{content_security_policy, is_asset_path, is_hashed_asset};

    #[test]
    fn a_page_whose_last_segment_is_a_uuid_is_no_asset() {
        assert!(!is_asset_path("/samordnare/inkorg/00000000-0000-7000-8000-000000000000"));
        assert!(!is_asset_path("/samordnare/inkorg/0193a1b2-0000-7000-8000-0123456789ab"));
        assert!(!is_asset_path("/rapport"));
        assert!(is_asset_path("/trygg-app-4f1c2a9b8e7d6c5b_bg.wasm"));
        assert!(is_asset_path("/r/trygg-rapport-4f1c2a9b8e7d6c5b.js"));
        assert!(is_asset_path("/favicon.ico"));
    }

    #[test]
    fn the_csp_allows_exactly_the_inline_loader_script() {
        let html =
            "<head><script type=\"module\">import init from '/a.js';</script><script src=\"/x.js\"></script></head>";
        let csp = content_security_policy(Some(html));
        // sha256 of the inline script body, base64.
        use base64::Engine;
        use sha2::Digest;
        let want = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"import init from '/a.js';"));
        assert!(csp.contains(&format!("'sha256-{want}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "external scripts need no hash");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
        assert!(!content_security_policy(None).contains("sha256"));
    }

    #[test]
    fn the_csp_allows_exactly_the_inline_stylesheets() {
        let html = "<head><style>main{color:red}</style><link href=/m.css rel=stylesheet></head>";
        let csp = content_security_policy(Some(html));
        use base64::Engine;
        use sha2::Digest;
        let want = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"main{color:red}"));
        let style_src = csp.split("; ").find(|d| d.starts_with("style-src")).unwrap();
        assert_eq!(style_src, format!("style-src 'self' 'sha256-{want}'"), "{csp}");
        let script_src = csp.split("; ").find(|d| d.starts_with("script-src")).unwrap();
        assert!(!script_src.contains("sha256"), "a stylesheet's hash allows no script: {csp}");
    }

    #[test]
    fn file_names_are_told_from_the_apps_pages() {
        for file in
            ["/trygg-app-4f1c2a9b8e7d6c5b_bg.wasm", "/sw.js", "/favicon.ico", "/r/x.css", "/manifest.webmanifest"]
        {
            assert!(super::is_asset_path(file), "{file}");
        }
        for page in ["/", "/rapport", "/lage/healthcare/during", "/samordnare/inkorg/42", "/kontakter", "/folj-upp"] {
            assert!(!super::is_asset_path(page), "{page}");
        }
    }

    #[test]
    fn trunk_hashed_file_names_are_recognised() {
        assert!(is_hashed_asset("/trygg-app-4f1c2a9b8e7d6c5b_bg.wasm"));
        assert!(is_hashed_asset("/trygg-app-4f1c2a9b8e7d6c5b.js"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(is_hashed_asset("/r/trygg-rapport-4f1c2a9b8e7d6c5b_bg.wasm"));
        assert!(is_hashed_asset("/trygg-app-d88a7aac4d78ba3_bg.wasm"), "15 digits: a hash with a leading zero");
        assert!(!is_hashed_asset("/report-steps.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/inkorg"));
    }
}
