//! The reporter's part of "after" on the follow-up page (report bundle only, never the start
//! bundle): the agreed next steps their coordinators recorded (never internal notes), guidance
//! on reporting to the police and on protected personal data, the choice to keep their address
//! out of the summary, and the printable summary for the police (an audited read, fetched with
//! the receipt code in a POST body).

use leptos::prelude::*;

use crate::api::after::reporter_summary;
use crate::i18n::after::use_after_texts;
use crate::i18n::use_texts;
use crate::pages::followup::problem_text;
use crate::pages::police_summary::{PoliceGuidance, PrintButton, SummaryView};
use trygg_wire::after::{AgreedStep, PoliceSummary};

#[component]
pub fn ReporterAfter(code: String, steps: Vec<AgreedStep>) -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    let code = StoredValue::new(code);
    let summary = RwSignal::new(None::<PoliceSummary>);
    let hide = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let fetch = Action::new_local(move |choice: &Option<bool>| {
        let choice = *choice;
        async move {
            match reporter_summary(&code.get_value(), choice).await {
                Ok(s) => {
                    hide.set(s.address_omitted);
                    summary.set(Some(s));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(problem_text(t, &e))),
            }
        }
    });
    let has_steps = !steps.is_empty();
    let step_items = steps
        .into_iter()
        .map(|s| {
            let text = format!("{} · {}: {}", a.kind(s.kind), a.due_on, s.due_on);
            view! {
                <li data-testid="agreed-step">
                    <p>
                        <strong>{text}</strong>
                        {s.done.then(|| format!(" · {}", a.done))}
                    </p>
                    <p class="verbatim">{s.text}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        {has_steps.then(|| view! {
            <section class="no-print" aria-labelledby="agreed-steps" data-testid="agreed-steps">
                <h2 id="agreed-steps">{a.next_steps_heading}</h2>
                <ul class="tasks">{step_items}</ul>
            </section>
        })}
        <PoliceGuidance a />
        <div class="field field--check no-print">
            <input
                id="summary-hide-address"
                type="checkbox"
                prop:checked=move || hide.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    hide.set(on);
                    fetch.dispatch(Some(on));
                }
            />
            <label for="summary-hide-address">{a.hide_address_mine}</label>
        </div>
        <p class="no-print">
            <button type="button" class="button" data-testid="show-summary" on:click=move |_| {
                fetch.dispatch(None);
            }>{a.show_summary}</button>
        </p>
        {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        {move || summary.get().map(|s| view! { <PrintButton a /> <SummaryView summary=s /> })}
    }
}
