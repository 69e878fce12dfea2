//! Parts of the report page: the review step, the panel shown while a sent report waits in the
//! outbox, and the note about a refused report that waits for the form to be free.

use leptos::prelude::*;
use trygg_domain::{Channel, Field, IdentityChoice, IncidentKind, Perpetrator, Phase, ReportDraft, Role};
use uuid::Uuid;

use crate::browser;
use crate::form::{self, Flag, REVIEW_STEP};
use crate::i18n::{Texts, fill, label_or_raw, use_lang, use_texts};
use crate::outbox::sender::OutboxSender;
use crate::outbox::{Entry, EntryState, LastError};

use super::form_state::ReportForm;

use super::steps::{step_title, step_url};

/// The id of the queued panel's heading, focused after sending.
pub const QUEUED_HEADING_ID: &str = "queued-heading";

/// One answer of the review: the question and what was answered.
struct Row {
    label: &'static str,
    value: String,
}

/// The rows of one step of the review; fields the form hides are left out.
fn rows(t: &Texts, lang_tag: &str, d: &ReportDraft, step: u8) -> Vec<Row> {
    let p = form::payload(d);
    let text = |field: Field| Row { label: t.field_label(field), value: form::text(&p, field).trim().to_owned() };
    let ticked = |flags: &[Flag]| {
        let names: Vec<&str> = flags.iter().filter(|f| f.get(&p)).map(|f| t.flag_label(*f)).collect();
        if names.is_empty() { t.review_none.to_owned() } else { names.join(", ") }
    };
    let choice = |field: Field, value: String| Row { label: t.field_label(field), value };
    match step {
        1 => vec![
            choice(Field::Kind, label_or_raw::<IncidentKind>(&p.kind, |v| t.kind(v))),
            choice(Field::Channel, label_or_raw::<Channel>(&p.channel, |v| t.channel(v))),
            choice(
                Field::OccurredAt,
                if p.occurred_at.is_empty() {
                    String::new()
                } else {
                    browser::format_datetime(lang_tag, &p.occurred_at)
                },
            ),
            text(Field::Location),
        ],
        2 => vec![
            text(Field::Description),
            choice(Field::Perpetrator, label_or_raw::<Perpetrator>(&p.perpetrator, |v| t.perpetrator(v))),
            text(Field::PerpetratorDescription),
            text(Field::Witnesses),
        ],
        3 => {
            let mut rows = vec![Row {
                label: t.consequences_legend,
                value: ticked(&[Flag::Injury, Flag::Damage, Flag::SickLeave, Flag::PoliceReported]),
            }];
            if p.police_reported {
                rows.push(text(Field::PoliceCaseNumber));
            }
            rows
        }
        4 => vec![
            choice(Field::Role, label_or_raw::<Role>(&p.role, |v| t.role(v))),
            choice(Field::Phase, label_or_raw::<Phase>(&p.phase, |v| t.phase(v))),
            text(Field::Unit),
        ],
        _ => {
            let mut rows =
                vec![choice(Field::Identity, label_or_raw::<IdentityChoice>(&p.identity, |v| t.identity(v)))];
            if !form::is_anonymous(&p) {
                rows.extend([text(Field::ReporterName), text(Field::ReporterPhone), text(Field::ReporterEmail)]);
            }
            rows.push(Row {
                label: t.help_legend,
                value: ticked(&[Flag::HelpCallMe, Flag::HelpSupport, Flag::HelpPolice]),
            });
            rows
        }
    }
}

/// The last step: every answer by step, each step with a link to change it.
#[component]
pub fn Review(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let steps = (1..REVIEW_STEP)
        .map(|step| {
            let heading_id = format!("review-step-{step}");
            let labelled_by = heading_id.clone();
            // What was filled in; a step with nothing filled says so once.
            let items = move || {
                let filled: Vec<_> = form
                    .saved
                    .with(|s| rows(t, lang.tag(), &s.draft, step))
                    .into_iter()
                    .filter(|row| !row.value.is_empty())
                    .collect();
                if filled.is_empty() {
                    return view! { <p class="review-empty">{t.review_empty}</p> }.into_any();
                }
                let rows =
                    filled.into_iter().map(|row| view! { <dt>{row.label}</dt><dd>{row.value}</dd> }).collect_view();
                view! { <dl class="review-list">{rows}</dl> }.into_any()
            };
            view! {
                <section class="review-step" aria-labelledby=labelled_by>
                    <div class="review-step__head">
                        <h3 id=heading_id>{step_title(t, step)}</h3>
                        <a href=step_url(step) aria-label=format!("{} – {}", t.review_change, step_title(t, step))>
                            {t.review_change}
                        </a>
                    </div>
                    {items}
                </section>
            }
        })
        .collect_view();
    view! {
        <p>{t.review_intro}</p>
        {steps}
    }
}

/// Shown instead of the form while the report just sent waits in the outbox: it is safe on the
/// device and will be sent by itself; the receipt replaces this panel when it arrives. The
/// panel stays in place while the entry changes, so focus and the status line are kept and a
/// screen reader hears each new status.
#[component]
pub fn QueuedPanel(
    entry: Memo<Option<Entry>>,
    sender: OutboxSender,
    new_report: Callback<()>,
    reopen: Callback<Uuid>,
) -> impl IntoView {
    let t = use_texts();
    let key = move || entry.with(|e| e.as_ref().map(|e| e.idempotency_key));
    let sending = move || sender.in_flight.get().is_some() && sender.in_flight.get() == key();
    let attempts = move || entry.with(|e| e.as_ref().map_or(0, |e| e.attempts));
    let conflict = move || {
        entry.with(|e| match e {
            Some(Entry { state: EntryState::Conflict, last_error, .. }) => Some(match last_error {
                Some(LastError::Conflict { code }) => code.clone(),
                _ => "idempotency_conflict".to_owned(),
            }),
            _ => None,
        })
    };
    let try_now = move |_| {
        if !sending() {
            sender.send_now();
        }
    };
    let reopen_it = move |_| {
        if let Some(key) = key() {
            reopen.run(key);
        }
    };
    view! {
        <section class="queued" aria-labelledby=QUEUED_HEADING_ID data-testid="queued">
            <h2 id=QUEUED_HEADING_ID tabindex="-1">
                {t.queued_title}
            </h2>
            <Show
                when=move || conflict().is_none()
                fallback=move || {
                    view! {
                        <p class="notice notice--error" role="alert">
                            {move || fill(t.outbox_conflict, conflict().unwrap_or_default())}
                        </p>
                        <button type="button" class="button button--primary" on:click=reopen_it>
                            {t.outbox_reopen}
                        </button>
                    }
                }
            >
                <p class="notice queued-status" role="status">
                    {move || if attempts() == 0 { t.queued_sending } else { t.queued_message }}
                </p>
                <Show when=move || { attempts() > 0 }>
                    <button
                        type="button"
                        class="button button--primary"
                        aria-disabled=move || sending().then_some("true")
                        on:click=try_now
                    >
                        {move || if sending() { t.sending } else { t.queued_try_now }}
                    </button>
                </Show>
            </Show>
            <p>{t.queued_note}</p>
            <p>
                <button type="button" class="button button--link" on:click=move |_| new_report.run(())>
                    {t.queued_new_report}
                </button>
            </p>
        </section>
    }
}

/// A note that a refused report waits until the form holds nothing new.
#[component]
pub fn ReturnedWaiting(show: Memo<bool>) -> impl IntoView {
    let t = use_texts();
    move || show.get().then(|| view! { <p class="notice notice--error">{t.outbox_returned_waiting}</p> })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn draft() -> ReportDraft {
        ReportDraft {
            kind: "threat".into(),
            channel: "phone".into(),
            description: "Han hotade mig.".into(),
            role: "healthcare".into(),
            identity: "anonymous".into(),
            reporter_name: "Anna".into(),
            police_case_number: "5000-K123-26".into(),
            injury: true,
            help_support: true,
            ..ReportDraft::default()
        }
    }

    #[test]
    fn the_review_shows_choices_in_words_and_leaves_out_what_is_not_sent() {
        let t = Lang::Sv.texts();
        let one = rows(t, "sv-SE", &draft(), 1);
        assert_eq!(one[0].value, "Hot");
        assert_eq!(one[3].value, "", "an empty answer is shown as not filled in");
        let three = rows(t, "sv-SE", &draft(), 3);
        assert_eq!(three.len(), 1, "no case number without a police report");
        assert_eq!(three[0].value, t.label_injury);
        let five = rows(t, "sv-SE", &draft(), 5);
        assert!(five.iter().all(|r| r.value != "Anna"), "an anonymous report shows no name");
        assert_eq!(five.last().unwrap().value, t.label_help_support);
    }
}
