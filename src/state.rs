//! Reactive state shared across components: the report form being filled in (with autosave),
//! the outbox sender that delivers submitted reports, and the last receipt for the receipt page.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use trygg_domain::{Field, FieldError};
use uuid::Uuid;

use crate::api;
use crate::browser::{self, LocalStore};
use crate::draft::{Drafts, Receipts, SavedDraft};
use crate::form::{self, Flag};
use crate::model::Receipt;
use crate::outbox::{Entry, LastError, Outbox, Outcome, Returned};

/// The last receipt, shared by the outbox sender (writes) and the receipt page (reads).
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

/// How long one attempt may take before it counts as failed. The request may still arrive;
/// the next attempt, with the same key, is then answered with the same receipt.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// Now in Unix milliseconds, for the outbox's schedule.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The sender that empties the outbox, and the outbox as the views see it. Started once by the
/// app shell ([`crate::outbox::start_sender`]); pages find it in the context.
#[derive(Clone, Copy)]
pub struct OutboxSender {
    /// The entries as storage holds them, refreshed after every change here or in another tab.
    pub entries: RwSignal<Vec<Entry>>,
    /// The key and receipt of the last report this tab saw acknowledged.
    pub delivered: RwSignal<Option<(Uuid, Receipt)>>,
    /// The key this tab is sending right now.
    pub in_flight: RwSignal<Option<Uuid>>,
    timer: StoredValue<Option<TimeoutHandle>>,
    last_receipt: LastReceipt,
}

impl OutboxSender {
    /// Provides the sender and sends whatever is queued at once; then again after each failure
    /// (back-off), when the browser comes back online, and when another tab changes storage.
    pub fn start() -> Self {
        let sender = Self {
            entries: RwSignal::new(Vec::new()),
            delivered: RwSignal::new(None),
            in_flight: RwSignal::new(None),
            timer: StoredValue::new(None),
            last_receipt: LastReceipt::use_context(),
        };
        provide_context(sender);
        // The listeners live as long as the app: they are never removed.
        let _ = window_event_listener(leptos::ev::online, move |_| sender.send_now());
        let _ = window_event_listener(leptos::ev::storage, move |_| sender.pump());
        sender.send_now();
        sender
    }

    /// The app's sender (or, where no shell started one, a new one).
    pub fn use_context() -> Self {
        use_context::<Self>().unwrap_or_else(Self::start)
    }

    /// Makes everything queued due at once, and sends.
    pub fn send_now(self) {
        Outbox::new(LocalStore).wake_all(now_ms());
        self.pump();
    }

    /// Reads the outbox from storage into [`Self::entries`].
    pub fn refresh(self) {
        let stored = Outbox::new(LocalStore).entries();
        if self.entries.with_untracked(|e| *e != stored) {
            self.entries.set(stored);
        }
    }

    fn stop_timer(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
        }
        self.timer.set_value(None);
    }

    /// Sends the entry that is due, one at a time, or sleeps until the next one falls due.
    pub fn pump(self) {
        self.refresh();
        if self.in_flight.get_untracked().is_some() {
            return;
        }
        self.stop_timer();
        let outbox = Outbox::new(LocalStore);
        let now = now_ms();
        let Some(entry) = outbox.due(now) else {
            if let Some(at) = outbox.next_due_ms() {
                let wait = Duration::from_millis(at.saturating_sub(now));
                self.timer.set_value(set_timeout_with_handle(move || self.pump(), wait).ok());
            }
            return;
        };
        let key = entry.idempotency_key;
        self.in_flight.set(Some(key));
        spawn_local(async move {
            let outcome =
                match within(ATTEMPT_TIMEOUT, api::submit_report_json(key, entry.payload.json().to_owned())).await {
                    Some(answer) => Outcome::of(answer),
                    None => Outcome::Retry(LastError::Timeout),
                };
            Outbox::new(LocalStore).record(&Receipts::new(LocalStore), key, &outcome, now_ms());
            if let Outcome::Accepted(receipt) = outcome {
                self.last_receipt.0.set(Some(receipt.clone()));
                self.delivered.set(Some((key, receipt)));
            }
            self.in_flight.set(None);
            self.pump();
        });
    }
}

/// Runs `work` for at most `limit`; `None` when time ran out first.
async fn within<T>(limit: Duration, work: impl Future<Output = T>) -> Option<T> {
    let mut work = pin!(work);
    let mut timer = pin!(sleep(limit));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(value) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(value));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

/// A future that is ready after `duration` (a `setTimeout` behind a promise).
async fn sleep(duration: Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The receipt code a "follow up" link hands to the follow-up page. It never goes into a URL
/// (and so never into a server log). The follow-up page is in the report bundle and the start
/// page's list of reports in the start bundle, so the link is a page load: the code waits in
/// this tab's `sessionStorage` (a copy of one already kept in "my reports") until the follow-up
/// page takes it, at once.
pub struct FollowupCode;

impl FollowupCode {
    const KEY: &str = "trygg.followup-code";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok().flatten()
    }

    /// Hands `code` to the next follow-up page this tab opens.
    pub fn hand(code: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.set_item(Self::KEY, code);
        }
    }

    /// The code handed over, if any; it is removed as it is read.
    pub fn take() -> Option<String> {
        let s = Self::storage()?;
        let code = s.get_item(Self::KEY).ok().flatten();
        let _ = s.remove_item(Self::KEY);
        code
    }
}
