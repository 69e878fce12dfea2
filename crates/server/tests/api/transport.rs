//! Bodies, content types, unknown routes, health and static files: every error has one shape.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

crate::on_both_backends!(
    an_oversize_body_gets_the_error_envelope,
    malformed_json_gets_the_error_envelope,
    a_body_of_the_wrong_shape_gets_the_error_envelope,
    a_wrong_content_type_gets_the_error_envelope,
    unknown_api_routes_and_methods_get_the_error_envelope,
    health_reports_the_database,
    the_app_is_served_with_spa_fallback_and_cache_headers,
    a_missing_hashed_asset_is_a_404_envelope_and_never_cached_as_immutable,
);

/// During a rolling deploy a browser may ask for the old build's wasm: answering the app's HTML
/// and marking it immutable for a year made the browser keep HTML as its wasm.
async fn a_missing_hashed_asset_is_a_404_envelope_and_never_cached_as_immutable(app: &TestApp) {
    for path in [
        "/trygg-app-fedcba9876543210_bg.wasm",
        "/trygg-app-fedcba9876543210.js",
        "/r/trygg-rapport-fedcba9876543210_bg.wasm",
        "/samordnare/trygg-samordnare-fedcba98.css",
        "/favicon.ico",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let cache = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        assert!(!cache.as_deref().unwrap_or("").contains("immutable"), "{path}: {cache:?}");
        assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    // The file that exists is still served and cached; a page still gets the app.
    let res = app.client.get(app.url("/trygg-app-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    let res = app.client.get(app.url("/lage/healthcare/during")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-cache");
}

async fn an_oversize_body_gets_the_error_envelope(app: &TestApp) {
    let mut r = valid_report();
    r["description"] = Value::String("x".repeat(70 * 1024));
    assert_error(app.submit(&new_key(), &r).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

async fn malformed_json_gets_the_error_envelope(app: &TestApp) {
    let res = app
        .client
        .post(app.url("/api/reports"))
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "application/json")
        .body("{\"kind\": \"threat\",")
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::BAD_REQUEST, "malformed_json").await;
}

async fn a_body_of_the_wrong_shape_gets_the_error_envelope(app: &TestApp) {
    let res = app
        .client
        .post(app.url("/api/reports"))
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "application/json")
        .body("{\"kind\": 42, \"injury\": \"yes\"}")
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
}

async fn a_wrong_content_type_gets_the_error_envelope(app: &TestApp) {
    let res = app
        .client
        .post(app.url("/api/reports"))
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "text/plain")
        .body(valid_report().to_string())
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
}

async fn unknown_api_routes_and_methods_get_the_error_envelope(app: &TestApp) {
    let res = app.client.get(app.url("/api/nothing-here")).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app.client.delete(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app.client.post(app.url("/healthz")).send().await.unwrap();
    assert_error(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

async fn health_reports_the_database(app: &TestApp) {
    let body: Value = app.client.get(app.url("/healthz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.db.backend());
}

async fn the_app_is_served_with_spa_fallback_and_cache_headers(app: &TestApp) {
    let res = app.client.get(app.url("/inkorg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{csp}");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    assert!(res.text().await.unwrap().contains("<title>Trygg</title>"));
    // The real file, byte for byte, is what is cached for a year (not a check of the file the
    // harness wrote, which could not fail: what the server answered is checked).
    let res = app.client.get(app.url("/trygg-app-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-type"], "application/wasm");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"\0asm");
    // The page itself is revalidated, whether asked for by name or reached by the fallback,
    // and it is the file in the dist directory, changed on disk and served changed.
    let written = "<!doctype html><title>Trygg</title><p>build 2</p>";
    std::fs::write(app.dist.path().join("index.html"), written).unwrap();
    for path in ["/", "/index.html", "/kontakter"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(res.text().await.unwrap(), written, "{path}");
    }

    // Deep links get their app's index.html as HTML: the reporter's, or under /samordnare/ the
    // coordinator app's once it is built (and the CSP then allows both apps' loader scripts).
    let res = app.client.get(app.url("/samordnare/inkorg")).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/html");
    assert!(res.text().await.unwrap().contains("<title>Trygg</title>"), "no coordinator build: the one app");
    let res = app.client.get(app.url("/rapport")).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("<title>Trygg</title>"), "no report bundle: the start bundle");
    let dir = app.dist.path().join("samordnare");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<title>Samordnare</title><script type=\"module\">go()</script>").unwrap();
    // The reporter's report bundle (dist/r/) for its three pages, with a loader of its own.
    let dir = app.dist.path().join("r");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<title>Rapport</title><script type=\"module\">report()</script>").unwrap();
    let loader_hash = |body: &str| {
        use base64::Engine;
        use sha2::Digest;
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body)))
    };
    for (path, title) in [
        ("/samordnare/inkorg/42", "<title>Samordnare</title>"),
        ("/lage/healthcare/during", "<title>Rapport</title>"),
        ("/kontakter", "<title>Rapport</title>"),
        ("/nu", "<title>Trygg</title>"),
        ("/rapport", "<title>Rapport</title>"),
        ("/rapport/", "<title>Rapport</title>"),
        ("/kvitto", "<title>Rapport</title>"),
        ("/folj-upp", "<title>Rapport</title>"),
        ("/rapporter", "<title>Trygg</title>"),
        ("/", "<title>Trygg</title>"),
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()["content-type"], "text/html", "{path}");
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        for loader in ["go()", "report()"] {
            assert!(csp.contains(&loader_hash(loader)), "{path}: the inline loader {loader} is allowed: {csp}");
        }
        assert!(res.text().await.unwrap().contains(title), "{path}");
    }
}
