//! A report's "Efter händelsen" section on the case page (issue 18): its support tasks (mark
//! done, open again; the form to add one is [`task_form`]), the work-environment notice (whether
//! it qualifies by the domain's rule, when it is due, marking it sent), the police case number
//! and the address choice, and the link to the printable summary for the police. What was typed
//! stays on an error; field errors show next to their field; 409 `version_conflict` reloads the newer state.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::after::{after_of, change_after, change_task, tasks_of};
use crate::api::flags::Sent;
use crate::api::{ApiError, RowError};
use crate::i18n::after::{AfterTexts, use_after_texts};
use crate::i18n::{use_lang, use_texts};
use crate::pages::shell::error_text;
use trygg_wire::after::{AfterChange, ReportAfter, SupportTask, TaskChange, WorkEnvReason};

pub mod overdue;
pub mod task_form;

/// The message of a field error, if `name` has one.
pub fn field_error(a: &'static AfterTexts, errors: &[RowError], name: &str) -> Option<&'static str> {
    errors.iter().find(|e| e.field == name).map(|e| a.error(&e.code))
}

fn reason_text(a: &AfterTexts, r: WorkEnvReason) -> &'static str {
    match r {
        WorkEnvReason::Injury => a.reason_injury,
        WorkEnvReason::Violence => a.reason_violence,
        WorkEnvReason::SickLeave => a.reason_sick_leave,
        WorkEnvReason::CriticalSeverity => a.reason_critical,
    }
}

/// A notice for an error answer: a save someone else's overtook says so, others as usual.
fn said(t: &'static crate::i18n::Texts, a: &AfterTexts, e: &ApiError) -> String {
    if e.is_version_conflict() { a.stale.to_owned() } else { error_text(t, e) }
}

#[component]
pub fn AfterSection(report_id: String) -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    let lang = use_lang();
    let id = StoredValue::new(report_id);
    let reload = RwSignal::new(0u32);
    let tasks = LocalResource::new(move || {
        reload.track();
        let id = id.get_value();
        async move { tasks_of(&id).await }
    });
    let after = LocalResource::new(move || {
        reload.track();
        let id = id.get_value();
        async move { after_of(&id).await }
    });
    let notice = RwSignal::new(None::<String>);
    let bump = move || reload.update(|n| *n += 1);
    let toggle = Action::new_local(move |(tid, version, done): &(String, i64, bool)| {
        let (tid, c) = (tid.clone(), TaskChange { version: *version, done: Some(*done), ..TaskChange::default() });
        async move {
            match change_task(&tid, &c).await {
                Ok(_) => notice.set(Some(a.saved.to_owned())),
                Err(e) => notice.set(Some(said(t, a, &e))),
            }
            bump();
        }
    });
    let task_row = move |task: SupportTask| {
        let (tid, version, is_done) = (task.id.clone(), task.version, task.done_at.is_some());
        let due = format!("{}: {}", a.due_on, task.due_on);
        view! {
            <li class="task" data-testid="task" class:task--overdue=task.overdue>
                <p>
                    <strong>{a.kind(task.kind)}</strong>
                    " · "
                    {due}
                    " · "
                    {format!("{}: {}", a.owner, task.owner_name)}
                    {task.overdue.then(|| view! { " · " <span class="badge badge--waiting">{a.overdue}</span> })}
                    {is_done.then(|| view! { " · " <span class="badge" data-testid="task-done">{a.done}</span> })}
                </p>
                {(!task.next_step.is_empty()).then(|| view! { <p>{format!("{}: {}", a.next_step, task.next_step)}</p> })}
                {(!task.note.is_empty()).then(|| view! { <p class="task__note">{format!("{}: {}", a.note, task.note)}</p> })}
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        toggle.dispatch((tid.clone(), version, !is_done));
                    }
                >
                    {if is_done { a.reopen } else { a.mark_done }}
                </button>
            </li>
        }
    };
    view! {
        <section aria-labelledby="case-after" data-testid="after-section">
            <h2 id="case-after">{a.section}</h2>
            {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <h3>{a.tasks_heading}</h3>
            {move || match tasks.get() {
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p>{a.no_tasks}</p> }.into_any(),
                Some(Ok(list)) => view! { <ul class="tasks">{list.into_iter().map(task_row).collect_view()}</ul> }.into_any(),
                Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            }}
            <task_form::TaskForm report_id=id.get_value() on_done=bump />
            {move || after.get().and_then(Result::ok).map(|r| view! { <AfterForms report_id=id.get_value() after=r on_done=bump lang notice /> })}
        </section>
    }
}

/// The work-environment notice and the police part, over the state `after`.
#[component]
fn AfterForms(
    report_id: String,
    after: ReportAfter,
    on_done: impl Fn() + Copy + 'static,
    lang: crate::i18n::Lang,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    let k = RwSignal::new(after.police_case_number.clone().unwrap_or_default());
    let hide = RwSignal::new(after.hide_address);
    let errors = RwSignal::new(Vec::<RowError>::new());
    let problem = RwSignal::new(None::<String>);
    let report = StoredValue::new(report_id.clone());
    let version = after.version;
    let save = Action::new_local(move |c: &AfterChange| {
        let (report, c) = (report.get_value(), c.clone());
        async move {
            match change_after(&report, &c).await {
                Ok(Sent::Done(_)) => {
                    errors.set(vec![]);
                    problem.set(None);
                    notice.set(Some(a.saved.to_owned()));
                    on_done();
                }
                Ok(Sent::Refused(e)) => {
                    notice.set(None);
                    errors.set(e);
                }
                Err(e) => {
                    problem.set(Some(said(t, a, &e)));
                    if e.is_version_conflict() {
                        on_done();
                    }
                }
            }
        }
    });
    let w = after.work_env.clone();
    let reasons: Vec<&str> = w.reasons.iter().map(|r| reason_text(a, *r)).collect();
    let k_error = move || errors.with(|e| field_error(a, e, "police_case_number"));
    let sent = w.sent_at.clone();
    let work_env = view! {
        <h3>{a.work_env_heading}</h3>
        <p data-testid="work-env">
            {if w.qualifies { format!("{} ({})", a.work_env_qualifies, reasons.join(", ")) } else { a.work_env_not.to_owned() }}
        </p>
        {w.due_by.clone().filter(|_| sent.is_none()).map(|d| view! { <p>{format!("{}: {}", a.work_env_due, crate::browser::format_datetime(lang.tag(), &d))}</p> })}
        {sent.clone().map(|s| view! { <p data-testid="work-env-sent">{format!("{}: {} ({})", a.work_env_sent, crate::browser::format_datetime(lang.tag(), &s), w.sent_by.clone().unwrap_or_default())}</p> })}
        {(w.qualifies && sent.is_none()).then(|| view! {
            <button type="button" class="button" on:click=move |_| {
                save.dispatch(AfterChange { version, work_env_sent: Some(true), ..AfterChange::default() });
            }>{a.work_env_mark_sent}</button>
        })}
    };
    view! {
        {work_env}
        <h3>{a.police_heading}</h3>
        <form on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(AfterChange {
                version,
                police_case_number: Some(k.get_untracked()),
                hide_address: Some(hide.get_untracked()),
                ..AfterChange::default()
            });
        }>
            <div class="field">
                <label for="after-k-number">{a.k_number}</label>
                <p class="field__hint" id="after-k-number-hint">{a.k_number_hint}</p>
                <input
                    id="after-k-number"
                    name="police_case_number"
                    type="text"
                    autocomplete="off"
                    aria-describedby="after-k-number-hint after-k-number-error"
                    aria-invalid=move || k_error().is_some().to_string()
                    prop:value=move || k.get()
                    on:input=move |ev| k.set(event_target_value(&ev))
                />
                <p class="field__error" id="after-k-number-error">{k_error}</p>
            </div>
            <div class="field field--check">
                <input
                    id="after-hide-address"
                    type="checkbox"
                    prop:checked=move || hide.get()
                    on:change=move |ev| hide.set(event_target_checked(&ev))
                />
                <label for="after-hide-address">{a.hide_address}</label>
            </div>
            <button type="submit" class="button">{a.save}</button>
        </form>
        {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        <p>
            <A href=crate::pages::police_summary::summary_path(&report_id)>{a.summary_link}</A>
        </p>
    }
}
