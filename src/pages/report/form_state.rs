//! The report form's reactive state: the draft (autosaved on every change) with its
//! idempotency key, which steps' errors show, and the server's field errors.

use leptos::prelude::*;
use trygg_domain::{Field, FieldError};
use uuid::Uuid;

use crate::browser;
use crate::draft::{Drafts, SavedDraft};
use crate::form::{self, Flag};
use crate::outbox::Returned;
use crate::storage::LocalStore;

/// The report form: the draft with its idempotency key, and which errors to show.
#[derive(Clone, Copy)]
pub struct ReportForm {
    pub saved: RwSignal<SavedDraft>,
    /// The steps whose errors show under their fields (bit `n` for step `n`): a step is
    /// checked by "next" on it, and every step by the final send. From then on every change
    /// of a checked field is validated at once.
    pub checked: RwSignal<u8>,
    /// Errors from the server's 422, shown until the next edit.
    pub server_errors: RwSignal<Vec<FieldError>>,
    /// The errors shown inline: client checks (of checked steps) and the server's.
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
        let checked = RwSignal::new(0u8);
        let server_errors = RwSignal::new(Vec::new());
        let autosaved = RwSignal::new(true);
        let errors = Memo::new(move |_| {
            let bits = checked.get();
            let client = if bits == 0 {
                Vec::new()
            } else {
                saved.with(|s| form::shown_errors(form::validate(&s.draft, browser::now()), bits))
            };
            server_errors.with(|server| form::one_per_field(&[&client, server]))
        });
        Effect::new(move |_| {
            let ok = saved.with(|s| Drafts::new(LocalStore).save(s));
            autosaved.set(ok);
        });
        Self { saved, checked, server_errors, errors, autosaved }
    }

    fn edit(self, change: impl FnOnce(&mut SavedDraft)) {
        // Choosing "anonymous" blanks a name, phone or e-mail typed before, there and then.
        self.saved.update(|s| {
            change(s);
            s.forget_identity_if_anonymous();
        });
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

    /// Shows the errors of `step` under its fields from now on.
    pub fn check_step(self, step: u8) {
        self.checked.update(|bits| *bits |= 1 << step);
    }

    /// Shows every error under its field from now on (the final send).
    pub fn check_all(self) {
        self.checked.set(form::steps_through(form::STEPS));
    }

    /// After the report went into the outbox (or got its receipt): start a blank one.
    pub fn reset(self) {
        Drafts::new(LocalStore).clear();
        self.checked.set(0);
        self.server_errors.set(Vec::new());
        self.saved.set(fresh());
    }

    /// Takes a report the server refused back into the form, with the server's field errors.
    pub fn load_returned(self, back: &Returned) {
        self.saved.set(back.saved.clone());
        self.server_errors.set(back.errors.clone());
        self.check_all();
    }
}
