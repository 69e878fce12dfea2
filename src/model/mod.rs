//! The app's view of the wire contract: a thin re-export of `trygg-wire` (the types the server
//! sends and the bodies it reads, defined once for both sides) plus the app-only error envelope
//! and inbox query.

pub use trygg_wire::admin_content::{
    AdminChecklist, AdminChecklists, AdminContact, AdminContacts, AdminStep, ContactBody, ContactOrder, StepBody,
    StepOrder,
};
pub use trygg_wire::retention::{Retention, RetentionBody, RetentionPreview, RetentionRun};
pub use trygg_wire::roster::{OnDutyNow, OnDutyPerson, Roster, RosterException, RosterSlot, RosterView};
pub use trygg_wire::waiting::{Waiting, WaitingItem, WaitingReason};
pub use trygg_wire::{
    AuditEntry, AuditVerdict, BodyOnly, CaseEvent, Checklist, ChecklistItem, CodeBody, Colleague, Colleagues, Contact,
    ContactGroup, Contacts, Counts, Enrolment, FollowUp, Localized, Login, Me as User, Receipt, RecoveryCodes,
    ReportDetail, ReportPage, ReportSummary, Thread, ThreadMessage, TriageBody, codes, headers, roles,
};
pub use trygg_wire::{ContentBundle, SituationChecklist};

use trygg_domain::FieldError;

/// The error envelope every failing route answers with. App-only: the server's side is
/// `crates/server/src/error.rs`; the app reads only the code and the field errors it knows
/// ([`crate::json::wire::error_envelope`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: String,
    pub fields: Vec<FieldError>,
}

impl ErrorEnvelope {
    /// Reads an error answer's body (`None` if it is not an envelope).
    pub fn parse(text: &str) -> Option<Self> {
        crate::json::wire::error_envelope(text)
    }
}

mod inbox_query;
pub use inbox_query::{InboxQuery, percent_encode};

#[cfg(test)]
mod tests;
