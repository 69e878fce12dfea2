//! The report page (`/rapport`): the incident report form on one page, grouped in sections; validates with
//! the domain's rules, autosaves the draft, sends it with an idempotency key, then shows the receipt.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use trygg_domain::{Channel, Field, FieldError, IdentityChoice, IncidentKind, Perpetrator, Phase, Role};

use crate::api::{self, ApiError};
use crate::browser::{self, LocalStore};
use crate::components::error_summary::{ERROR_SUMMARY_ID, ErrorSummary};
use crate::components::fields::{Checkbox, DateTimeInput, RadioGroup, TextArea, TextInput};
use crate::draft::SavedDraft;
use crate::form::{self, Flag};
use crate::i18n::{Texts, fill, use_texts};
use crate::prefs;
use crate::state::{LastReceipt, ReportForm};

/// `(wire value, label)` for each value of a closed set, in the domain's order.
fn options<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (value(*v), label(*v))).collect()
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let t = use_texts();
    browser::set_title(t.report_title, t.app_name);
    let form = ReportForm::restore();
    // A blank draft starts with the role chosen on the start page.
    if let Some(situation) = prefs::load_situation(&LocalStore)
        && form.saved.with_untracked(|s| s.draft.role.is_empty())
    {
        form.set_text(Field::Role, situation.role.as_str().to_owned());
    }
    let last_receipt = LastReceipt::use_context();
    let navigate = use_navigate();
    // The fields listed when send was pressed; the summary shows those still wrong.
    let summary_fields = RwSignal::new(Vec::<FieldError>::new());
    let send_problem = RwSignal::new(None::<String>);
    let summary = Signal::derive(move || form.errors.with(|now| summary_fields.with(|at| form::still_open(at, now))));

    let show_summary = move |errors: Vec<FieldError>| {
        summary_fields.set(errors);
        request_animation_frame(|| browser::focus_by_id(ERROR_SUMMARY_ID));
    };

    // Sends in a row that got no answer; reset by an answer.
    let failures = RwSignal::new(0u32);

    let send = Action::new_local(move |saved: &SavedDraft| {
        let key = saved.idempotency_key;
        let body = form::payload(&saved.draft);
        let navigate = navigate.clone();
        async move {
            let result = api::submit_report(key, &body).await;
            if !matches!(&result, Err(e) if e.is_transient()) {
                failures.set(0);
            }
            match result {
                Ok(receipt) => {
                    last_receipt.set(receipt);
                    form.reset();
                    navigate("/kvitto", Default::default());
                }
                Err(ApiError::Validation(fields)) => {
                    form.server_errors.set(fields.clone());
                    show_summary(fields);
                }
                Err(ApiError::Other { code, .. }) if code == "idempotency_conflict" => {
                    // The key already belongs to an earlier version that the server kept; this
                    // version needs a key of its own to be accepted.
                    form.new_key();
                    send_problem.set(Some(t.send_conflict.to_owned()));
                }
                Err(e) => {
                    if e.is_transient() {
                        failures.update(|n| *n += 1);
                    }
                    send_problem.set(Some(problem_text(t, &e)));
                }
            }
        }
    });
    let pending = send.pending();

    // After a failure with no answer (offline, server down) the same draft is sent again with the
    // same idempotency key: after 2, 4, 8… (at most 30) seconds, and at once when the browser
    // comes back online. An edit that makes the draft invalid stops the retries.
    let retry = move || {
        if pending.get_untracked() || failures.get_untracked() == 0 {
            return;
        }
        if form.saved.with_untracked(|s| form::validate(&s.draft, browser::now())).is_empty() {
            send.dispatch(form.saved.get_untracked());
        } else {
            failures.set(0);
        }
    };
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let stop_timer = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
    };
    Effect::new(move |_| {
        let n = failures.get();
        stop_timer();
        if n > 0 {
            timer.set_value(set_timeout_with_handle(retry, retry_delay(n)).ok());
        }
    });
    let online = window_event_listener(leptos::ev::online, move |_| retry());
    on_cleanup(move || {
        stop_timer();
        online.remove();
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        send_problem.set(None);
        form.attempted.set(true);
        let errors = form.saved.with_untracked(|s| form::validate(&s.draft, browser::now()));
        if errors.is_empty() {
            summary_fields.set(Vec::new());
            send.dispatch(form.saved.get_untracked());
        } else {
            show_summary(errors);
        }
    };

    let police = form.flag(Flag::PoliceReported);
    let anonymous = form.is_anonymous();

    view! {
        <h1>{t.report_title}</h1>
        <p class="lead">{t.report_intro}</p>
        <ErrorSummary errors=summary />
        <form class="report-form" novalidate on:submit=on_submit>
            <section class="form-section" aria-labelledby="section-event">
                <h2 id="section-event">{t.section_event}</h2>
                <RadioGroup form field=Field::Kind options=options(IncidentKind::ALL, IncidentKind::as_str, |v| t.kind(v)) />
                <RadioGroup form field=Field::Channel options=options(Channel::ALL, Channel::as_str, |v| t.channel(v)) />
                <DateTimeInput form field=Field::OccurredAt hint=t.hint_occurred_at />
                <TextInput form field=Field::Location hint=t.hint_location optional=true />
                <TextArea form field=Field::Description hint=t.hint_description counter=true rows=8 />
            </section>

            <section class="form-section" aria-labelledby="section-people">
                <h2 id="section-people">{t.section_people}</h2>
                <RadioGroup
                    form
                    field=Field::Perpetrator
                    optional=true
                    options=vec![
                        (Perpetrator::Known.as_str(), t.perpetrator_known),
                        (Perpetrator::Unknown.as_str(), t.perpetrator_unknown),
                    ]
                />
                <TextArea form field=Field::PerpetratorDescription optional=true />
                <TextArea form field=Field::Witnesses hint=t.hint_witnesses optional=true rows=3 />
            </section>

            <section class="form-section" aria-labelledby="section-consequences">
                <h2 id="section-consequences">{t.section_consequences}</h2>
                <fieldset class="field choices" aria-describedby="consequences-hint">
                    <legend>{t.consequences_legend}</legend>
                    <p id="consequences-hint" class="hint">{t.check_all_that_apply}</p>
                    <Checkbox form flag=Flag::Injury />
                    <Checkbox form flag=Flag::Damage />
                    <Checkbox form flag=Flag::SickLeave />
                    <Checkbox form flag=Flag::PoliceReported />
                </fieldset>
                <Show when=move || police.get()>
                    <TextInput form field=Field::PoliceCaseNumber hint=t.hint_police_case_number optional=true />
                </Show>
            </section>

            <section class="form-section" aria-labelledby="section-you">
                <h2 id="section-you">{t.section_you}</h2>
                <RadioGroup form field=Field::Role options=options(Role::ALL, Role::as_str, |v| t.role(v)) />
                <RadioGroup
                    form
                    field=Field::Phase
                    hint=t.hint_phase
                    optional=true
                    options=options(Phase::ALL, Phase::as_str, |v| t.phase(v))
                />
                <TextInput form field=Field::Unit hint=t.hint_unit optional=true autocomplete="organization" />
            </section>

            <section class="form-section" aria-labelledby="section-contact">
                <h2 id="section-contact">{t.section_contact}</h2>
                <RadioGroup
                    form
                    field=Field::Identity
                    options=options(IdentityChoice::ALL, IdentityChoice::as_str, |v| t.identity(v))
                />
                <Show
                    when=move || !anonymous.get()
                    fallback=move || view! { <p class="notice">{t.hint_anonymous}</p> }
                >
                    <TextInput form field=Field::ReporterName autocomplete="name" />
                    <TextInput
                        form
                        field=Field::ReporterPhone
                        kind="tel"
                        hint=t.hint_reporter_phone
                        optional=true
                        autocomplete="tel"
                    />
                    <TextInput form field=Field::ReporterEmail kind="email" optional=true autocomplete="email" />
                </Show>
            </section>

            <section class="form-section" aria-labelledby="section-help">
                <h2 id="section-help">{t.section_help}</h2>
                <fieldset class="field choices" aria-describedby="help-hint">
                    <legend>{t.help_legend}</legend>
                    <p id="help-hint" class="hint">{t.check_all_that_apply}</p>
                    <Checkbox form flag=Flag::HelpCallMe />
                    <Checkbox form flag=Flag::HelpSupport />
                    <Checkbox form flag=Flag::HelpPolice />
                </fieldset>
            </section>

            <div class="form-actions">
                {move || send_problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {move || if pending.get() { t.sending } else { t.submit }}
                </button>
                <p class="hint">
                    {move || if form.autosaved.get() { t.autosave_note } else { t.autosave_failed }}
                </p>
            </div>
        </form>
    }
}

/// How long to wait before the `n`th automatic retry (n ≥ 1): 2, 4, 8, 16, then 30 seconds.
fn retry_delay(n: u32) -> std::time::Duration {
    std::time::Duration::from_secs((2u64 << n.saturating_sub(1).min(4)).min(30))
}

/// What to tell the person when a send did not give a receipt. Nothing typed is ever dropped.
fn problem_text(t: &Texts, error: &ApiError) -> String {
    if error.is_transient() { t.send_failed.to_owned() } else { fill(t.send_rejected, error.code()) }
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn retries_back_off_to_half_a_minute() {
        let secs: Vec<u64> = (1..=7).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(secs, [2, 4, 8, 16, 30, 30, 30]);
    }
}
