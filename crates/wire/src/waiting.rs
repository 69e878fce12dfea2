//! `GET /api/waiting`: what waits for the signed-in coordinator. Ids, reasons and times only —
//! no report text and no identity (the inbox and the report page show those, audited).

use serde::{Deserialize, Serialize};

/// Why a report waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WaitingReason {
    /// An urgent report nobody has answered yet.
    UrgentUnanswered,
    /// A new report nobody is assigned to.
    Unassigned,
    /// A report assigned to me where the reporter wrote after I last opened it.
    UnreadMessage,
    /// A reminder is due (see `reminder_kind` and `level`).
    Reminder,
}

// One thing that waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingItem {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: String,
    pub reason: WaitingReason,
    /// Since when it waits: the report's arrival, the reporter's message, or the last activity.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub since: String,
    /// For reminders: `unanswered` or `idle`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(unanswered|idle)$"))]
    pub reminder_kind: Option<String>,
    /// For reminders: 1 (first) or 2 (second).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 2))]
    pub level: Option<i32>,
}

// The list and its badge count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Waiting {
    /// How many distinct reports wait (the badge).
    pub count: u32,
    /// Urgent first, then oldest first.
    pub items: Vec<WaitingItem>,
    /// Missed safety check-ins nobody has acknowledged yet (`/samordnare/incheckningar`); not
    /// counted in `count`.
    #[serde(default)]
    pub checkin_alerts: u32,
}
