//! Trygg's domain: the incident report (avvikelserapport) as types that cannot hold bad data.
//!
//! The browser app and the server both call [`NewReport::parse`], so every rule about a report
//! (required fields, length limits, allowed values) is written exactly once, here. This crate
//! does no I/O and knows no framework; it compiles for `wasm32-unknown-unknown` and the host.

mod address;
mod casework;
mod content;
mod enums;
mod error;
mod pages;
mod phone;
mod police;
mod receipt;
mod report;
pub mod stats;
mod text;
mod urgency;
mod work_env;

pub use address::Address;
pub use casework::{Triage, TriageDraft, limits as casework_limits, parse_body};
pub use content::{
    CONTACT_GROUPS, ContactDraft, ContactInput, StepInput, limits as content_limits, parse_retention_months, retention,
};
pub use enums::{Channel, IdentityChoice, IncidentKind, Perpetrator, Phase, Role, Severity, Status};
pub use error::{ErrorKind, Field, FieldError};
pub use pages::{CONTACTS_PATH, REPORT_PATHS, SITUATION_PREFIX, is_report_path};
pub use phone::PhoneNumber;
pub use police::{POLICE_CASE_NUMBER_MAX, parse_police_case_number};
pub use receipt::ReceiptCode;
pub use report::{Consequences, HelpWanted, Identity, NewReport, ReportDraft, errors, limits};
pub use text::{CaseNumber, Email, LongText, Name, Phone, ShortText};
pub use urgency::{Urgency, UrgentBecause, answer_expected_within_hours};
pub use work_env::{
    DEADLINE_HOURS as WORK_ENV_DEADLINE_HOURS, WorkEnvFacts, WorkEnvReason, work_env_reasons, work_env_reminder_level,
};
