//! After an incident (issue 18 items 2–4): support tasks on a report (`/api/reports/{id}/tasks`,
//! `/api/tasks…`), what is recorded after it (`/api/reports/{id}/after`: the police case number,
//! the address kept out of the summary, the work-environment notice), and the printable police
//! summary (`/api/reports/{id}/police-summary` for coordinators, `/api/followup/police-summary`
//! for the reporter by receipt code).
//!
//! Dates are calendar dates (`YYYY-MM-DD`) in the region's time zone; a task is overdue once its
//! due date has ended.

use serde::{Deserialize, Serialize};

/// What a support task is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    CallBack,
    Debriefing,
    OccupationalHealth,
    AccompanyPolice,
    CourtDate,
    Other,
}

impl TaskKind {
    pub const ALL: [TaskKind; 6] = [
        TaskKind::CallBack,
        TaskKind::Debriefing,
        TaskKind::OccupationalHealth,
        TaskKind::AccompanyPolice,
        TaskKind::CourtDate,
        TaskKind::Other,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::CallBack => "call_back",
            TaskKind::Debriefing => "debriefing",
            TaskKind::OccupationalHealth => "occupational_health",
            TaskKind::AccompanyPolice => "accompany_police",
            TaskKind::CourtDate => "court_date",
            TaskKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Field names of the forms' field errors (`fields[].field`; code `<field>.<kind>`).
pub mod fields {
    pub const DUE_ON: &str = "due_on";
    pub const OWNER_ID: &str = "owner_id";
    pub const NOTE: &str = "note";
    pub const NEXT_STEP: &str = "next_step";
    pub const POLICE_CASE_NUMBER: &str = "police_case_number";
}

/// Length limits (characters).
pub mod limits {
    pub const NOTE: usize = 2000;
    pub const NEXT_STEP: usize = 500;
    pub const POLICE_CASE_NUMBER: usize = 30;
}

/// `POST /api/reports/{id}/tasks`: a new support task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTask {
    pub kind: TaskKind,
    /// Due date (today or later).
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: String,
    /// A coordinator account's id.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub owner_id: String,
    /// Internal note (coordinators only; never shown to the reporter), at most 2000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: String,
    /// The agreed next step the reporter sees in their follow-up, as typed (at most 500 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub next_step: String,
}

/// `PATCH /api/tasks/{id}`: absent fields stay as they are; `version` is the one seen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskChange {
    pub version: i64,
    /// `true` marks it done, `false` opens it again.
    pub done: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub owner_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub next_step: Option<String>,
}

/// A support task as coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportTask {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: String,
    pub kind: TaskKind,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub owner_id: String,
    pub owner_name: String,
    pub note: String,
    pub next_step: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub done_at: Option<String>,
    /// Open and its due date has ended.
    pub overdue: bool,
    pub version: i64,
}

/// `GET /api/tasks?overdue=true`: one open task in the list (no note, no next step: no content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskListItem {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: String,
    pub kind: TaskKind,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub owner_id: String,
    pub owner_name: String,
    pub overdue: bool,
}

/// An agreed next step as the reporter sees it in their follow-up (never the internal note).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreedStep {
    pub kind: TaskKind,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub due_on: String,
    /// As the coordinator typed it (Swedish or English).
    pub text: String,
    pub done: bool,
}

pub use trygg_domain::WorkEnvReason;

/// The work-environment notice (Arbetsmiljöverket) of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkEnvNotice {
    /// The domain's rule: staff and a serious incident (empty `reasons`: it does not qualify).
    pub qualifies: bool,
    pub reasons: Vec<WorkEnvReason>,
    /// When it should be sent by (24 h after arrival); only when it qualifies.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub due_by: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub sent_at: Option<String>,
    pub sent_by: Option<String>,
}

/// `GET /api/reports/{id}/after`: what is recorded after the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAfter {
    /// The police case number a coordinator recorded (else the one the reporter gave, if any).
    pub police_case_number: Option<String>,
    /// The reporter's place and contact details are kept out of the police summary.
    pub hide_address: bool,
    pub work_env: WorkEnvNotice,
    pub version: i64,
}

/// `PATCH /api/reports/{id}/after`: absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AfterChange {
    pub version: i64,
    /// `K` and digits, with optional dashes and year (e.g. `K123456-26`, `5000-K1234-26`);
    /// `""` clears it.
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub police_case_number: Option<String>,
    pub hide_address: Option<bool>,
    /// `true` marks the work-environment notice sent now; `false` clears it.
    pub work_env_sent: Option<bool>,
}

/// `POST /api/followup/police-summary` and `…/summary-options`: the reporter by receipt code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterSummaryRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub receipt_code: String,
    /// `…/summary-options` only: keep my address out of the summary.
    pub hide_address: Option<bool>,
}

/// One piece of evidence in the police summary: each file's number, name, SHA-256, time received
/// and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceLine {
    /// 1, 2, … in the order received.
    pub number: u32,
    pub name: String,
    /// Lower-case hex SHA-256 of the stored file.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub sha256: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    pub size_bytes: u64,
}

/// A later message of the reporter, verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryMessage {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub body: String,
}

/// The reporter as the summary names them (coordinators' summary of a named or confidential
/// report only; never when the address is kept out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryReporter {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The printable summary for the police: what happened in order, when and where, who,
/// witnesses, evidence, the reporter's own words verbatim, the K-number. An audited read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoliceSummary {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub occurred_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::IncidentKind))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Channel))]
    pub channel: String,
    /// Where; `None` when none was given or it is kept out (`address_omitted`).
    pub location: Option<String>,
    pub address_omitted: bool,
    /// The reporter's own words, verbatim.
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Perpetrator>))]
    pub perpetrator: Option<String>,
    pub perpetrator_description: Option<String>,
    pub witnesses: Option<String>,
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Role))]
    pub role: String,
    pub unit: Option<String>,
    pub reporter: Option<SummaryReporter>,
    /// The reporter's later messages, verbatim, oldest first.
    pub messages: Vec<SummaryMessage>,
    pub evidence: Vec<EvidenceLine>,
    pub police_case_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub generated_at: String,
}
