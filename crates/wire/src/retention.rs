//! `/api/admin/retention*`: how long closed reports are kept, what a purge would delete, and a
//! purge on demand.

use serde::{Deserialize, Serialize};

/// The retention period and its bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    /// A closed report is deleted this many months after it was closed.
    #[cfg_attr(feature = "openapi", schema(minimum = 6, maximum = 120))]
    pub months: i64,
    pub min_months: i64,
    pub max_months: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

/// A new retention period; `version` is the one the administrator saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionBody {
    #[cfg_attr(feature = "openapi", schema(minimum = 6, maximum = 120))]
    pub months: i64,
    pub version: i64,
}

/// `409`: someone else changed the period first; `current` is the period now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionConflict {
    pub error: crate::admin_content::ConflictError,
    pub current: Retention,
}

/// What a purge would delete now (the dry run), by count and ISO week of closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPreview {
    /// Closed reports closed before `cutoff`.
    pub count: i64,
    /// Reports closed before this instant (RFC 3339) are past the period.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub cutoff: String,
    /// The ISO week (`2024-W05`) in which the earliest of them was closed, if any.
    pub first_week: Option<String>,
    /// The ISO week in which the latest of them was closed, if any.
    pub last_week: Option<String>,
}

/// What a purge deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionRun {
    pub purged: i64,
}
