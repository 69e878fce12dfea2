//! The wire contract, in one place: every request and response body of the JSON API, the header
//! names, role names and error codes that the server (`crates/server`) and the app (`src/model`)
//! share. Serde only; the OpenAPI schemas (`utoipa::ToSchema`) come with the `openapi` feature,
//! which only the server turns on, so the wasm carries none of it.
//!
//! Doc comments on the types and fields are the schema's descriptions in `docs/openapi.json`:
//! edit them as part of the contract (the server's snapshot test shows the diff).

pub mod accounts;
pub mod admin_content;
pub mod after;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod casework;
pub mod checkin;
pub mod content;
pub mod flags;
pub mod followup;
pub mod jobs;
pub mod notices;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod stats;
pub mod waiting;

pub use audit::{AuditEntry, AuditVerdict};
pub use auth::{CodeBody, Enrolment, Login, Me, RecoveryCodes};
pub use casework::{BodyOnly, CaseEvent, Colleague, Colleagues, ReportDetail, TriageBody};
pub use content::{
    Checklist, ChecklistItem, Contact, ContactGroup, Contacts, ContentBundle, Localized, SituationChecklist,
};
pub use followup::{FollowUp, Thread, ThreadMessage};
pub use reports::{Counts, Receipt, ReportPage, ReportSummary};

/// Header names, lower case (HTTP header names are case-insensitive).
pub mod headers {
    /// The session's CSRF token, sent back on every state-changing request made with the cookie.
    pub const CSRF: &str = "x-csrf-token";
    /// A UUID made by the browser for one report and reused on every retry of it.
    pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
    /// `true` on the answer to a retry: the report was already stored.
    pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
}

/// The role names of accounts (`Me::roles`, `Colleague::role`). A person holds one or several:
/// need-to-know, so only `coordinator` reads reports.
pub mod roles {
    /// Reads and handles reports (inbox, casework, answers).
    pub const COORDINATOR: &str = "coordinator";
    /// Configures Trygg and manages accounts; reads no report unless also coordinator.
    pub const ADMIN: &str = "admin";
    /// Statistics only.
    pub const ANALYST: &str = "analyst";
    /// Risk-flag look-ups.
    pub const RESPONDER: &str = "responder";
    /// Every role, in the order the app lists them.
    pub const ALL: [&str; 4] = [COORDINATOR, ADMIN, ANALYST, RESPONDER];
}

/// Error codes of the error envelope (`error.code`) that the app tells apart.
pub mod codes {
    pub const VALIDATION: &str = "validation";
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    pub const INVALID_CODE: &str = "invalid_code";
    pub const MFA_REQUIRED: &str = "mfa_required";
    pub const MFA_ENROLMENT_REQUIRED: &str = "mfa_enrolment_required";
    pub const CSRF_FAILED: &str = "csrf_failed";
    pub const IDEMPOTENCY_CONFLICT: &str = "idempotency_conflict";
    /// Someone else changed the row first; the answer carries its newer state (`current`).
    pub const VERSION_CONFLICT: &str = "version_conflict";
}

#[cfg(test)]
mod tests {
    /// The schema's `maxLength` of a note's or message's body is the domain's limit.
    #[test]
    fn the_body_limit_in_the_schema_is_the_domains() {
        assert_eq!(trygg_domain::casework_limits::BODY, 4000);
    }
}
