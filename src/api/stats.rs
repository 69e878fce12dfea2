//! The coordinator app's statistics call (coordinators and analysts).

use super::{ApiError, json};
use gloo_net::http::Request;
use trygg_wire::stats::Stats;

/// `GET /api/stats?{query}` (the page's own query string, filters kept in the URL).
pub async fn stats(query: &str) -> Result<Stats, ApiError> {
    json(Request::get(&format!("/api/stats?{query}")).send().await).await
}
