//! What the outbox keeps per report ([`Entry`]: payload, state, last error) and how it is
//! stored; what an attempt came to ([`Outcome`]). Split from `outbox.rs`, which holds the queue
//! operations over storage.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use trygg_domain::{FieldError, ReportDraft};
use uuid::Uuid;

use crate::api::ApiError;
use crate::draft::SavedDraft;
use crate::model::Receipt;

/// Why the last attempt gave no receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", try_from = "LastErrorWire")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "state", try_from = "EntryStateWire")]
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

// Both enums above are stored internally tagged (`{"kind": "server", "status": 503}`,
// `{"state": "returned", "errors": [...]}`) and read back through these flat forms: serde's own
// decoder for internally tagged enums buffers every value first and costs the reporter's wasm
// several KB more. Same format, same checks (an unknown tag or a missing field is an error).

#[derive(Deserialize)]
struct LastErrorWire {
    kind: String,
    status: Option<u16>,
    code: Option<String>,
}

impl TryFrom<LastErrorWire> for LastError {
    type Error = String;

    fn try_from(w: LastErrorWire) -> Result<Self, String> {
        Ok(match (w.kind.as_str(), w.status, w.code) {
            ("network", ..) => LastError::Network,
            ("timeout", ..) => LastError::Timeout,
            ("rate_limited", ..) => LastError::RateLimited,
            ("server", Some(status), _) => LastError::Server { status },
            ("conflict", _, Some(code)) => LastError::Conflict { code },
            ("rejected", Some(status), Some(code)) => LastError::Rejected { status, code },
            (kind, ..) => return Err(format!("last error: unknown kind or missing field ({kind})")),
        })
    }
}

#[derive(Deserialize)]
struct EntryStateWire {
    state: String,
    errors: Option<Vec<FieldError>>,
}

impl TryFrom<EntryStateWire> for EntryState {
    type Error = String;

    fn try_from(w: EntryStateWire) -> Result<Self, String> {
        Ok(match (w.state.as_str(), w.errors) {
            ("queued", _) => EntryState::Queued,
            ("returned", Some(errors)) => EntryState::Returned { errors },
            ("conflict", _) => EntryState::Conflict,
            (state, _) => return Err(format!("entry state: unknown state or missing errors ({state})")),
        })
    }
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
        #[derive(Deserialize)]
        struct Description {
            #[serde(default)]
            description: String,
        }
        serde_json::from_str::<Description>(&self.0).map(|d| d.description).unwrap_or_default()
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.clone()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(Payload(raw.get().to_owned()))
    }
}

/// One report waiting for its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(default)]
    pub last_error: Option<LastError>,
    #[serde(default)]
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
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert_eq!(serde_json::from_str::<LastError>(json).unwrap(), value);
        }
        let returned = EntryState::Returned { errors: vec![FieldError::new(Field::Description, ErrorKind::Required)] };
        for value in [EntryState::Queued, EntryState::Conflict, returned] {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<EntryState>(&json).unwrap(), value, "{json}");
        }
        assert_eq!(serde_json::to_string(&EntryState::Queued).unwrap(), r#"{"state":"queued"}"#);
    }

    #[test]
    fn an_unknown_tag_or_a_missing_field_is_unreadable() {
        for json in [r#"{"kind":"server"}"#, r#"{"kind":"rejected","status":400}"#, r#"{"kind":"meteor"}"#, r#"{}"#] {
            assert!(serde_json::from_str::<LastError>(json).is_err(), "{json}");
        }
        for json in [r#"{"state":"returned"}"#, r#"{"state":"lost"}"#, r#"{"errors":[]}"#] {
            assert!(serde_json::from_str::<EntryState>(json).is_err(), "{json}");
        }
    }
}
