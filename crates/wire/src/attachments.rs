//! Evidence attachments (issue 18): what the server answers about a stored file. The file itself
//! travels as the raw request body (`PUT /api/followup/attachments/{file_id}`) and answer
//! (`GET /api/reports/{id}/attachments/{file_id}`), never inside JSON.

use serde::{Deserialize, Serialize};

/// The header carrying the receipt code on an upload (the code authorises it, as it does the
/// follow-up's messages). A header, not the query string: query strings end up in access logs.
pub const RECEIPT_CODE_HEADER: &str = "receipt-code";

/// Error codes of the envelope (`error.code`) an upload may answer besides the common ones.
pub mod codes {
    /// 415: HEIC/HEIF; the app says to send a screenshot or share the photo as JPEG.
    pub const HEIC_NOT_SUPPORTED: &str = "heic_not_supported";
    /// 415: not a JPEG, PNG or WebP image by its content (whatever its name).
    pub const UNSUPPORTED_IMAGE: &str = "unsupported_image";
    /// 413: more pixels than allowed (also what a decompression bomb gets).
    pub const IMAGE_TOO_LARGE: &str = "image_too_large";
    /// 413: the report already has the most files allowed.
    pub const TOO_MANY_FILES: &str = "too_many_files";
    /// 403 on opening a file: the report is assigned to another coordinator (need to know).
    pub const NOT_ASSIGNEE: &str = "not_assignee";
    /// 422: says it is an image but cannot be read.
    pub const BROKEN_IMAGE: &str = "broken_image";
}

/// One stored file, without its bytes: what the case page lists and the police summary cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    /// The file's id (made by the server).
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    /// SHA-256 of the stored file (re-encoded by the server, metadata removed), lower-case hex.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64))]
    pub sha256: String,
    /// When the server received it.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    /// What the server stored it as.
    #[cfg_attr(feature = "openapi", schema(pattern = "^image/(jpeg|png)$"))]
    pub content_type: String,
    /// Size of the stored file in bytes.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub bytes: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub width: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub height: i64,
}

/// A report's files, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachments {
    pub items: Vec<Attachment>,
    /// Whether the asking coordinator may open the files: the report's assignee may, and while
    /// nobody is assigned any coordinator may; the others see the list (hashes, sizes) only.
    #[serde(default)]
    pub can_open: bool,
}
