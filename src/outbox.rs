//! The outbox: reports that were sent (or are about to be) but have no receipt yet, kept on the
//! device until the server has made them durable. Pure logic over [`KeyValueStore`], tested on
//! the host; the reactive sender that drives it lives in `state.rs` ([`start_sender`]).
//!
//! An entry holds the idempotency key and the payload *frozen* exactly as it was first sent, so
//! every retry is byte-for-byte the same request and the server stores the report once. Every
//! operation reads storage afresh and writes it back at once, so two tabs working on the same
//! outbox see each other's changes (and the key makes a double send harmless on the server).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use trygg_domain::{FieldError, ReportDraft};
use uuid::Uuid;

use crate::api::ApiError;
use crate::draft::{Drafts, KeyValueStore, Receipts, SavedDraft};
use crate::form;
use crate::model::Receipt;

/// Where the outbox is kept (a JSON array of entries).
pub const OUTBOX_KEY: &str = "trygg.outbox.v1";
/// Where entries that could not be read are moved (a JSON array of the raw values), so that a
/// damaged entry is never silently overwritten by the next write.
pub const UNREADABLE_OUTBOX_KEY: &str = "trygg.outbox.unreadable";
/// Longest wait between two attempts, in milliseconds.
pub const MAX_BACKOFF_MS: u64 = 30_000;

/// Starts the sender that empties the outbox: at once, after each failure with back-off, when
/// the browser comes back online, and when another tab changes the outbox. Call once, from the
/// app shell, so that queued reports are sent whichever page is open.
pub fn start_sender() {
    crate::state::OutboxSender::start();
}

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

/// The wait before the next attempt after `attempts` failures (≥ 1): 2, 4, 8, 16, then 30 s.
pub fn backoff_ms(attempts: u32) -> u64 {
    (2_000u64 << attempts.saturating_sub(1).min(4)).min(MAX_BACKOFF_MS)
}

/// The outbox in a [`KeyValueStore`].
pub struct Outbox<S> {
    store: S,
}

impl<S: KeyValueStore> Outbox<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// Every readable entry, oldest first. Entries that cannot be read are moved to
    /// [`UNREADABLE_OUTBOX_KEY`] (added to what is there already) and left out.
    pub fn entries(&self) -> Vec<Entry> {
        self.read().0
    }

    /// The readable entries, and whether the stored outbox may be written over (false while
    /// something unreadable in it could not be set aside).
    fn read(&self) -> (Vec<Entry>, bool) {
        let Some(raw) = self.store.get(OUTBOX_KEY) else {
            return (Vec::new(), true);
        };
        // Each value as its text: no decoder of JSON values is needed, only the entries'.
        let values: Vec<Box<RawValue>> =
            serde_json::from_str(&raw).unwrap_or_else(|_| as_json_string(&raw).into_iter().collect());
        let mut entries = Vec::new();
        let mut unreadable = Vec::new();
        for value in values {
            match serde_json::from_str::<Entry>(value.get()) {
                Ok(entry) => entries.push(entry),
                Err(_) => unreadable.push(value),
            }
        }
        if unreadable.is_empty() {
            return (entries, true);
        }
        let safe = self.set_aside(unreadable) && self.write(&entries);
        (entries, safe)
    }

    /// Adds values to the unreadable pile; answers whether storage took them.
    fn set_aside(&self, values: Vec<Box<RawValue>>) -> bool {
        let mut pile: Vec<Box<RawValue>> = self
            .store
            .get(UNREADABLE_OUTBOX_KEY)
            .map(|raw| serde_json::from_str(&raw).unwrap_or_else(|_| as_json_string(&raw).into_iter().collect()))
            .unwrap_or_default();
        pile.extend(values);
        serde_json::to_string(&pile).is_ok_and(|json| self.store.set(UNREADABLE_OUTBOX_KEY, &json))
    }

    fn write(&self, entries: &[Entry]) -> bool {
        if entries.is_empty() {
            self.store.remove(OUTBOX_KEY);
            return true;
        }
        serde_json::to_string(entries).is_ok_and(|json| self.store.set(OUTBOX_KEY, &json))
    }

    /// Reads, changes and writes back; answers whether storage accepted the change.
    fn change(&self, f: impl FnOnce(&mut Vec<Entry>)) -> bool {
        let (mut entries, safe) = self.read();
        if !safe {
            return false;
        }
        f(&mut entries);
        self.write(&entries)
    }

    pub fn get(&self, key: Uuid) -> Option<Entry> {
        self.entries().into_iter().find(|e| e.idempotency_key == key)
    }

    /// Queues what `saved` would send (hidden fields blanked), due at once. A key that is
    /// already queued keeps its first payload. Answers whether the entry is now in storage.
    pub fn enqueue(&self, saved: &SavedDraft, now_ms: u64) -> bool {
        let key = saved.idempotency_key;
        self.change(|entries| {
            if !entries.iter().any(|e| e.idempotency_key == key) {
                entries.push(Entry {
                    idempotency_key: key,
                    payload: Payload::of(&form::payload(&saved.draft)),
                    queued_at_ms: now_ms,
                    attempts: 0,
                    next_attempt_ms: now_ms,
                    last_error: None,
                    state: EntryState::Queued,
                });
            }
        }) && self.get(key).is_some()
    }

    /// Submits a draft: the outbox entry is written first, and only once storage holds it is
    /// the form's draft cleared, so the report is on the device at every moment. `false` when
    /// the outbox could not be written (the draft is then left where it was).
    pub fn submit(&self, drafts: &Drafts<S>, saved: &SavedDraft, now_ms: u64) -> bool {
        if !self.enqueue(saved, now_ms) {
            return false;
        }
        drafts.clear();
        true
    }

    /// The queued entry to send now: the one due earliest, if any is due.
    pub fn due(&self, now_ms: u64) -> Option<Entry> {
        self.entries()
            .into_iter()
            .filter(|e| e.is_queued() && e.next_attempt_ms <= now_ms)
            .min_by_key(|e| (e.next_attempt_ms, e.queued_at_ms))
    }

    /// When the next queued entry falls due, if any is queued.
    pub fn next_due_ms(&self) -> Option<u64> {
        self.entries().iter().filter(|e| e.is_queued()).map(|e| e.next_attempt_ms).min()
    }

    /// Makes every queued entry due at once (the app started, or the browser came back online).
    pub fn wake_all(&self, now_ms: u64) {
        if self.entries().iter().any(|e| e.is_queued() && e.next_attempt_ms > now_ms) {
            self.change(|entries| {
                for e in entries.iter_mut().filter(|e| e.is_queued()) {
                    e.next_attempt_ms = e.next_attempt_ms.min(now_ms);
                }
            });
        }
    }

    /// Applies what an attempt came to. A receipt is kept in "my reports" before the entry is
    /// removed, so a crash in between leaves a duplicate (answered by the same receipt on
    /// retry), never a loss. Answers the entry as it now stands (`None` once removed).
    pub fn record(&self, receipts: &Receipts<S>, key: Uuid, outcome: &Outcome, now_ms: u64) -> Option<Entry> {
        match outcome {
            Outcome::Accepted(receipt) => {
                receipts.save(receipt);
                self.change(|entries| entries.retain(|e| e.idempotency_key != key));
            }
            Outcome::Retry(error) => self.update(key, |e| {
                e.attempts += 1;
                e.next_attempt_ms = now_ms + backoff_ms(e.attempts);
                e.last_error = Some(error.clone());
            }),
            Outcome::Rejected { errors, error } => self.update(key, |e| {
                e.attempts += 1;
                e.last_error = Some(error.clone());
                e.state = EntryState::Returned { errors: errors.clone() };
            }),
            Outcome::Conflict(error) => self.update(key, |e| {
                e.attempts += 1;
                e.last_error = Some(error.clone());
                e.state = EntryState::Conflict;
            }),
        }
        self.get(key)
    }

    fn update(&self, key: Uuid, f: impl FnOnce(&mut Entry)) {
        self.change(|entries| {
            if let Some(e) = entries.iter_mut().find(|e| e.idempotency_key == key) {
                f(e);
            }
        });
    }

    /// Moves the oldest returned entry back into the form, if the form's stored draft is one
    /// that `may_replace` allows to go (nothing typed in it): the draft is written first, then
    /// the entry removed.
    pub fn take_returned(&self, drafts: &Drafts<S>, may_replace: impl FnOnce(&SavedDraft) -> bool) -> Option<Returned> {
        if drafts.load().is_some_and(|d| !may_replace(&d)) {
            return None;
        }
        let entry = self.entries().into_iter().find(|e| matches!(e.state, EntryState::Returned { .. }))?;
        let EntryState::Returned { errors } = entry.state else {
            return None;
        };
        // Not a report any more (damaged storage): it stays where it is, out of the form's way.
        let saved = SavedDraft { idempotency_key: entry.idempotency_key, draft: entry.payload.draft()? };
        if !drafts.save(&saved) {
            return None;
        }
        let key = saved.idempotency_key;
        self.change(|entries| entries.retain(|e| e.idempotency_key != key));
        Some(Returned { saved, errors, error: entry.last_error })
    }

    /// Turns a conflicting entry into one that goes back to the form, under a new key (the old
    /// one belongs to something else on the server).
    pub fn reopen(&self, key: Uuid, new_key: Uuid) {
        self.change(|entries| {
            if let Some(e) = entries.iter_mut().find(|e| e.idempotency_key == key && e.state == EntryState::Conflict) {
                e.idempotency_key = new_key;
                e.state = EntryState::Returned { errors: Vec::new() };
            }
        });
    }
}

/// Text that is not a JSON array of values, kept as one JSON string.
fn as_json_string(text: &str) -> Option<Box<RawValue>> {
    serde_json::value::to_raw_value(text).ok()
}

#[cfg(test)]
#[path = "outbox_tests.rs"]
mod tests;

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
