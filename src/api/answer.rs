//! How an answer of the API becomes a value or an [`ApiError`]: the body's decoder (serde's,
//! or [`crate::json::wire`]'s in the start bundle's calls), and the error envelope's reading.

use gloo_net::http::Response;
use serde::de::DeserializeOwned;
use trygg_domain::FieldError;

use super::ApiError;
use crate::model::{ErrorEnvelope, codes};

/// Reads a body as JSON. Through `text` and `from_str` (not gloo's `json`, which reads from a
/// byte slice): every type is then decoded by the one reader that storage uses too, which keeps
/// a second copy of each decoder out of the wasm.
pub(super) async fn body_json<T: DeserializeOwned>(response: &Response) -> Option<T> {
    serde_json::from_str(&response.text().await.ok()?).ok()
}

/// Decodes a 2xx body, or turns the answer into an [`ApiError`].
pub(super) async fn json<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    read(sent, |text| serde_json::from_str(text).ok()).await
}

/// [`json`] with the body's own decoder: the start bundle's calls read theirs with
/// [`crate::json::wire`], so that bundle carries no `serde_json`.
pub(super) async fn read<T>(
    sent: Result<Response, gloo_net::Error>,
    decode: fn(&str) -> Option<T>,
) -> Result<T, ApiError> {
    let response = sent.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(error_of(&response).await);
    }
    let text = response.text().await.ok();
    text.as_deref()
        .and_then(decode)
        .ok_or_else(|| ApiError::Other { status: response.status(), code: "bad_response".into() })
}

pub(super) async fn error_of(response: &Response) -> ApiError {
    let status = response.status();
    let envelope = response.text().await.ok().and_then(|text| ErrorEnvelope::parse(&text));
    classify(status, envelope)
}

/// Maps a status and the (possibly missing) error envelope to an [`ApiError`].
pub(super) fn classify(status: u16, envelope: Option<ErrorEnvelope>) -> ApiError {
    let code = envelope.as_ref().map_or_else(|| format!("http_{status}"), |e| e.error.code.clone());
    match status {
        401 if code == codes::INVALID_CREDENTIALS || code == codes::INVALID_CODE => ApiError::Other { status, code },
        401 => ApiError::Unauthorized,
        422 if code == codes::VALIDATION => {
            let fields: Vec<FieldError> = envelope.into_iter().flat_map(|e| e.error.fields).collect();
            if fields.is_empty() { ApiError::Other { status, code } } else { ApiError::Validation(fields) }
        }
        _ => ApiError::Other { status, code },
    }
}
