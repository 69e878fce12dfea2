//! `/api/reports` and `/api/reports/counts`: the receipt of a submitted report, the inbox's rows
//! and pages, and the counts per status.

use serde::{Deserialize, Serialize};

// The answer to an accepted report: the proof that it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub receipt_code: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    /// Device only, never sent by the server (nor in the schema): when this device last opened
    /// the report (Unix ms; 0 until the app's next start stamps it). The app forgets receipts
    /// idle for 90 days (`draft::RECEIPT_MAX_IDLE_MS`).
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub last_opened_ms: u64,
    /// Device only, never sent by the server: the coordinators' last answer this device has
    /// shown (RFC 3339, as the server wrote it), so "my reports" can say which has a new one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub seen_answer_at: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

// One row of the coordinator inbox. Enum values stay strings so that a value added on the
// server later shows up raw in the app instead of breaking the whole page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSummary {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub occurred_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::IncidentKind))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Channel))]
    pub channel: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Role))]
    pub role: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Phase>))]
    pub phase: Option<String>,
    /// `named`, `confidential` or `anonymous`; the list never carries the name itself.
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::IdentityChoice))]
    pub identity: String,
    /// The description's beginning, at most 120 characters (ending in `…` when cut). The list
    /// carries no name and no place: those, and the whole text, come only with a full read
    /// (`GET /api/reports/{id}`), which is written to the access log.
    pub excerpt: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Status))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Severity>))]
    pub severity: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub assignee_id: Option<String>,
    /// New to this coordinator, or the reporter wrote since they last opened it.
    pub unread: bool,
}

// One page of the inbox, newest first; `next_cursor` fetches the page after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Page))]
pub struct ReportPage {
    pub items: Vec<ReportSummary>,
    pub next_cursor: Option<String>,
}

// How many reports match the filters, per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub new: i64,
    pub in_progress: i64,
    pub closed: i64,
    /// Counting stops here: a count equal to `cap` means "at least this many".
    pub cap: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.new + self.in_progress + self.closed
    }

    /// Whether `n` (one of these counts, or their total) may be larger than shown.
    pub fn at_least(&self, status: &str) -> bool {
        let capped = |n: i64| self.cap > 0 && n >= self.cap;
        match status {
            "" => capped(self.new) || capped(self.in_progress) || capped(self.closed),
            s => capped(self.of(s)),
        }
    }

    /// The count of one status (wire value); 0 for an unknown one.
    pub fn of(&self, status: &str) -> i64 {
        match status {
            "new" => self.new,
            "in_progress" => self.in_progress,
            "closed" => self.closed,
            _ => 0,
        }
    }
}
