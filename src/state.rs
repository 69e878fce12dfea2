//! Reactive state shared across components: the report form being filled in (with autosave)
//! and the receipt handed from the report page to the receipt page.

use leptos::prelude::*;
use trygg_domain::{Field, FieldError};
use uuid::Uuid;

use crate::browser::{self, LocalStore};
use crate::draft::{Drafts, Receipts, SavedDraft};
use crate::form::{self, Flag};
use crate::model::Receipt;

/// The last receipt, shared by the report page (writes) and the receipt page (reads).
#[derive(Clone, Copy)]
pub struct LastReceipt(pub RwSignal<Option<Receipt>>);

impl LastReceipt {
    /// Provides the context, starting from the receipt remembered on this device.
    pub fn provide() {
        provide_context(LastReceipt(RwSignal::new(Receipts::new(LocalStore).load())));
    }

    pub fn use_context() -> Self {
        use_context::<LastReceipt>().unwrap_or_else(|| LastReceipt(RwSignal::new(None)))
    }

    /// Shows and remembers a fresh receipt.
    pub fn set(self, receipt: Receipt) {
        Receipts::new(LocalStore).save(&receipt);
        self.0.set(Some(receipt));
    }
}

/// The report form: the draft with its idempotency key, and which errors to show.
#[derive(Clone, Copy)]
pub struct ReportForm {
    pub saved: RwSignal<SavedDraft>,
    /// Set by the first press of send; from then on every change is validated at once.
    pub attempted: RwSignal<bool>,
    /// Errors from the server's 422, shown until the next edit.
    pub server_errors: RwSignal<Vec<FieldError>>,
    /// The errors shown inline: client checks (after the first attempt) and the server's.
    pub errors: Memo<Vec<FieldError>>,
    /// False when the last autosave was refused by the device.
    pub autosaved: RwSignal<bool>,
}

fn fresh() -> SavedDraft {
    SavedDraft::new(Uuid::new_v4(), browser::now_rfc3339())
}

impl ReportForm {
    /// Restores the draft kept on this device (or starts a new one) and saves on every change.
    pub fn restore() -> Self {
        let saved = RwSignal::new(Drafts::new(LocalStore).load_or(fresh));
        let attempted = RwSignal::new(false);
        let server_errors = RwSignal::new(Vec::new());
        let autosaved = RwSignal::new(true);
        let errors = Memo::new(move |_| {
            let client =
                if attempted.get() { saved.with(|s| form::validate(&s.draft, browser::now())) } else { Vec::new() };
            server_errors.with(|server| form::one_per_field(&[&client, server]))
        });
        Effect::new(move |_| {
            let ok = saved.with(|s| Drafts::new(LocalStore).save(s));
            autosaved.set(ok);
        });
        Self { saved, attempted, server_errors, errors, autosaved }
    }

    fn edit(self, change: impl FnOnce(&mut SavedDraft)) {
        self.saved.update(change);
        if !self.server_errors.with_untracked(Vec::is_empty) {
            self.server_errors.set(Vec::new());
        }
    }

    pub fn text(self, field: Field) -> Memo<String> {
        Memo::new(move |_| self.saved.with(|s| form::text(&s.draft, field).to_owned()))
    }

    pub fn set_text(self, field: Field, value: String) {
        self.edit(|s| {
            if let Some(slot) = form::text_mut(&mut s.draft, field) {
                *slot = value;
            }
        });
    }

    pub fn flag(self, flag: Flag) -> Memo<bool> {
        Memo::new(move |_| self.saved.with(|s| flag.get(&s.draft)))
    }

    pub fn set_flag(self, flag: Flag, value: bool) {
        self.edit(|s| flag.set(&mut s.draft, value));
    }

    /// The error shown under a field, if any.
    pub fn error(self, field: Field) -> Memo<Option<FieldError>> {
        Memo::new(move |_| self.errors.with(|all| all.iter().find(|e| e.field == field).copied()))
    }

    pub fn is_anonymous(self) -> Memo<bool> {
        Memo::new(move |_| self.saved.with(|s| form::is_anonymous(&s.draft)))
    }

    /// After the server acknowledged the report: forget it here and start a blank one.
    pub fn reset(self) {
        Drafts::new(LocalStore).clear();
        self.attempted.set(false);
        self.server_errors.set(Vec::new());
        self.saved.set(fresh());
    }

    /// A new idempotency key, for when the server says the old one belongs to another report.
    pub fn new_key(self) {
        self.saved.update(|s| s.idempotency_key = Uuid::new_v4());
    }
}

/// The receipt code a "follow up" link hands to the follow-up page, in memory only: it never
/// goes into a URL (and so never into a server log) and is not stored anywhere new.
#[derive(Clone, Copy)]
pub struct FollowupCode(pub RwSignal<Option<String>>);

impl FollowupCode {
    pub fn provide() {
        provide_context(FollowupCode(RwSignal::new(None)));
    }

    pub fn use_context() -> Self {
        use_context::<FollowupCode>().unwrap_or_else(|| FollowupCode(RwSignal::new(None)))
    }
}
