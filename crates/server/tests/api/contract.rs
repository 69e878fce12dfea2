//! The OpenAPI document and the router agree: every documented operation is routed (routes and
//! operations are registered together in `routes::api`, so no route is undocumented either).

use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;

crate::on_both_backends!(every_documented_operation_is_served_by_the_router);

async fn every_documented_operation_is_served_by_the_router(app: &TestApp) {
    let doc: Value = app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let url = app.url(&path.replace("{id}", "0193a1b2-0000-7000-8000-000000000000"));
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // No session, no body: an unrouted operation answers 404/405, a routed one its own
            // refusal (401, 400, 415, 422…) or success.
            let res = app.client.request(method.clone(), &url).send().await.unwrap();
            let status = res.status();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is documented but not routed");
            assert_ne!(status, StatusCode::NOT_FOUND, "{method} {path} is documented but not routed");
            assert!(
                op["responses"].get(status.as_str()).is_some(),
                "{method} {path} answered {status}, which its operation does not document"
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
    // And the reverse for a path outside the document: the API's own 404, never the app's HTML.
    let res = app.client.get(app.url("/api/no-such-route")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "not_found");
}
