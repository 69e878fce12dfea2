//! The evidence calls: a reporter's upload of one file by receipt code (idempotent by the file's
//! id, made once per file by the browser), and a coordinator's list of a report's files.

use super::{ApiError, json};
use gloo_net::http::Request;
use trygg_wire::attachments::{Attachment, Attachments, RECEIPT_CODE_HEADER};

/// Uploads one file (`bytes` as read from the picked file). A retry with the same `file_id`
/// answers the first upload again, never a second file.
pub async fn upload(receipt_code: &str, file_id: &str, bytes: &[u8]) -> Result<Attachment, ApiError> {
    let body = js_sys::Uint8Array::from(bytes);
    let sent = Request::put(&format!("/api/followup/attachments/{file_id}"))
        .header(RECEIPT_CODE_HEADER, receipt_code)
        .header("Content-Type", "application/octet-stream")
        .body(body)
        .map_err(|_| ApiError::Other { status: 0, code: "encode".into() })?
        .send()
        .await;
    json(sent).await
}

/// A report's files, without their bytes, and whether this coordinator may open them.
pub async fn attachments_of(report: &str) -> Result<Attachments, ApiError> {
    json(Request::get(&format!("/api/reports/{report}/attachments")).send().await).await
}

/// Where a coordinator opens a file (a plain link: the session cookie goes along; audited).
pub fn view_url(report: &str, file: &str) -> String {
    format!("/api/reports/{report}/attachments/{file}")
}
