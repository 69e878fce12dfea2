//! `/api/roster…`: the on-duty roster (a weekly pattern, dated exceptions and a fallback address)
//! as administrators edit it, and who is on duty now as every coordinator sees it.
//!
//! Times are wall-clock times in the region's time zone, Europe/Stockholm (summer time
//! included); the server resolves them to instants.

use serde::{Deserialize, Serialize};

/// The error code of a save that started from an older version (409, the answer's `current`
/// holds the newer roster): the one code of every stale save.
pub use crate::codes::VERSION_CONFLICT;

/// Field names of the roster's field errors (`fields[].field`); a row's field is
/// `slots[2].end_time` or `exceptions[0].starts`, its code `<name without index>.<kind>`,
/// e.g. `slots.end_time.invalid`.
pub mod fields {
    pub const FALLBACK_EMAIL: &str = "fallback_email";
    pub const SLOTS: &str = "slots";
    pub const EXCEPTIONS: &str = "exceptions";
}

// The whole roster: what `GET /api/roster` answers and `PUT /api/roster` sends back edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Roster {
    /// The version this roster is (answer) or was edited from (request); a save from an older
    /// version is refused with 409 `version_conflict` and the newer roster.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    /// Where notices go for hours nobody covers (an e-mail address); empty or absent: nowhere.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub fallback_email: Option<String>,
    /// The weekly pattern, in the order the administrator keeps it (at most 200).
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub slots: Vec<RosterSlot>,
    /// Dated changes to the pattern (at most 200).
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub exceptions: Vec<RosterException>,
}

// One slot of the weekly pattern: from a weekday and time to a weekday and time (over midnight
// or several days allowed; an end on the start's weekday at or before its time means a week).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterSlot {
    /// 1 = Monday … 7 = Sunday.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7))]
    pub start_day: u8,
    /// `HH:MM`, 00:00–23:59.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start_time: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 7))]
    pub end_day: u8,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub end_time: String,
    /// The account on duty.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub user_id: String,
}

// A dated exception: during `[starts, ends)` this account is on duty instead of the pattern,
// or nobody (`user_id` absent: the fallback address gets the notices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterException {
    /// Wall-clock `YYYY-MM-DDTHH:MM`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"))]
    pub starts: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM`, after `starts`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"))]
    pub ends: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub user_id: Option<String>,
}

// Who is on duty now (names only; no contact details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnDutyNow {
    pub people: Vec<OnDutyPerson>,
    /// True when nobody is on duty and notices go to the fallback address.
    pub fallback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnDutyPerson {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub user_id: String,
    pub name: String,
}

// The roster with the accounts it may name (what the roster page needs in one answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterView {
    pub roster: Roster,
    /// Every account, by name.
    pub accounts: Vec<OnDutyPerson>,
}
