//! `/api/checkin…` and `/api/checkin-alerts…`: the safety check-in. A person who gives a name
//! and a phone number says "check on me in an hour"; the device keeps the secret token it gets
//! back (sent in [`TOKEN_HEADER`]); *I am safe* ends the check-in, *more time* moves its due time.
//! If the due time and a grace period pass without a check-in, the server alerts whoever is on
//! duty; a check-in after that sends an all-clear. Coordinators list the open alerts, read one
//! (audited: it carries the person's name, phone and where) and acknowledge it with what was done.

use serde::{Deserialize, Serialize};

/// The header that carries the device's check-in token.
pub const TOKEN_HEADER: &str = "x-checkin-token";

/// Allowed lengths of a check-in and of *more time*, in minutes.
pub const MIN_MINUTES: u32 = 1;
pub const MAX_MINUTES: u32 = 24 * 60;
/// Longest note a coordinator writes on an acknowledgement.
pub const MAX_NOTE: usize = 2000;

/// Error codes of the check-in routes beyond the usual ones.
pub mod codes {
    /// 409: the check-in is no longer running (it ended, or it was already alerted: *more time*
    /// is refused after the alert — check in instead).
    pub const NOT_ACTIVE: &str = "checkin_not_active";
    /// 409: another coordinator acknowledged this alert meanwhile; `current` holds it.
    pub const ALREADY_ACKNOWLEDGED: &str = "already_acknowledged";
}

/// Who is alerted when a check-in is missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertTarget {
    /// The coordinators on duty (the roster), else the region's fallback address.
    #[default]
    OnDuty,
}

/// `POST /api/checkin`: start a check-in. A name and a phone number are required so that
/// someone can reach the person: an anonymous person cannot be checked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCheckin {
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub reporter_name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub reporter_phone: String,
    /// Where the person is going (optional, one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub location: String,
    /// Check on me in this many minutes.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub minutes: u32,
    #[serde(default)]
    pub alert_target: AlertTarget,
}

/// `POST /api/checkin/extend`: more time, counted from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoreTime {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub minutes: u32,
}

/// Where a check-in is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckinState {
    /// Running: the person has not checked in and the due time (plus grace) has not passed.
    Active,
    /// The person checked in in time. Ended.
    Safe,
    /// Missed: the on-duty coordinator was alerted.
    Alerted,
    /// A coordinator acknowledged the alert and wrote what was done.
    Acknowledged,
    /// The person checked in after the alert; an all-clear was sent. Ended.
    LateAllClear,
}

/// What the device sees of its check-in (`GET /api/checkin`, and the answer to every change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinStatus {
    pub state: CheckinState,
    /// When the person should check in.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub due_at: String,
    /// Seconds from the server's now to `due_at` (negative once passed): the device counts down
    /// from this rather than trusting its own clock.
    pub remaining_seconds: i64,
    /// After `due_at`, the alert goes out this many seconds later unless the person checks in.
    pub grace_seconds: i64,
}

/// `POST /api/checkin`'s answer: the device's secret token (shown once) and the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartedCheckin {
    /// Send it in `x-checkin-token`; only its hash is stored.
    pub token: String,
    pub status: CheckinStatus,
}

/// One alert in the coordinator's list: no name, no phone, no place (not an audited read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinAlert {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub state: CheckinState,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub due_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub alerted_at: Option<String>,
    /// When the person checked in after the alert.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub checked_in_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub acknowledged_at: Option<String>,
}

/// `GET /api/checkin-alerts`: alerts not yet acknowledged, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinAlerts {
    pub items: Vec<CheckinAlert>,
}

/// `GET /api/checkin-alerts/{id}`: one alert with what the person gave (an audited read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinAlertDetail {
    pub alert: CheckinAlert,
    pub reporter_name: String,
    pub reporter_phone: String,
    /// Empty when the person did not say.
    pub location: String,
    pub alert_target: AlertTarget,
    /// Who acknowledged, and what was done.
    pub acknowledged_by: Option<String>,
    pub note: Option<String>,
}

/// `POST /api/checkin-alerts/{id}/acknowledge`: what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Acknowledge {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub note: String,
}
