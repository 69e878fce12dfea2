//! Wire types the app receives from the API (docs/api.md); plain serde structs, no I/O.

use serde::{Deserialize, Serialize};

/// The server's answer to an accepted report: the proof that it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub receipt_code: String,
    pub received_at: String,
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
    pub identity: String,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    pub description: String,
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

/// The inbox filters, as they stand in the page's URL and go to `GET /api/reports` and
/// `/counts`. Each is a wire value; empty means "any".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InboxQuery {
    pub status: String,
    pub severity: String,
    pub kind: String,
    pub role: String,
    pub phase: String,
    /// A coordinator's id, `me` or `none`.
    pub assignee: String,
    /// `YYYY-MM-DD`, received on or after.
    pub from: String,
    /// `YYYY-MM-DD`, received on or before.
    pub to: String,
    /// Free-text search words.
    pub q: String,
    /// `newest` (default, also empty) or `oldest`.
    pub sort: String,
}

impl InboxQuery {
    /// The parameter names, in the order they appear in URLs.
    pub const KEYS: [&'static str; 10] =
        ["status", "severity", "kind", "role", "phase", "assignee", "from", "to", "q", "sort"];

    fn slot(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "status" => &mut self.status,
            "severity" => &mut self.severity,
            "kind" => &mut self.kind,
            "role" => &mut self.role,
            "phase" => &mut self.phase,
            "assignee" => &mut self.assignee,
            "from" => &mut self.from,
            "to" => &mut self.to,
            "q" => &mut self.q,
            "sort" => &mut self.sort,
            _ => return None,
        })
    }

    pub fn get(&self, key: &str) -> &str {
        match key {
            "status" => &self.status,
            "severity" => &self.severity,
            "kind" => &self.kind,
            "role" => &self.role,
            "phase" => &self.phase,
            "assignee" => &self.assignee,
            "from" => &self.from,
            "to" => &self.to,
            "q" => &self.q,
            "sort" => &self.sort,
            _ => "",
        }
    }

    /// Sets one filter (trimmed); unknown keys are ignored.
    pub fn set(&mut self, key: &str, value: &str) {
        if let Some(slot) = self.slot(key) {
            *slot = value.trim().to_owned();
        }
    }

    /// From decoded `(key, value)` pairs, such as the page's query; unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = InboxQuery::default();
        for (k, v) in pairs {
            q.set(k, v);
        }
        if q.sort == "newest" {
            q.sort.clear();
        }
        q
    }

    /// The filters that are set, as `(key, value)` pairs for the API.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        Self::KEYS.iter().filter(|k| !self.get(k).is_empty()).map(|k| (*k, self.get(k).to_owned())).collect()
    }

    /// The same filters with another status (empty: all), for the status counts' links.
    pub fn with_status(&self, status: &str) -> Self {
        InboxQuery { status: status.to_owned(), ..self.clone() }
    }

    /// True when any filter other than status and sort is set (the "more filters" panel opens).
    pub fn has_detail_filters(&self) -> bool {
        ["severity", "kind", "role", "phase", "assignee", "from", "to"].iter().any(|k| !self.get(k).is_empty())
    }

    /// The inbox URL with these filters, e.g. `/samordnare/inkorg?status=new&q=kniv`.
    pub fn url(&self, path: &str) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return path.to_owned();
        }
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (UTF-8 bytes).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
    #[serde(default)]
    pub fields: Vec<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_filters_round_trip_through_the_url() {
        let q = InboxQuery::from_pairs([("status", "new"), ("q", " kniv & hot "), ("x", "y"), ("sort", "newest")]);
        assert_eq!(q.status, "new");
        assert_eq!(q.q, "kniv & hot");
        assert!(q.sort.is_empty(), "newest is the default and stays out of the URL");
        assert_eq!(q.url("/i"), "/i?status=new&q=kniv%20%26%20hot");
        assert_eq!(InboxQuery::default().url("/i"), "/i");
        assert_eq!(q.pairs(), vec![("status", "new".to_owned()), ("q", "kniv & hot".to_owned())]);
        assert_eq!(q.with_status("").url("/i"), "/i?q=kniv%20%26%20hot");
        assert!(!q.has_detail_filters());
        assert!(InboxQuery::from_pairs([("assignee", "none")]).has_detail_filters());
        assert_eq!(percent_encode("å/1"), "%C3%A5%2F1");
    }

    #[test]
    fn sign_in_state_and_coordinator_types_decode() {
        let json = r#"{"id":"u","email":"a@b.se","display_name":"Sara","role":"admin","mfa_required":true,
            "enrolment_required":false,"totp_enabled":true,"csrf_token":"abc"}"#;
        let me: User = serde_json::from_str(json).unwrap();
        assert!(me.mfa_required && !me.is_signed_in() && me.is_admin());
        assert_eq!(me.csrf_token, "abc");
        // An older server without the new fields: signed in, no token yet.
        let old: User =
            serde_json::from_str(r#"{"id":"u","email":"e","display_name":"d","role":"coordinator"}"#).unwrap();
        assert!(old.is_signed_in() && !old.is_admin() && old.csrf_token.is_empty());
        let list: Colleagues =
            serde_json::from_str(r#"{"coordinators":[{"id":"1","display_name":"Adam","role":"admin"}]}"#).unwrap();
        assert_eq!(list.coordinators[0].display_name, "Adam");
        let counts: Counts = serde_json::from_str(r#"{"new":2,"in_progress":1,"closed":4}"#).unwrap();
        assert_eq!((counts.total(), counts.of("closed"), counts.of("x")), (7, 4, 0));
        assert!(!counts.at_least("") && !counts.at_least("closed"), "no cap sent: exact");
        let counts: Counts = serde_json::from_str(r#"{"new":2,"in_progress":1,"closed":10000,"cap":10000}"#).unwrap();
        assert!(counts.at_least("closed") && counts.at_least("") && !counts.at_least("new"));
        let log: Vec<AuditEntry> = serde_json::from_str(
            r#"[{"seq":3,"at":"t","user_id":null,"action":"report.read","report_id":"r","reason":null,"hash":"h"}]"#,
        )
        .unwrap();
        assert_eq!(log[0].report_id.as_deref(), Some("r"));
        let verdict: AuditVerdict = serde_json::from_str(r#"{"ok":false,"entries":9,"broken_at":4}"#).unwrap();
        assert_eq!(verdict.broken_at, Some(4));
    }

    #[test]
    fn an_inbox_page_with_nulls_and_extra_fields_decodes() {
        let json = r#"{"items":[{"id":"1","received_at":"2026-11-24T13:30:00Z","occurred_at":"2026-11-24T13:00:00Z",
            "kind":"threat","channel":"phone","role":"healthcare","phase":null,"identity":"anonymous",
            "reporter_name":null,"location":null,"description":"Hot i telefon","status":"new","severity":null,
            "something_new":1}],"next_cursor":null}"#;
        let page: ReportPage = serde_json::from_str(json).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].kind, "threat");
        assert_eq!(page.next_cursor, None);
    }

    #[test]
    fn checklists_and_contacts_decode() {
        let json = r#"{"role":"healthcare","phase":"during","items":[{"id":7,"text":{"sv":"Gå","en":"Go"}}]}"#;
        let list: Checklist = serde_json::from_str(json).unwrap();
        assert_eq!(list.items[0].id, 7);
        assert_eq!(list.items[0].text.en, "Go");
        let json = r#"{"groups":[{"group":"emergency","contacts":[{"id":1,"name":{"sv":"Larm","en":"Emergency"},
            "phone":"112","tel":"tel:112","note":{"sv":"","en":""},"roles":["healthcare","elected_official"]},
            {"id":2,"name":{"sv":"TiB","en":"Duty officer"},"phone":null,"tel":null,"note":{"sv":"Via växeln","en":"Via the switchboard"},"roles":["healthcare"]}]}]}"#;
        let contacts: Contacts = serde_json::from_str(json).unwrap();
        let group = &contacts.groups[0];
        assert_eq!(group.contacts[0].tel.as_deref(), Some("tel:112"));
        assert_eq!(group.contacts[1].phone, None);
        assert!(group.contacts[1].is_for("healthcare") && !group.contacts[1].is_for("elected_official"));
    }

    #[test]
    fn the_error_envelope_keeps_code_and_raw_fields() {
        let json = r#"{"error":{"code":"validation","message":"x","fields":[{"field":"description","code":"description.required"}]}}"#;
        let env: ErrorEnvelope = serde_json::from_str(json).unwrap();
        assert_eq!(env.error.code, "validation");
        assert_eq!(env.error.fields.len(), 1);
    }
    #[test]
    fn a_thread_and_a_report_detail_decode() {
        let json = r#"{"received_at":"x","status":"in_progress","closed_reason":null,"last_answer_at":"y",
            "messages":[{"at":"y","from":"coordinator","body":"Hej"}]}"#;
        let thread: Thread = serde_json::from_str(json).unwrap();
        assert_eq!(thread.messages[0].from, "coordinator");
        let json = r#"{"id":"1","received_at":"x","occurred_at":"x","kind":"threat","channel":"phone","location":null,
            "description":"d","role":"healthcare","identity":"anonymous","status":"new","severity":null,"assignee_id":null,
            "events":[{"at":"x","actor":"coordinator","user_id":null,"author":"Sara","kind":"note","body":"b","detail":null}]}"#;
        let detail: ReportDetail = serde_json::from_str(json).unwrap();
        assert_eq!(detail.events[0].author.as_deref(), Some("Sara"));
    }
}
