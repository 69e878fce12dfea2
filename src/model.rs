//! Wire types the app receives from the API (docs/api.md); plain serde structs, no I/O.

use serde::{Deserialize, Serialize};

/// The server's answer to an accepted report: the proof that it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub receipt_code: String,
    pub received_at: String,
}

/// A signed-in coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
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
