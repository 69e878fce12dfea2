//! The outbox: reports that were sent (or are about to be) but have no receipt yet, kept on the
//! device until the server has made them durable. Pure logic over [`KeyValueStore`], tested on
//! the host; the reactive sender that drives it lives in [`sender`].
//!
//! An entry holds the idempotency key and the payload *frozen* exactly as it was first sent, so
//! every retry is byte-for-byte the same request and the server stores the report once. Every
//! operation reads storage afresh and writes it back at once, so two tabs working on the same
//! outbox see each other's changes (and the key makes a double send harmless on the server).

use uuid::Uuid;

use crate::draft::{Drafts, Receipts, SavedDraft};
use crate::form;
use crate::storage::{KeyValueStore, OUTBOX_KEY, UNREADABLE_OUTBOX_KEY};

/// Longest wait between two attempts, in milliseconds.
pub const MAX_BACKOFF_MS: u64 = 30_000;

mod entry;
pub mod sender;
pub use entry::{Entry, EntryState, LastError, Outcome, Payload, Returned};

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
        // Each value as its text; text that is no JSON array is set aside whole, as a string.
        let whole;
        let values = match crate::json::array(&raw) {
            Some(values) => values,
            None => {
                whole = as_json_string(&raw);
                vec![whole.as_str()]
            }
        };
        let mut entries = Vec::new();
        let mut unreadable = Vec::new();
        for value in values {
            match Entry::from_json(value) {
                Some(entry) => entries.push(entry),
                None => unreadable.push(value),
            }
        }
        if unreadable.is_empty() {
            return (entries, true);
        }
        let safe = self.set_aside(unreadable) && self.write(&entries);
        (entries, safe)
    }

    /// Sets the values aside in place of any set aside before (only the newest copy is kept,
    /// and [`crate::draft::tidy`] deletes it after a while); answers whether storage took them.
    fn set_aside(&self, values: Vec<&str>) -> bool {
        crate::draft::set_aside_fresh(&self.store, UNREADABLE_OUTBOX_KEY, &crate::json::write_array(values))
    }

    fn write(&self, entries: &[Entry]) -> bool {
        if entries.is_empty() {
            self.store.remove(OUTBOX_KEY);
            return true;
        }
        self.store.set(OUTBOX_KEY, &crate::json::write_array(entries.iter().map(Entry::to_json)))
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
fn as_json_string(text: &str) -> String {
    let mut json = String::new();
    crate::json::write_string(&mut json, text);
    json
}

#[cfg(test)]
mod tests;
