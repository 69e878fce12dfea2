//! A coordinator's view of one report: every field, the timeline of changes, notes and
//! messages, and the forms to triage, note and answer (in [`forms`]); its state is [`state::Case`].

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trygg_domain::{Channel, IdentityChoice, IncidentKind, Perpetrator, Phase, Role, Severity, Status};

use crate::api;
use crate::browser;
use crate::i18n::{Lang, Texts, fill, label_or_raw, use_lang, use_texts};
use crate::model::{CaseEvent, ReportDetail};
mod forms;
pub mod state;

use crate::pages::shell::{CoordinatorBar, INBOX_PATH, current_user, use_sign_in_redirect};
use forms::{EntryForm, EntryKind, TriageForm};
use state::Case;

#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.case_title, t.app_name);
    let params = use_params_map();
    let to_sign_in = use_sign_in_redirect();
    let case = Case::new(params.with_untracked(|p| p.get("id").unwrap_or_default()), t);
    Effect::new(move |_| {
        if case.signed_out.get() {
            to_sign_in();
        }
    });
    case.reload();
    let load_team = Action::new_local(move |(): &()| async move {
        if let Ok(list) = api::coordinators().await {
            case.colleagues.set(list);
        }
        if let Ok(me) = current_user().await {
            case.me.set(me.id);
        }
    });
    load_team.dispatch(());
    let loaded = move || case.detail.with(Option::is_some);

    view! {
        <CoordinatorBar />
        <p>
            <A href=INBOX_PATH>{t.case_back}</A>
        </p>
        <h1>{t.case_title}</h1>
        {move || case.problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        <Show
            when=loaded
            fallback=move || {
                case.problem.with(Option::is_none).then(|| view! { <p role="status">{t.loading}</p> })
            }
        >
            // A desk: the report on the left, the work on it (triage, conversation, notes) on the
            // right, from a breakpoint (style/desk.css); one column on a phone, in this order.
            <div class="case-desk">
                <section class="case-desk__report" aria-labelledby="case-details">
                    <h2 id="case-details">{t.case_details}</h2>
                    {move || case.detail.get().map(|d| details(t, lang, &d, case))}
                </section>
                <div class="case-desk__work">
                    <TriageForm case />
                    <section aria-labelledby="case-timeline">
                        <h2 id="case-timeline">{t.case_timeline}</h2>
                        {move || case.detail.get().map(|d| timeline(t, lang, &d.events, case))}
                    </section>
                    <EntryForm case kind=EntryKind::Message />
                    <EntryForm case kind=EntryKind::Note />
                    <crate::pages::flags::FlagsSection report_id=params.with_untracked(|p| p.get("id").unwrap_or_default()) />
                    <crate::pages::after::AfterSection report_id=params.with_untracked(|p| p.get("id").unwrap_or_default()) />
                    <crate::pages::evidence::EvidenceSection report_id=params.with_untracked(|p| p.get("id").unwrap_or_default()) />
                </div>
            </div>
        </Show>
    }
}

/// The yes-flags of a group as a comma-separated list, or "Inga".
fn flags(t: &Texts, on: &[(bool, &'static str)]) -> String {
    let names: Vec<&str> = on.iter().filter(|(set, _)| *set).map(|(_, name)| *name).collect();
    if names.is_empty() { t.case_none.to_owned() } else { names.join(", ") }
}

/// Every field under the coordinator's words for it ([`crate::i18n::desk::DeskTexts`]: "Rapportörens roll", not the
/// form's "Din roll"); an anonymous report says so once, as its identity, and shows no name row.
fn details(t: &'static Texts, lang: Lang, d: &ReportDetail, case: Case) -> impl IntoView + use<> {
    let w = lang.desk_texts();
    let opt = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let name = match d.identity.parse::<IdentityChoice>() {
        Ok(IdentityChoice::Anonymous) => None,
        _ => opt(&d.reporter_name),
    };
    let rows: Vec<(&'static str, Option<String>)> = vec![
        (t.col_received, Some(browser::format_datetime(lang.tag(), &d.received_at))),
        (w.occurred_at, Some(browser::format_datetime(lang.tag(), &d.occurred_at))),
        (w.kind, Some(label_or_raw::<IncidentKind>(&d.kind, |v| t.kind(v)))),
        (w.channel, Some(label_or_raw::<Channel>(&d.channel, |v| t.channel(v)))),
        (w.location, opt(&d.location)),
        (w.description, Some(d.description.clone())),
        (w.perpetrator, d.perpetrator.as_deref().map(|p| label_or_raw::<Perpetrator>(p, |v| t.perpetrator(v)))),
        (w.perpetrator_description, opt(&d.perpetrator_description)),
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
        (w.role, Some(label_or_raw::<Role>(&d.role, |v| t.role(v)))),
        (w.phase, d.phase.as_deref().map(|p| label_or_raw::<Phase>(p, |v| t.phase(v)))),
        (w.unit, opt(&d.unit)),
        (w.identity, Some(label_or_raw::<IdentityChoice>(&d.identity, |v| t.identity_short(v)))),
        (w.reporter_name, name),
        (w.reporter_phone, opt(&d.reporter_phone)),
        (w.reporter_email, opt(&d.reporter_email)),
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
        (
            t.label_assignee,
            Some(d.assignee_id.as_deref().map_or_else(|| t.assignee_nobody.to_owned(), |id| case.person(id))),
        ),
    ];
    let items = rows
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| view! { <dt>{label}</dt> <dd>{v}</dd> }))
        .collect_view();
    view! { <dl class="details" data-testid="case-details">{items}</dl> }
}

/// What one timeline entry says happened; `person` names an assignee id.
fn event_text(t: &Texts, e: &CaseEvent, person: impl Fn(&str) -> String) -> (String, Option<String>) {
    let body = e.body.clone().unwrap_or_default();
    match e.kind.as_str() {
        "status" => (fill(t.event_status, label_or_raw::<Status>(&body, |v| t.status(v))), e.detail.clone()),
        "severity" => (fill(t.event_severity, label_or_raw::<Severity>(&body, |v| t.severity(v))), None),
        "assignee" if body.is_empty() => (t.event_unassigned.to_owned(), None),
        "assignee" => (fill(t.event_assigned, person(&body)), None),
        "note" => (t.event_note.to_owned(), Some(body)),
        "message" => (t.event_message.to_owned(), Some(body)),
        other => (other.to_owned(), e.body.clone()),
    }
}

fn timeline(t: &'static Texts, lang: Lang, events: &[CaseEvent], case: Case) -> impl IntoView + use<> {
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
            let (what, text) = event_text(t, e, |id| case.person(id));
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
            user_id: None,
            author: None,
            kind: "status".into(),
            body: Some("closed".into()),
            detail: Some("Klart".into()),
        };
        let person = |id: &str| format!("<{id}>");
        assert_eq!(event_text(t, &e, person), ("Ändrade status till Avslutad".into(), Some("Klart".into())));
        let assigned = CaseEvent { kind: "assignee".into(), body: Some("u1".into()), detail: None, ..e.clone() };
        assert_eq!(event_text(t, &assigned, person), ("Tilldelade <u1>".into(), None));
        let unassigned = CaseEvent { body: None, ..assigned };
        assert_eq!(event_text(t, &unassigned, person), ("Tog bort handläggaren".into(), None));
        assert_eq!(flags(t, &[(false, "a")]), "Inga");
        assert_eq!(flags(t, &[(true, "a"), (true, "b")]), "a, b");
    }
}
