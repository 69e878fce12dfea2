//! An outbox entry's JSON form in storage, the one definition of it (read and written with
//! [`crate::json`]). An entry is an object
//! `{"idempotency_key", "payload", "queued_at_ms", "attempts", "next_attempt_ms", "last_error", "state"}`
//! whose payload is the report's JSON as first sent, kept verbatim; the last error and the state
//! are tagged objects: `{"kind": "server", "status": 503}`, `{"state": "returned", "errors": [...]}`.
//! An unknown tag or a missing member makes the entry unreadable (the outbox sets it aside).

use uuid::Uuid;

use super::{Entry, EntryState, LastError, Payload};
use crate::json::{self, ObjectWriter, wire};

impl Entry {
    /// The entry as stored.
    pub fn to_json(&self) -> String {
        let last_error = self.last_error.as_ref().map_or_else(|| "null".to_owned(), LastError::to_json);
        ObjectWriter::default()
            .string("idempotency_key", &self.idempotency_key.to_string())
            .raw("payload", self.payload.json())
            .number("queued_at_ms", self.queued_at_ms)
            .number("attempts", self.attempts.into())
            .number("next_attempt_ms", self.next_attempt_ms)
            .raw("last_error", &last_error)
            .raw("state", &self.state.to_json())
            .finish()
    }

    /// An entry read back (`None` if `text` is not one).
    pub fn from_json(text: &str) -> Option<Entry> {
        let o = json::object(text)?;
        Some(Entry {
            idempotency_key: Uuid::try_parse(&o.string("idempotency_key")?).ok()?,
            payload: Payload(o.get("payload")?.to_owned()),
            queued_at_ms: o.number("queued_at_ms")?,
            attempts: o.number("attempts")?,
            next_attempt_ms: o.number("next_attempt_ms")?,
            last_error: match o.get("last_error") {
                None | Some("null") => None,
                Some(raw) => Some(LastError::from_json(raw)?),
            },
            state: match o.get("state") {
                None => EntryState::Queued,
                Some(raw) => EntryState::from_json(raw)?,
            },
        })
    }
}

impl LastError {
    pub fn to_json(&self) -> String {
        let w = ObjectWriter::default();
        match self {
            LastError::Network => w.string("kind", "network"),
            LastError::Timeout => w.string("kind", "timeout"),
            LastError::RateLimited => w.string("kind", "rate_limited"),
            LastError::Server { status } => w.string("kind", "server").number("status", (*status).into()),
            LastError::Conflict { code } => w.string("kind", "conflict").string("code", code),
            LastError::Rejected { status, code } => {
                w.string("kind", "rejected").number("status", (*status).into()).string("code", code)
            }
        }
        .finish()
    }

    pub fn from_json(text: &str) -> Option<LastError> {
        let o = json::object(text)?;
        Some(match o.string("kind")?.as_str() {
            "network" => LastError::Network,
            "timeout" => LastError::Timeout,
            "rate_limited" => LastError::RateLimited,
            "server" => LastError::Server { status: o.number("status")? },
            "conflict" => LastError::Conflict { code: o.string("code")? },
            "rejected" => LastError::Rejected { status: o.number("status")?, code: o.string("code")? },
            _ => return None,
        })
    }
}

impl EntryState {
    pub fn to_json(&self) -> String {
        let w = ObjectWriter::default();
        match self {
            EntryState::Queued => w.string("state", "queued"),
            EntryState::Returned { errors } => {
                w.string("state", "returned").raw("errors", &wire::write_field_errors(errors))
            }
            EntryState::Conflict => w.string("state", "conflict"),
        }
        .finish()
    }

    pub fn from_json(text: &str) -> Option<EntryState> {
        let o = json::object(text)?;
        Some(match o.string("state")?.as_str() {
            "queued" => EntryState::Queued,
            "returned" => EntryState::Returned { errors: wire::field_errors(o.get("errors")?)? },
            "conflict" => EntryState::Conflict,
            _ => return None,
        })
    }
}
