//! Wire types the app receives from the API (docs/api.md); plain serde structs, no I/O.

use serde::{Deserialize, Serialize};

/// The server's answer to an accepted report: the proof that it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub receipt_code: String,
    pub received_at: String,
    /// Device only, never sent by the server: when this device last opened the report (Unix
    /// ms; 0 until the next start of the app stamps it). Receipts idle for
    /// [`crate::draft::RECEIPT_MAX_IDLE_MS`] are forgotten.
    #[serde(default)]
    pub last_opened_ms: u64,
}

/// A signed-in (or half signed-in) coordinator: `POST /api/auth/login` and `GET /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// The password was right; the code from the authenticator app is still to come.
    #[serde(default)]
    pub mfa_required: bool,
    /// The account has no two-factor sign-in yet and must switch it on before anything else.
    #[serde(default)]
    pub enrolment_required: bool,
    #[serde(default)]
    pub totp_enabled: bool,
    /// Sent back in `X-CSRF-Token` on every state-changing request of this session.
    #[serde(default)]
    pub csrf_token: String,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }

    /// Signed in all the way: neither the code step nor enrolment is pending.
    pub fn is_signed_in(&self) -> bool {
        !self.mfa_required && !self.enrolment_required
    }
}

/// `POST /api/auth/totp/setup`: a new secret for the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Enrolment {
    /// Base32, for typing in by hand.
    pub secret: String,
    /// `otpauth://totp/…`, shown as a QR code.
    pub otpauth_uri: String,
}

/// `POST /api/auth/totp/confirm`: ten single-use recovery codes, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// One account a report can be assigned to (`GET /api/coordinators`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Colleague {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Colleagues {
    pub coordinators: Vec<Colleague>,
}

/// `GET /api/reports/counts`: how many reports match the filters, per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct Counts {
    #[serde(default)]
    pub new: i64,
    #[serde(default)]
    pub in_progress: i64,
    #[serde(default)]
    pub closed: i64,
    /// Counting stops here on the server: a count equal to it means "at least this many".
    #[serde(default)]
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

/// One entry of the access log (`GET /api/audit`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    #[serde(default)]
    pub user_id: Option<String>,
    pub action: String,
    #[serde(default)]
    pub report_id: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub hash: String,
}

/// `GET /api/audit/verify`: whether every entry's hash and link to the one before still match.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditVerdict {
    pub ok: bool,
    pub entries: i64,
    #[serde(default)]
    pub broken_at: Option<i64>,
}

/// One row of the coordinator inbox. Enum values stay strings so that a value added on the
/// server later shows up raw instead of breaking the whole page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportSummary {
    pub id: String,
    pub received_at: String,
    #[serde(default)]
    pub occurred_at: String,
    pub kind: String,
    #[serde(default)]
    pub channel: String,
    pub role: String,
    #[serde(default)]
    pub phase: Option<String>,
    /// `named`, `confidential` or `anonymous`: the list never carries a name or a place.
    pub identity: String,
    /// The description's beginning (at most 120 characters); the whole report is one audited read.
    pub excerpt: String,
    pub status: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub assignee_id: Option<String>,
    /// New to this coordinator, or the reporter wrote since they last opened it.
    #[serde(default)]
    pub unread: bool,
}

/// One page of the inbox, newest first; `next_cursor` fetches the page after it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportPage {
    pub items: Vec<ReportSummary>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A text in both languages, as the content routes send it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Localized {
    #[serde(default)]
    pub sv: String,
    #[serde(default)]
    pub en: String,
}

/// `GET /api/checklists`: the steps for one role in one phase, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: i64,
    pub text: Localized,
}

/// `GET /api/contacts`: the phone list in groups, emergency first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    pub groups: Vec<ContactGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactGroup {
    pub group: String,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub name: Localized,
    /// As written, e.g. `114 14`; missing until an administrator adds it.
    #[serde(default)]
    pub phone: Option<String>,
    /// The `tel:` URI to call, e.g. `tel:11414`.
    #[serde(default)]
    pub tel: Option<String>,
    #[serde(default)]
    pub note: Localized,
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Contact {
    /// True when the contact is meant for people in `role` (wire value).
    pub fn is_for(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// `POST /api/followup`: what the reporter may see of their report, by receipt code alone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Thread {
    pub received_at: String,
    pub status: String,
    #[serde(default)]
    pub closed_reason: Option<String>,
    #[serde(default)]
    pub last_answer_at: Option<String>,
    #[serde(default)]
    pub messages: Vec<ThreadMessage>,
}

/// One message of the reporter's thread; `from` is `coordinator` or `reporter`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ThreadMessage {
    pub at: String,
    pub from: String,
    pub body: String,
}

/// `GET /api/reports/{id}`: every field of a report and its timeline, for coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportDetail {
    pub id: String,
    pub received_at: String,
    #[serde(default)]
    pub occurred_at: String,
    pub kind: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub location: Option<String>,
    pub description: String,
    #[serde(default)]
    pub perpetrator: Option<String>,
    #[serde(default)]
    pub perpetrator_description: Option<String>,
    #[serde(default)]
    pub witnesses: Option<String>,
    #[serde(default)]
    pub injury: bool,
    #[serde(default)]
    pub damage: bool,
    #[serde(default)]
    pub sick_leave: bool,
    #[serde(default)]
    pub police_reported: bool,
    #[serde(default)]
    pub police_case_number: Option<String>,
    pub role: String,
    #[serde(default)]
    pub phase: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    pub identity: String,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub reporter_email: Option<String>,
    #[serde(default)]
    pub help_call_me: bool,
    #[serde(default)]
    pub help_support: bool,
    #[serde(default)]
    pub help_police: bool,
    pub status: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub closed_reason: Option<String>,
    #[serde(default)]
    pub assignee_id: Option<String>,
    #[serde(default)]
    pub events: Vec<CaseEvent>,
}

/// One entry of a report's timeline: a change, an internal note or a message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaseEvent {
    pub at: String,
    pub actor: String,
    #[serde(default)]
    pub author: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// The error envelope every failing route answers with.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    /// Each as its JSON text: read into a `FieldError` where one is known, with no decoder of
    /// arbitrary JSON values.
    #[serde(default)]
    pub fields: Vec<Box<serde_json::value::RawValue>>,
}

mod inbox_query;
pub use inbox_query::{InboxQuery, percent_encode};

#[cfg(test)]
mod tests;
