//! The reactive sender that empties the outbox: one per tab, started by the reporter app shell,
//! found by pages in the context. It sends one entry at a time with its idempotency key, with a
//! timeout per attempt, and records each outcome in storage.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::api;
use crate::browser;
use crate::draft::Receipts;
use crate::model::Receipt;
use crate::outbox::{Entry, LastError, Outbox, Outcome};
use crate::storage::LocalStore;

/// Starts the sender that empties the outbox: at once, after each failure with back-off, when
/// the browser comes back online, and when another tab changes the outbox. Call once, from the
/// app shell, so that queued reports are sent whichever page is open.
/// `last_receipt` is the report bundle's (the start bundle has no receipt page).
pub fn start_sender(last_receipt: Option<LastReceipt>) {
    OutboxSender::start(last_receipt);
}

/// The last receipt, shared by the outbox sender (writes) and the receipt page (reads).
#[derive(Clone, Copy)]
pub struct LastReceipt(pub RwSignal<Option<Receipt>>);

impl LastReceipt {
    /// Provides the context, starting from the receipt remembered on this device.
    pub fn provide() -> Self {
        let last = LastReceipt(RwSignal::new(Receipts::new(LocalStore).load()));
        provide_context(last);
        last
    }

    /// The app's last receipt; [`LastReceipt::provide`] is called by the reporter app shells.
    pub fn use_context() -> Self {
        use_context::<LastReceipt>().expect("LastReceipt: provided by the report bundle's shell")
    }

    /// Shows and remembers a fresh receipt.
    pub fn set(self, receipt: Receipt) {
        Receipts::new(LocalStore).save(&receipt);
        self.0.set(Some(receipt));
    }
}

/// How long one attempt may take before it counts as failed. The request may still arrive;
/// the next attempt, with the same key, is then answered with the same receipt.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// The sender that empties the outbox, and the outbox as the views see it. Started once by the
/// app shell ([`start_sender`]); pages find it in the context.
#[derive(Clone, Copy)]
pub struct OutboxSender {
    /// The entries as storage holds them, refreshed after every change here or in another tab.
    pub entries: RwSignal<Vec<Entry>>,
    /// The key and receipt of the last report this tab saw acknowledged.
    pub delivered: RwSignal<Option<(Uuid, Receipt)>>,
    /// The key this tab is sending right now.
    pub in_flight: RwSignal<Option<Uuid>>,
    timer: StoredValue<Option<TimeoutHandle>>,
    last_receipt: Option<LastReceipt>,
}

impl OutboxSender {
    /// Provides the sender and sends whatever is queued at once; then again after each failure
    /// (back-off), when the browser comes back online, and when another tab changes storage.
    /// `last_receipt`: where the report bundle shows a fresh receipt (the start bundle has no
    /// receipt page: `None`).
    pub fn start(last_receipt: Option<LastReceipt>) -> Self {
        let sender = Self {
            entries: RwSignal::new(Vec::new()),
            delivered: RwSignal::new(None),
            in_flight: RwSignal::new(None),
            timer: StoredValue::new(None),
            last_receipt,
        };
        provide_context(sender);
        // The listeners live as long as the app: they are never removed.
        let _ = window_event_listener(leptos::ev::online, move |_| sender.send_now());
        let _ = window_event_listener(leptos::ev::storage, move |_| sender.pump());
        sender.send_now();
        sender
    }

    /// The app's sender, started once by the reporter app shell.
    pub fn use_context() -> Self {
        use_context::<Self>().expect("OutboxSender context")
    }

    /// Makes everything queued due at once, and sends.
    pub fn send_now(self) {
        Outbox::new(LocalStore).wake_all(browser::now_ms());
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
        let now = browser::now_ms();
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
            Outbox::new(LocalStore).record(&Receipts::new(LocalStore), key, &outcome, browser::now_ms());
            if let Outcome::Accepted(receipt) = outcome {
                if let Some(last) = self.last_receipt {
                    last.0.set(Some(receipt.clone()));
                }
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
