//! The report page (`/rapport`): the incident report as a guided form in short steps (the step
//! is in the URL, `?steg=2`, so the browser's back button goes back a step), ending in a review.
//! Every change is autosaved; "next" checks only the step's fields with the domain's rules.
//! Sending puts the report in the outbox (`crate::outbox`), which delivers it with its key and
//! retries until the server has it; this page then shows the receipt.

pub mod form_state;
mod parts;
mod steps;

use form_state::ReportForm;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{Field, FieldError};
use uuid::Uuid;

use crate::api;
use crate::browser::{self, now_ms};
use crate::components::error_summary::{ERROR_SUMMARY_ID, ErrorSummary};
use crate::draft::{Drafts, Receipts, SavedDraft};
use crate::form::{self, REVIEW_STEP, STEPS};
use crate::i18n::{Texts, fill, use_texts};
use crate::nav::{Go, navigator, query};

use crate::outbox::sender::{LastReceipt, OutboxSender};
use crate::outbox::{EntryState, LastError, Outbox};
use crate::prefs;
use crate::storage::LocalStore;
use crate::task::Task;

use parts::{QueuedPanel, ReturnedWaiting, Review};
use steps::{AboutYouStep, ConsequencesStep, ContactStep, EventStep, StoryStep, step_title, step_url};

/// The id of the step's heading, focused when a step is shown.
const STEP_HEADING_ID: &str = "step-heading";

#[component]
pub fn ReportPage() -> impl IntoView {
    let t = use_texts();
    browser::set_title(t.report_title, t.app_name);
    let form = ReportForm::restore();
    let sender = OutboxSender::use_context();
    let last_receipt = LastReceipt::use_context();
    let navigate = navigator();
    let go = Callback::new(move |(path, replace): (String, bool)| {
        navigate(&path, Go { replace, ..Default::default() });
    });
    let query = query();
    let step = Memo::new(move |_| query.with(|q| form::parse_step(q.get_str("steg"))));

    // The role and phase chosen on the start page fill in a blank draft; a draft holding only
    // those may give way to a report the server sent back.
    let situation = prefs::load_situation(&LocalStore).map(|s| (s.role.as_str(), s.phase.as_str()));
    let may_replace =
        move |d: &SavedDraft| situation.map_or_else(|| d.is_untouched(), |(r, p)| d.holds_only_situation(r, p));

    // The fields listed when next or send was pressed; the summary shows those still wrong.
    let summary_fields = RwSignal::new(Vec::<FieldError>::new());
    let summary = Signal::derive(move || form.errors.with(|now| summary_fields.with(|at| form::still_open(at, now))));
    let problem = RwSignal::new(None::<String>);
    // The report this page waits for: its receipt is shown as soon as it arrives.
    let waiting = RwSignal::new(None::<Uuid>);
    // A field to focus once its step is shown (from the error summary).
    let focus_next = StoredValue::new(None::<Field>);

    let show_summary = move |errors: Vec<FieldError>| {
        summary_fields.set(errors);
        request_animation_frame(|| browser::focus_by_id(ERROR_SUMMARY_ID));
    };

    // A report the server refused comes back into the form, with its errors, never dropped.
    let take_back = move || {
        let Some(back) = Outbox::new(LocalStore).take_returned(&Drafts::new(LocalStore), may_replace) else {
            return;
        };
        waiting.set(None);
        form.load_returned(&back);
        problem.set(Some(match &back.error {
            Some(LastError::Rejected { code, .. }) if back.errors.is_empty() => fill(t.send_rejected, code),
            _ => t.returned_notice.to_owned(),
        }));
        let first = back.errors.first().map_or(REVIEW_STEP, |e| form::step_of(e.field));
        sender.refresh();
        if first != step.get_untracked() {
            go.run((step_url(first), false));
        }
        show_summary(back.errors);
    };
    take_back();
    if let Some((role, phase)) = situation {
        if form.saved.with_untracked(|s| s.draft.role.is_empty()) {
            form.set_text(Field::Role, role.to_owned());
        }
        if form.saved.with_untracked(|s| s.draft.phase.is_empty()) {
            form.set_text(Field::Phase, phase.to_owned());
        }
    }
    // Opened again (or reloaded) while a report waits to be sent, with nothing new typed:
    // wait for the newest one here.
    if form.saved.with_untracked(|s| may_replace(s)) {
        let newest = Outbox::new(LocalStore).entries().into_iter().rfind(|e| e.is_queued());
        waiting.set(newest.map(|e| e.idempotency_key));
    }

    // Follows the outbox: the receipt when the awaited report arrives, a refused one back.
    Effect::new(move |_| {
        let entries = sender.entries.get();
        if let Some(key) = waiting.get_untracked()
            && !entries.iter().any(|e| e.idempotency_key == key)
        {
            waiting.set(None);
            // Delivered by another tab: its receipt is the last one kept on the device.
            if sender.delivered.with_untracked(|d| d.as_ref().map(|(k, _)| *k)) != Some(key) {
                last_receipt.0.set(Receipts::new(LocalStore).load());
            }
            go.run(("/kvitto".into(), false));
            return;
        }
        take_back();
    });

    // A new step: focus its heading (or the field an error link points at).
    Effect::new(move |previous: Option<u8>| {
        let current = step.get();
        if previous.is_some_and(|p| p != current) {
            request_animation_frame(move || match focus_next.get_value() {
                Some(field) => {
                    focus_next.set_value(None);
                    browser::focus_field(field.as_str());
                }
                None => browser::focus_by_id(STEP_HEADING_ID),
            });
        }
        current
    });

    let follow_error = Callback::new(move |e: FieldError| {
        let target = form::step_of(e.field);
        if target == step.get_untracked() {
            browser::focus_field(e.field.as_str());
        } else {
            focus_next.set_value(Some(e.field));
            go.run((step_url(target), false));
        }
    });

    // When the device refuses to keep the report, it is sent straight from memory instead, and
    // the form keeps it until a receipt comes.
    let send_direct = Task::new(move |saved: &SavedDraft| {
        let key = saved.idempotency_key;
        let body = form::payload(&saved.draft);
        async move {
            match api::submit_report(key, &body).await {
                Ok(receipt) => {
                    last_receipt.set(receipt);
                    form.reset();
                    go.run(("/kvitto".into(), false));
                }
                Err(e) if e.is_transient() => problem.set(Some(t.send_failed.to_owned())),
                Err(e) => problem.set(Some(fill(t.send_rejected, e.code()))),
            }
        }
    });
    let direct_pending = send_direct.pending();

    let send = move || {
        form.check_all();
        let errors = form.saved.with_untracked(|s| form::validate(&s.draft, browser::now()));
        if !errors.is_empty() {
            show_summary(errors);
            return;
        }
        summary_fields.set(Vec::new());
        problem.set(None);
        let saved = form.saved.get_untracked();
        if Outbox::new(LocalStore).submit(&Drafts::new(LocalStore), &saved, now_ms()) {
            waiting.set(Some(saved.idempotency_key));
            form.reset();
            sender.pump();
            go.run((step_url(1), true));
            request_animation_frame(|| browser::focus_by_id(parts::QUEUED_HEADING_ID));
        } else if !direct_pending.get_untracked() {
            problem.set(Some(t.store_failed.to_owned()));
            send_direct.dispatch(saved);
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let current = step.get_untracked();
        if current >= REVIEW_STEP {
            send();
            return;
        }
        form.check_step(current);
        let errors = form.saved.with_untracked(|s| form::step_errors(&s.draft, current, browser::now()));
        if errors.is_empty() {
            summary_fields.set(Vec::new());
            go.run((step_url(current + 1), false));
        } else {
            show_summary(errors);
        }
    };
    let back = move |_| {
        let current = step.get_untracked();
        if current > 1 {
            go.run((step_url(current - 1), false));
        }
    };

    let queued = Memo::new(move |_| {
        let key = waiting.get()?;
        sender.entries.with(|all| all.iter().find(|e| e.idempotency_key == key).cloned())
    });
    let has_queued = Memo::new(move |_| queued.with(Option::is_some));
    let returned_elsewhere = Memo::new(move |_| {
        sender.entries.with(|all| all.iter().any(|e| matches!(e.state, EntryState::Returned { .. })))
    });

    let step_view = move || match step.get() {
        1 => view! { <EventStep form /> }.into_any(),
        2 => view! { <StoryStep form /> }.into_any(),
        3 => view! { <ConsequencesStep form /> }.into_any(),
        4 => view! { <AboutYouStep form /> }.into_any(),
        5 => view! { <ContactStep form /> }.into_any(),
        _ => view! { <Review form /> }.into_any(),
    };

    let step_form = move || {
        view! {
            // The introduction only where the report begins; later steps start with their fields.
            {move || (step.get() == 1).then(|| view! { <p class="lead">{t.report_intro}</p> })}
            <ReturnedWaiting show=returned_elsewhere />
            <ErrorSummary errors=summary on_follow=follow_error />
            <progress
                class="step-progress"
                max=STEPS
                value=move || step.get()
                aria-label=t.step_progress
                aria-valuetext=move || step_count(t, step.get())
            ></progress>
            <form class="report-form" novalidate on:submit=on_submit>
                <h2 id=STEP_HEADING_ID class="step-heading" tabindex="-1">
                    <span class="step-count">{move || step_count(t, step.get())}</span>
                    {move || step_title(t, step.get())}
                </h2>
                {step_view}
                {move || (step.get() >= REVIEW_STEP).then(|| {
                    let key = Signal::derive(move || form.saved.with(|s| s.idempotency_key.to_string()));
                    view! { <crate::pages::attach::AttachControl report_key=key /> }
                })}
                <div class="form-actions">
                    {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
                    <div class="step-nav">
                        <Show when=move || { step.get() > 1 }>
                            <button type="button" class="button" on:click=back>{t.step_back}</button>
                        </Show>
                        <button
                            type="submit"
                            class="button button--primary"
                            aria-disabled=move || direct_pending.get().then_some("true")
                        >
                            {move || {
                                if step.get() < REVIEW_STEP {
                                    t.step_next
                                } else if direct_pending.get() {
                                    t.sending
                                } else {
                                    t.submit
                                }
                            }}
                        </button>
                    </div>
                    <p class="hint">{move || if form.autosaved.get() { t.autosave_note } else { t.autosave_failed }}</p>
                </div>
            </form>
        }
    };

    view! {
        <h1>{t.report_title}</h1>
        {move || match has_queued.get() {
            true => {
                let new_report = Callback::new(move |()| {
                    waiting.set(None);
                    go.run((step_url(1), false));
                });
                let reopen = Callback::new(move |key: Uuid| {
                    // The old key belongs to something else on the server: a new one, and back
                    // into the form (the outbox effect above takes it).
                    waiting.set(None);
                    Outbox::new(LocalStore).reopen(key, Uuid::new_v4());
                    sender.refresh();
                });
                view! { <QueuedPanel entry=queued sender new_report reopen /> }.into_any()
            }
            false => step_form().into_any(),
        }}
    }
}

/// "Steg 2 av 6".
fn step_count(t: &Texts, step: u8) -> String {
    t.step_count.replace("{n}", &step.to_string()).replace("{total}", &STEPS.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_step_has_a_title_and_a_count_in_both_languages() {
        for lang in [Lang::Sv, Lang::En] {
            let t = lang.texts();
            let titles: Vec<&str> = (1..=STEPS).map(|n| step_title(t, n)).collect();
            assert!(titles.iter().all(|s| !s.is_empty()));
            let mut unique = titles.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), titles.len(), "{lang:?}: step titles differ");
        }
        assert_eq!(step_count(Lang::Sv.texts(), 2), "Steg 2 av 6");
        assert_eq!(step_count(Lang::En.texts(), 6), "Step 6 of 6");
    }

    #[test]
    fn the_first_step_has_the_plain_address() {
        assert_eq!(step_url(1), "/rapport");
        assert_eq!(step_url(3), "/rapport?steg=3");
    }
}
