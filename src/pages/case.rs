//! A coordinator's view of one report: every field, the timeline of changes, notes and
//! messages, and the forms to triage, note and answer (in [`super::case_forms`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use trygg_domain::{Channel, IdentityChoice, IncidentKind, Perpetrator, Phase, Role, Severity, Status};

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{Lang, Texts, fill, label_or_raw, use_lang, use_texts};
use crate::model::{CaseEvent, ReportDetail};
use crate::pages::case_forms::{EntryForm, EntryKind, TriageForm};
use crate::pages::followup::problem_text;

/// What the page shows and how it reloads; shared with the forms.
#[derive(Clone, Copy)]
pub struct Case {
    pub id: StoredValue<String>,
    pub detail: RwSignal<Option<ReportDetail>>,
    pub problem: RwSignal<Option<String>>,
    /// Set on a 401; the page then goes to the sign-in page.
    pub signed_out: RwSignal<bool>,
    pub t: &'static Texts,
}

impl Case {
    /// Fetches the report again (after a note or a message) and shows it.
    pub fn reload(self) {
        spawn_local(async move {
            match api::report(&self.id.get_value()).await {
                Ok(d) => self.detail.set(Some(d)),
                Err(e) => self.fail(&e),
            }
        });
    }

    /// Handles an answer that is not about a field: sign-in, or a message at the top.
    pub fn fail(self, e: &ApiError) {
        if *e == ApiError::Unauthorized {
            self.signed_out.set(true);
        } else {
            self.problem.set(Some(problem_text(self.t, e)));
        }
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.case_title, t.app_name);
    let params = use_params_map();
    let navigate = use_navigate();
    let case = Case {
        id: StoredValue::new(params.with_untracked(|p| p.get("id").unwrap_or_default())),
        detail: RwSignal::new(None),
        problem: RwSignal::new(None),
        signed_out: RwSignal::new(false),
        t,
    };
    Effect::new(move |_| {
        if case.signed_out.get() {
            navigate("/samordnare/logga-in", NavigateOptions { replace: true, ..Default::default() });
        }
    });
    case.reload();
    let loaded = move || case.detail.with(Option::is_some);

    view! {
        <p>
            <A href="/samordnare/inkorg">{t.case_back}</A>
        </p>
        <h1>{t.case_title}</h1>
        {move || case.problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        <Show
            when=loaded
            fallback=move || {
                case.problem.with(Option::is_none).then(|| view! { <p role="status">{t.loading}</p> })
            }
        >
            <section aria-labelledby="case-details">
                <h2 id="case-details">{t.case_details}</h2>
                {move || case.detail.get().map(|d| details(t, lang, &d))}
            </section>
            <TriageForm case />
            <section aria-labelledby="case-timeline">
                <h2 id="case-timeline">{t.case_timeline}</h2>
                {move || case.detail.get().map(|d| timeline(t, lang, &d.events))}
            </section>
            <EntryForm case kind=EntryKind::Message />
            <EntryForm case kind=EntryKind::Note />
        </Show>
    }
}

/// The yes-flags of a group as a comma-separated list, or "Inga".
fn flags(t: &Texts, on: &[(bool, &'static str)]) -> String {
    let names: Vec<&str> = on.iter().filter(|(set, _)| *set).map(|(_, name)| *name).collect();
    if names.is_empty() { t.case_none.to_owned() } else { names.join(", ") }
}

fn details(t: &'static Texts, lang: Lang, d: &ReportDetail) -> impl IntoView + use<> {
    let opt = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let name = match d.identity.parse::<IdentityChoice>() {
        Ok(IdentityChoice::Anonymous) => Some(t.case_anonymous.to_owned()),
        _ => opt(&d.reporter_name),
    };
    let rows: Vec<(&'static str, Option<String>)> = vec![
        (t.col_received, Some(browser::format_datetime(lang.tag(), &d.received_at))),
        (t.label_occurred_at, Some(browser::format_datetime(lang.tag(), &d.occurred_at))),
        (t.label_kind, Some(label_or_raw::<IncidentKind>(&d.kind, |v| t.kind(v)))),
        (t.label_channel, Some(label_or_raw::<Channel>(&d.channel, |v| t.channel(v)))),
        (t.label_location, opt(&d.location)),
        (t.label_description, Some(d.description.clone())),
        (t.label_perpetrator, d.perpetrator.as_deref().map(|p| label_or_raw::<Perpetrator>(p, |v| t.perpetrator(v)))),
        (t.label_perpetrator_description, opt(&d.perpetrator_description)),
        (t.label_witnesses, opt(&d.witnesses)),
        (
            t.case_consequences,
            Some(flags(
                t,
                &[
                    (d.injury, t.label_injury),
                    (d.damage, t.label_damage),
                    (d.sick_leave, t.label_sick_leave),
                    (d.police_reported, t.label_police_reported),
                ],
            )),
        ),
        (t.label_police_case_number, opt(&d.police_case_number)),
        (t.label_role, Some(label_or_raw::<Role>(&d.role, |v| t.role(v)))),
        (t.label_phase, d.phase.as_deref().map(|p| label_or_raw::<Phase>(p, |v| t.phase(v)))),
        (t.label_unit, opt(&d.unit)),
        (t.label_identity, Some(label_or_raw::<IdentityChoice>(&d.identity, |v| t.identity_short(v)))),
        (t.label_reporter_name, name),
        (t.label_reporter_phone, opt(&d.reporter_phone)),
        (t.label_reporter_email, opt(&d.reporter_email)),
        (
            t.case_help,
            Some(flags(
                t,
                &[
                    (d.help_call_me, t.label_help_call_me),
                    (d.help_support, t.label_help_support),
                    (d.help_police, t.label_help_police),
                ],
            )),
        ),
        (t.label_status, Some(label_or_raw::<Status>(&d.status, |v| t.status(v)))),
        (
            t.label_severity,
            Some(
                d.severity
                    .as_deref()
                    .map_or_else(|| t.severity_unset.to_owned(), |s| label_or_raw::<Severity>(s, |v| t.severity(v))),
            ),
        ),
        (t.label_closed_reason, opt(&d.closed_reason)),
    ];
    let items = rows
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| view! { <dt>{label}</dt> <dd>{v}</dd> }))
        .collect_view();
    view! { <dl class="details" data-testid="case-details">{items}</dl> }
}

/// What one timeline entry says happened.
fn event_text(t: &Texts, e: &CaseEvent) -> (String, Option<String>) {
    let body = e.body.clone().unwrap_or_default();
    match e.kind.as_str() {
        "status" => (fill(t.event_status, label_or_raw::<Status>(&body, |v| t.status(v))), e.detail.clone()),
        "severity" => (fill(t.event_severity, label_or_raw::<Severity>(&body, |v| t.severity(v))), None),
        "assignee" => (t.event_assignee.to_owned(), None),
        "note" => (t.event_note.to_owned(), Some(body)),
        "message" => (t.event_message.to_owned(), Some(body)),
        other => (other.to_owned(), e.body.clone()),
    }
}

fn timeline(t: &'static Texts, lang: Lang, events: &[CaseEvent]) -> impl IntoView + use<> {
    if events.is_empty() {
        return view! { <p>{t.case_timeline_empty}</p> }.into_any();
    }
    let items = events
        .iter()
        .map(|e| {
            let who = if e.actor == "reporter" {
                t.case_reporter.to_owned()
            } else {
                e.author.clone().unwrap_or_else(|| t.case_coordinator.to_owned())
            };
            let (what, text) = event_text(t, e);
            view! {
                <li class="event" class:event--note=e.kind == "note" data-testid="case-event">
                    <p class="event__meta">
                        <strong>{who}</strong>
                        " · "
                        {browser::format_datetime(lang.tag(), &e.at)}
                        " · "
                        {what}
                    </p>
                    {text.map(|b| view! { <p class="event__body">{b}</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_entries_are_translated() {
        let t = Lang::Sv.texts();
        let e = CaseEvent {
            at: "x".into(),
            actor: "coordinator".into(),
            author: None,
            kind: "status".into(),
            body: Some("closed".into()),
            detail: Some("Klart".into()),
        };
        assert_eq!(event_text(t, &e), ("Ändrade status till Avslutad".into(), Some("Klart".into())));
        assert_eq!(flags(t, &[(false, "a")]), "Inga");
        assert_eq!(flags(t, &[(true, "a"), (true, "b")]), "a, b");
    }
}
