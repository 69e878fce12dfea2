//! The report draft and the receipts kept on this device (pure logic behind a tiny storage trait).
//!
//! A draft lives in storage from the first edit until the server acknowledges it, together with
//! the idempotency key that every retry reuses. Nothing here touches the browser, so it is tested
//! on the host; `storage::LocalStore` is the real `localStorage` implementation.

use crate::json::wire;
use crate::model::Receipt;
use serde::{Deserialize, Serialize};
use trygg_domain::{ReceiptCode, ReportDraft};
use uuid::Uuid;

use crate::storage::{
    DRAFT_KEY, KeyValueStore, RECEIPT_KEY, RECEIPTS_KEY, UNREADABLE_DRAFT_KEY, UNREADABLE_DRAFT_SINCE_KEY,
    UNREADABLE_OUTBOX_KEY, UNREADABLE_OUTBOX_SINCE_KEY,
};

/// How many receipts "my reports" keeps.
pub const RECEIPTS_KEPT: usize = 10;
/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// A receipt not opened on this device for this long is forgotten (a phone left in a shared
/// locker room should not keep a way into someone's reports for ever).
pub const RECEIPT_MAX_IDLE_MS: u64 = 90 * DAY_MS;
/// A copy of unreadable data set aside is deleted this long after it was first seen.
pub const SET_ASIDE_MAX_AGE_MS: u64 = 30 * DAY_MS;
/// Beside each pile of set-aside data: when a start of the app first saw it (Unix ms).
pub const SET_ASIDE_SINCE_SUFFIX: &str = ".since";

/// A draft and the idempotency key it will be sent with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub idempotency_key: Uuid,
    pub draft: ReportDraft,
}

impl SavedDraft {
    /// A blank draft that happened `occurred_at` (the form defaults to now).
    pub fn new(idempotency_key: Uuid, occurred_at: String) -> Self {
        let draft = ReportDraft { occurred_at, ..ReportDraft::default() };
        Self { idempotency_key, draft }
    }

    /// True when nothing but `role` and `phase` (filled in from the start page's choice) is set:
    /// such a draft may give way to a report that comes back from the server.
    pub fn holds_only_situation(&self, role: &str, phase: &str) -> bool {
        let mut rest = self.clone();
        let role_set = std::mem::take(&mut rest.draft.role);
        let phase_set = std::mem::take(&mut rest.draft.phase);
        rest.is_untouched() && (role_set.is_empty() || role_set == role) && (phase_set.is_empty() || phase_set == phase)
    }

    /// Blanks name, phone and e-mail once the draft says "anonymous": typed before that
    /// choice, they must not stay on the device. Answers whether anything was blanked.
    pub fn forget_identity_if_anonymous(&mut self) -> bool {
        let d = &mut self.draft;
        let typed = !(d.reporter_name.is_empty() && d.reporter_phone.is_empty() && d.reporter_email.is_empty());
        if typed && crate::form::is_anonymous(d) {
            d.reporter_name.clear();
            d.reporter_phone.clear();
            d.reporter_email.clear();
            return true;
        }
        false
    }

    /// True while the person has typed or chosen nothing. The default time does not count, so
    /// an untouched form is not kept (it would otherwise come back days later with an old time).
    pub fn is_untouched(&self) -> bool {
        ReportDraft { occurred_at: String::new(), ..self.draft.clone() } == ReportDraft::default()
    }
}

/// Loads, saves and clears the draft in a [`KeyValueStore`].
pub struct Drafts<S> {
    store: S,
}

impl<S: KeyValueStore> Drafts<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// The stored draft, if there is one that can be read. One that cannot be read is moved
    /// aside to [`UNREADABLE_DRAFT_KEY`] rather than lost.
    pub fn load(&self) -> Option<SavedDraft> {
        let raw = self.store.get(DRAFT_KEY)?;
        match serde_json::from_str(&raw) {
            Ok(saved) => Some(saved),
            Err(_) => {
                if self.set_aside(raw) {
                    self.store.remove(DRAFT_KEY);
                }
                None
            }
        }
    }

    /// Sets an unreadable draft aside in place of any set aside before (only the newest copy is
    /// kept, and [`tidy`] deletes it after [`SET_ASIDE_MAX_AGE_MS`]); answers whether storage
    /// took it.
    fn set_aside(&self, raw: String) -> bool {
        serde_json::to_string(&[raw]).is_ok_and(|json| set_aside_fresh(&self.store, UNREADABLE_DRAFT_KEY, &json))
    }

    /// The stored draft, or `fresh()` when there is none.
    pub fn load_or(&self, fresh: impl FnOnce() -> SavedDraft) -> SavedDraft {
        self.load().unwrap_or_else(fresh)
    }

    /// Keeps the draft (an untouched one is removed instead). An anonymous draft is kept
    /// without name, phone or e-mail ([`SavedDraft::forget_identity_if_anonymous`]), whatever
    /// was typed before. Answers whether storage accepted it.
    pub fn save(&self, saved: &SavedDraft) -> bool {
        let mut saved = saved.clone();
        saved.forget_identity_if_anonymous();
        if saved.is_untouched() {
            self.store.remove(DRAFT_KEY);
            return true;
        }
        match serde_json::to_string(&saved) {
            Ok(json) => self.store.set(DRAFT_KEY, &json),
            Err(_) => false,
        }
    }

    /// Forgets the draft. Call only after the server acknowledged it.
    pub fn clear(&self) {
        self.store.remove(DRAFT_KEY);
    }
}

/// Remembers the receipt of the last report so that a reload of the receipt page still shows it.
pub struct Receipts<S> {
    store: S,
}

impl<S: KeyValueStore> Receipts<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// The last receipt, while "my reports" still holds it.
    pub fn load(&self) -> Option<Receipt> {
        let last = self.last()?;
        self.all().iter().any(|r| r.receipt_code == last.receipt_code).then_some(last)
    }

    /// Remembers the receipt as the last one and first in the list of earlier ones.
    pub fn save(&self, receipt: &Receipt) -> bool {
        let mut all = self.all();
        all.retain(|r| r.receipt_code != receipt.receipt_code);
        all.insert(0, receipt.clone());
        all.truncate(RECEIPTS_KEPT);
        let listed = self.store.set(RECEIPTS_KEY, &wire::write_receipts(&all));
        self.store.set(RECEIPT_KEY, &wire::write_receipt(receipt)) && listed
    }

    /// The receipts kept on this device, newest first; the last one alone if the list is missing
    /// (it was kept before the list existed).
    pub fn all(&self) -> Vec<Receipt> {
        match self.store.get(RECEIPTS_KEY).and_then(|json| wire::receipts(&json)) {
            Some(all) => all,
            None => self.last().into_iter().collect(),
        }
    }

    fn last(&self) -> Option<Receipt> {
        wire::receipt(&self.store.get(RECEIPT_KEY)?)
    }

    /// Writes the list. When receipts were `dropped` from it, the old list is removed first, so
    /// a forgotten code never stays because storage was full; a list that only changed its
    /// stamps stays as it was if storage refuses it (no receipt is lost). The last receipt goes
    /// with its place in the list.
    fn write(&self, all: &[Receipt], dropped: bool) {
        if dropped {
            self.store.remove(RECEIPTS_KEY);
        }
        let listed = self.store.set(RECEIPTS_KEY, &wire::write_receipts(all));
        let last_gone = |raw: String| !all.iter().any(|r| raw.contains(&r.receipt_code));
        if (listed || dropped) && self.store.get(RECEIPT_KEY).is_some_and(last_gone) {
            self.store.remove(RECEIPT_KEY);
        }
    }

    /// Forgets one report on this device: its receipt leaves the list (and the last receipt).
    pub fn forget(&self, code: &str) {
        let mut all = self.all();
        all.retain(|r| r.receipt_code != code);
        self.write(&all, true);
    }

    /// Forgets every report on this device.
    pub fn forget_all(&self) {
        self.store.remove(RECEIPTS_KEY);
        self.store.remove(RECEIPT_KEY);
    }

    /// Notes that the report with `code` (as kept, or typed in any accepted spelling) was
    /// opened now; a code not kept here is not added.
    pub fn opened(&self, code: &str, now_ms: u64) {
        let Some(code) = ReceiptCode::parse(code) else { return };
        let mut all = self.all();
        let mut found = false;
        for r in all.iter_mut().filter(|r| ReceiptCode::parse(&r.receipt_code).as_ref() == Some(&code)) {
            r.last_opened_ms = now_ms;
            found = true;
        }
        if found {
            self.write(&all, false);
        }
    }

    /// Notes that the coordinators' answer of `at` (the thread's `last_answer_at`) has been shown
    /// for the report with `code`; a code not kept here is not added.
    pub fn seen_answer(&self, code: &str, at: &str) {
        let Some(code) = ReceiptCode::parse(code) else { return };
        let mut all = self.all();
        let mut found = false;
        for r in all.iter_mut().filter(|r| ReceiptCode::parse(&r.receipt_code).as_ref() == Some(&code)) {
            r.seen_answer_at = at.to_owned();
            found = true;
        }
        if found {
            self.write(&all, false);
        }
    }

    /// Applies [`expire_receipts`] to what is kept.
    pub fn expire(&self, now_ms: u64) {
        let mut all = self.all();
        let before = all.len();
        if expire_receipts(&mut all, now_ms) {
            self.write(&all, all.len() < before);
        }
    }
}

/// Stamps receipts never stamped (`last_opened_ms` 0: just saved, or kept before stamps
/// existed) with `now_ms`, and drops those not opened for [`RECEIPT_MAX_IDLE_MS`] or more.
/// Answers whether anything changed.
pub fn expire_receipts(receipts: &mut Vec<Receipt>, now_ms: u64) -> bool {
    let mut changed = false;
    receipts.retain_mut(|r| {
        if r.last_opened_ms == 0 {
            r.last_opened_ms = now_ms;
            changed = true;
        }
        let keep = now_ms.saturating_sub(r.last_opened_ms) < RECEIPT_MAX_IDLE_MS;
        changed |= !keep;
        keep
    });
    changed
}

/// Where the time a pile of set-aside data was first seen is kept: its key with
/// [`SET_ASIDE_SINCE_SUFFIX`].
const SET_ASIDE: [(&str, &str); 2] =
    [(UNREADABLE_DRAFT_KEY, UNREADABLE_DRAFT_SINCE_KEY), (UNREADABLE_OUTBOX_KEY, UNREADABLE_OUTBOX_SINCE_KEY)];

/// Writes a pile of set-aside data at `key` and restarts its clock (the next [`tidy`] stamps it).
pub(crate) fn set_aside_fresh<S: KeyValueStore>(store: &S, key: &str, json: &str) -> bool {
    for (pile, since) in SET_ASIDE {
        if pile == key {
            store.remove(since);
        }
    }
    store.set(key, json)
}

/// Whether set-aside data first seen at `since_ms` is old enough to delete at `now_ms`.
pub fn set_aside_expired(since_ms: u64, now_ms: u64) -> bool {
    now_ms.saturating_sub(since_ms) >= SET_ASIDE_MAX_AGE_MS
}

/// What the app does with the device's storage at each start: forgets receipts not opened for
/// [`RECEIPT_MAX_IDLE_MS`], and deletes copies of unreadable data set aside more than
/// [`SET_ASIDE_MAX_AGE_MS`] ago (stamping the ones it sees for the first time).
pub fn tidy<S: KeyValueStore>(store: S, now_ms: u64) {
    for (pile, since_key) in SET_ASIDE {
        if store.get(pile).is_none() {
            store.remove(since_key);
            continue;
        }
        // A JSON number, as the outbox keeps its times.
        match store.get(since_key).and_then(|s| crate::json::number::<u64>(&s)) {
            None => {
                store.set(since_key, &now_ms.to_string());
            }
            Some(since) if set_aside_expired(since, now_ms) => {
                store.remove(pile);
                store.remove(since_key);
            }
            Some(_) => {}
        }
    }
    Receipts::new(store).expire(now_ms);
}

#[cfg(test)]
mod tests;
