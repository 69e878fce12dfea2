//! What the outbox keeps per report ([`Entry`]: payload, state, last error) and how it is
//! stored (its JSON form, read and written with [`crate::json`]: the sender runs in the start
//! bundle, which carries no `serde_json`); what an attempt came to ([`Outcome`]). Split from
//! `outbox.rs`, which holds the queue operations over storage.

use trygg_domain::{FieldError, ReportDraft};
use uuid::Uuid;

use crate::api::ApiError;
use crate::draft::SavedDraft;
use crate::json;
use crate::model::Receipt;

/// Why the last attempt gave no receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastError {
    /// No answer: offline, connection cut, server unreachable.
    Network,
    /// No answer in time.
    Timeout,
    /// 429: the server asked to slow down.
    RateLimited,
    /// 5xx (or 408): the server's own fault.
    Server { status: u16 },
    /// 409: the key belongs to another report (cannot happen with a frozen payload).
    Conflict { code: String },
    /// Any other refusal (422 and the like), with the envelope's code.
    Rejected { status: u16, code: String },
}

/// Where an entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EntryState {
    /// Waiting for its next attempt.
    #[default]
    Queued,
    /// The server refused it as it stands: it goes back to the form (with these field errors)
    /// as soon as the form holds nothing else.
    Returned { errors: Vec<FieldError> },
    /// The server said the key belongs to something else. Kept, not retried, shown as an error.
    Conflict,
}

/// A report as it was first sent: its JSON text, stored as that JSON (an object in the entry)
/// and sent again byte for byte. Kept as text so that the sender, which runs in every reporter
/// bundle, needs no decoder of the whole report: only the report bundle reads it back
/// ([`Payload::draft`]), and the start page reads the description alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload(String);

impl Payload {
    pub fn of(draft: &ReportDraft) -> Self {
        Payload(serde_json::to_string(draft).unwrap_or_else(|_| "{}".into()))
    }

    /// The JSON text that is sent.
    pub fn json(&self) -> &str {
        &self.0
    }

    /// The report, as the form holds it (`None` if the text is not one).
    pub fn draft(&self) -> Option<ReportDraft> {
        serde_json::from_str(&self.0).ok()
    }

    /// The report's description, for the list of reports waiting to be sent.
    pub fn description(&self) -> String {
        json::object(&self.0).and_then(|o| o.string("description")).unwrap_or_default()
    }
}

/// One report waiting for its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub idempotency_key: Uuid,
    /// What is sent, exactly as first sent; never changed by later edits of the form.
    pub payload: Payload,
    /// When it was queued (Unix milliseconds).
    pub queued_at_ms: u64,
    /// How many attempts got no receipt.
    pub attempts: u32,
    /// Not sent again before this time (Unix milliseconds).
    pub next_attempt_ms: u64,
    /// Stored as `null` when there is none (a missing member reads as none too).
    pub last_error: Option<LastError>,
    /// A missing member reads as queued.
    pub state: EntryState,
}

impl Entry {
    pub fn is_queued(&self) -> bool {
        self.state == EntryState::Queued
    }
}

/// What one attempt came to, as the sender saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 201 (or a replayed 200): stored; here is the receipt.
    Accepted(Receipt),
    /// Try again later (no answer, timeout, 429, 5xx).
    Retry(LastError),
    /// 422 with field errors, or another refusal that sending again will not change.
    Rejected { errors: Vec<FieldError>, error: LastError },
    /// 409: the key is taken by a different payload.
    Conflict(LastError),
}

impl Outcome {
    /// What an answer of the API means for the entry that was sent.
    pub fn of(result: Result<Receipt, ApiError>) -> Self {
        let error = match result {
            Ok(receipt) => return Outcome::Accepted(receipt),
            Err(e) => e,
        };
        match error {
            ApiError::Network => Outcome::Retry(LastError::Network),
            ApiError::Validation(errors) => {
                Outcome::Rejected { errors, error: LastError::Rejected { status: 422, code: "validation".into() } }
            }
            ApiError::Unauthorized => Outcome::Rejected {
                errors: Vec::new(),
                error: LastError::Rejected { status: 401, code: "unauthorized".into() },
            },
            ApiError::Other { status: 429, .. } => Outcome::Retry(LastError::RateLimited),
            ApiError::Other { status: 409, code } => Outcome::Conflict(LastError::Conflict { code }),
            // A 2xx whose body could not be read was stored all the same: the retry is answered
            // with the same receipt. 408 and 5xx are the server's trouble, not the report's.
            ApiError::Other { status, .. } if status >= 500 || status == 408 || (200..300).contains(&status) => {
                Outcome::Retry(LastError::Server { status })
            }
            ApiError::Other { status, code } => {
                Outcome::Rejected { errors: Vec::new(), error: LastError::Rejected { status, code } }
            }
        }
    }
}

/// A refused report on its way back into the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub saved: SavedDraft,
    /// The server's field errors (may be empty when it refused for another reason).
    pub errors: Vec<FieldError>,
    /// Why it was refused, for a message when there are no field errors.
    pub error: Option<LastError>,
}

#[path = "stored.rs"]
mod stored;

#[cfg(test)]
mod wire_tests {
    use super::*;
    use trygg_domain::{ErrorKind, Field};

    #[test]
    fn the_tagged_forms_are_read_back_as_written() {
        let errors = [
            (LastError::Network, r#"{"kind":"network"}"#),
            (LastError::Timeout, r#"{"kind":"timeout"}"#),
            (LastError::RateLimited, r#"{"kind":"rate_limited"}"#),
            (LastError::Server { status: 503 }, r#"{"kind":"server","status":503}"#),
            (LastError::Conflict { code: "c".into() }, r#"{"kind":"conflict","code":"c"}"#),
            (LastError::Rejected { status: 422, code: "v".into() }, r#"{"kind":"rejected","status":422,"code":"v"}"#),
        ];
        for (value, json) in errors {
            assert_eq!(value.to_json(), json);
            assert_eq!(LastError::from_json(json), Some(value));
        }
        let returned = EntryState::Returned { errors: vec![FieldError::new(Field::Description, ErrorKind::Required)] };
        for value in [EntryState::Queued, EntryState::Conflict, returned] {
            let json = value.to_json();
            assert_eq!(EntryState::from_json(&json), Some(value), "{json}");
        }
        assert_eq!(EntryState::Queued.to_json(), r#"{"state":"queued"}"#);
    }

    #[test]
    fn an_unknown_tag_or_a_missing_field_is_unreadable() {
        for json in [r#"{"kind":"server"}"#, r#"{"kind":"rejected","status":400}"#, r#"{"kind":"meteor"}"#, r#"{}"#] {
            assert_eq!(LastError::from_json(json), None, "{json}");
        }
        for json in [r#"{"state":"returned"}"#, r#"{"state":"lost"}"#, r#"{"errors":[]}"#, "[]", "7"] {
            assert_eq!(EntryState::from_json(json), None, "{json}");
        }
    }

    /// An entry exactly as the serde derive of earlier versions stored it (a phone may hold one).
    const STORED_BY_SERDE: &str = r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{"description":"Hot \"x\"","occurred_at":"2026-11-24T13:00"},"queued_at_ms":1700000000000,"attempts":2,"next_attempt_ms":1700000004000,"last_error":{"kind":"server","status":503},"state":{"state":"returned","errors":[{"field":"description","code":"description.required"}]}}"#;

    #[test]
    fn an_entry_stored_by_earlier_versions_reads_and_writes_back_byte_for_byte() {
        let entry = Entry::from_json(STORED_BY_SERDE).unwrap();
        assert_eq!(entry.attempts, 2);
        assert_eq!(entry.last_error, Some(LastError::Server { status: 503 }));
        assert_eq!(entry.payload.description(), "Hot \"x\"");
        assert_eq!(entry.to_json(), STORED_BY_SERDE);
        // The optional members: missing reads as none / queued; null as none.
        let bare = r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{},"queued_at_ms":1,"attempts":0,"next_attempt_ms":1}"#;
        let entry = Entry::from_json(bare).unwrap();
        assert_eq!((entry.last_error, entry.state), (None, EntryState::Queued));
        let queued = Entry { last_error: None, state: EntryState::Queued, ..Entry::from_json(bare).unwrap() };
        assert_eq!(Entry::from_json(&queued.to_json()), Some(queued));
    }

    #[test]
    fn a_damaged_entry_is_unreadable() {
        for bad in [
            "",
            "null",
            "[]",
            r#"{"idempotency_key":"nope","payload":{},"queued_at_ms":1,"attempts":0,"next_attempt_ms":1}"#,
            r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","queued_at_ms":1,"attempts":0,"next_attempt_ms":1}"#,
            r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{},"queued_at_ms":-1,"attempts":0,"next_attempt_ms":1}"#,
            r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{},"queued_at_ms":1.5,"attempts":0,"next_attempt_ms":1}"#,
            r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{},"queued_at_ms":1,"attempts":4294967296,"next_attempt_ms":1}"#,
            r#"{"idempotency_key":"0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d","payload":{},"queued_at_ms":1,"attempts":0,"next_attempt_ms":1,"state":{"state":"x"}}"#,
        ] {
            assert_eq!(Entry::from_json(bad), None, "{bad}");
        }
    }
}
