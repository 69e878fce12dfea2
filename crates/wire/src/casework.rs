//! `/api/reports/{id}…` and `/api/coordinators`: the whole report with its timeline, the triage
//! and note/message bodies, and whom a report can be assigned to.

use serde::{Deserialize, Serialize};
use trygg_domain::TriageDraft;

// Every field of a report and its timeline, for coordinators (an audited read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDetail {
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
    pub location: Option<String>,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Perpetrator>))]
    pub perpetrator: Option<String>,
    pub perpetrator_description: Option<String>,
    pub witnesses: Option<String>,
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
    pub police_reported: bool,
    pub police_case_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Role))]
    pub role: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Phase>))]
    pub phase: Option<String>,
    pub unit: Option<String>,
    /// `named`, `confidential` (name for coordinators only) or `anonymous` (nothing stored).
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::IdentityChoice))]
    pub identity: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    pub help_call_me: bool,
    pub help_support: bool,
    pub help_police: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Status))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Severity>))]
    pub severity: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub assignee_id: Option<String>,
    pub closed_reason: Option<String>,
    /// Every change, note and message, oldest first.
    pub events: Vec<CaseEvent>,
}

// One entry of a report's timeline: a change, an internal note or a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EventOut))]
pub struct CaseEvent {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// `coordinator` or `reporter`
    pub actor: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub user_id: Option<String>,
    /// The coordinator's display name (none for the reporter).
    pub author: Option<String>,
    /// `status`, `severity`, `assignee`, `note` (internal) or `message`
    pub kind: String,
    /// The text of a note or message, or the new value.
    pub body: Option<String>,
    /// The closing reason of a status change to `closed`.
    pub detail: Option<String>,
}

// `PATCH /api/reports/{id}`: status, severity and closing reason as the form has them, and the
// assignee.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageBody {
    #[serde(flatten)]
    pub draft: TriageDraft,
    /// A coordinator's id to assign, `""` to unassign; absent leaves it unchanged.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^([0-9a-fA-F-]{36})?$"))]
    pub assignee: Option<String>,
}

// An internal note or a message to the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BodyOnly {
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 4000,
            pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
        )
    )]
    pub body: String,
}

// One account a report can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub display_name: String,
    /// `coordinator` or `admin`
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleagues {
    pub coordinators: Vec<Colleague>,
}
