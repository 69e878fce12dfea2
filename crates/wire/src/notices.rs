//! `/api/notices…`: notices coordinators publish to reporters (issue 16 item 5) — a short title
//! and text in Swedish and English, an audience (a reporter role or `all`) and a start and end
//! date (calendar dates in Europe/Stockholm, both inclusive). Reporters get the current ones for
//! every role inside `GET /api/content` ([`PublicNotice`]); the start page keeps those of its role.

use serde::{Deserialize, Serialize};

use crate::Localized;

/// The field names of the notice form's errors (`title_sv.required`, `ends_on.before_start`, …).
pub mod fields {
    pub const TITLE_SV: &str = "title_sv";
    pub const TITLE_EN: &str = "title_en";
    pub const BODY_SV: &str = "body_sv";
    pub const BODY_EN: &str = "body_en";
    pub const AUDIENCE: &str = "audience";
    pub const STARTS_ON: &str = "starts_on";
    pub const ENDS_ON: &str = "ends_on";
}

/// The audience that means every reporter role.
pub const AUDIENCE_ALL: &str = "all";
/// A title's and a text's most characters.
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 1000;

/// A notice as a reporter's device gets it (inside `GET /api/content`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicNotice {
    pub id: i64,
    /// `all` or a reporter role's wire name.
    pub audience: String,
    pub title: Localized,
    pub body: Localized,
}

impl PublicNotice {
    /// Whether it is meant for reporters in `role`.
    pub fn is_for(&self, role: &str) -> bool {
        self.audience == AUDIENCE_ALL || self.audience == role
    }
}

/// `POST /api/notices`, `PUT /api/notices/{id}` (with the `version` it started from).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeBody {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub title_sv: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub title_en: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub body_sv: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub body_en: String,
    /// `all` or a reporter role's wire name (`healthcare`, `elected_official`, …).
    pub audience: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: String,
    /// The version the edit started from (ignored when creating).
    #[serde(default)]
    pub version: i64,
}

/// A notice as coordinators see it, with its state on the region's calendar today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: i64,
    pub title_sv: String,
    pub title_en: String,
    pub body_sv: String,
    pub body_en: String,
    pub audience: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub starts_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: String,
    pub version: i64,
    /// `upcoming`, `current` or `ended`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(upcoming|current|ended)$"))]
    pub state: String,
}

/// `POST /api/notices/{id}/end`: ends a notice today, if it is still at `version`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeVersion {
    pub version: i64,
}

/// `409 version_conflict`: someone else changed the notice first; `current` is its state now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeConflict {
    pub error: crate::admin_content::ConflictError,
    pub current: Option<Notice>,
}
