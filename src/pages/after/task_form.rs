//! The form that adds a support task to a report: kind, due date, owner (a coordinator), an
//! internal note and the agreed next step the reporter will see. What was typed stays on an
//! error; each field error shows next to its field.

use leptos::prelude::*;

use super::field_error;
use crate::api::after::add_task;
use crate::api::flags::Sent;
use crate::api::{RowError, coordinators};
use crate::i18n::after::use_after_texts;
use crate::i18n::use_texts;
use crate::pages::shell::error_text;
use trygg_wire::after::{NewTask, TaskKind};

#[component]
pub fn TaskForm(report_id: String, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    let kind = RwSignal::new(TaskKind::CallBack.as_str().to_owned());
    let due_on = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let problem = RwSignal::new(None::<String>);
    let added = RwSignal::new(false);
    let people = LocalResource::new(coordinators);
    let report = StoredValue::new(report_id);
    let save = Action::new_local(move |n: &NewTask| {
        let (report, n) = (report.get_value(), n.clone());
        async move {
            added.set(false);
            match add_task(&report, &n).await {
                Ok(Sent::Done(_)) => {
                    errors.set(vec![]);
                    problem.set(None);
                    added.set(true);
                    note.set(String::new());
                    next_step.set(String::new());
                    on_done();
                }
                Ok(Sent::Refused(e)) => errors.set(e),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let err = move |name: &'static str| move || errors.with(|e| field_error(a, e, name));
    let described = |id: &str| format!("task-{id}-error");
    view! {
        <form
            class="task-form"
            data-testid="task-form"
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(NewTask {
                    kind: TaskKind::parse(&kind.get_untracked()).unwrap_or(TaskKind::Other),
                    due_on: due_on.get_untracked(),
                    owner_id: owner.get_untracked(),
                    note: note.get_untracked(),
                    next_step: next_step.get_untracked(),
                });
            }
        >
            <h3>{a.add_task}</h3>
            <div class="field">
                <label for="task-kind">{a.kind}</label>
                <select id="task-kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {TaskKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.as_str() selected=move || kind.get() == k.as_str()>{a.kind(k)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="task-due_on">{a.due_on}</label>
                <input
                    id="task-due_on"
                    name="due_on"
                    type="date"
                    aria-describedby=described("due_on")
                    aria-invalid=move || err("due_on")().is_some().to_string()
                    prop:value=move || due_on.get()
                    on:input=move |ev| due_on.set(event_target_value(&ev))
                />
                <p class="field__error" id=described("due_on")>{err("due_on")}</p>
            </div>
            <div class="field">
                <label for="task-owner_id">{a.owner}</label>
                <select
                    id="task-owner_id"
                    name="owner_id"
                    aria-describedby=described("owner_id")
                    aria-invalid=move || err("owner_id")().is_some().to_string()
                    on:change=move |ev| owner.set(event_target_value(&ev))
                >
                    <option value="">{a.choose_owner}</option>
                    {move || {
                        people
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|c| {
                                let id = c.id.clone();
                                view! { <option value=c.id.clone() selected=move || owner.get() == id>{c.display_name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <p class="field__error" id=described("owner_id")>{err("owner_id")}</p>
            </div>
            <div class="field">
                <label for="task-note">{a.note}</label>
                <p class="field__hint" id="task-note-hint">{a.note_hint}</p>
                <textarea
                    id="task-note"
                    name="note"
                    rows="2"
                    aria-describedby="task-note-hint task-note-error"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
                <p class="field__error" id="task-note-error">{err("note")}</p>
            </div>
            <div class="field">
                <label for="task-next_step">{a.next_step}</label>
                <p class="field__hint" id="task-next_step-hint">{a.next_step_hint}</p>
                <textarea
                    id="task-next_step"
                    name="next_step"
                    rows="2"
                    aria-describedby="task-next_step-hint task-next_step-error"
                    prop:value=move || next_step.get()
                    on:input=move |ev| next_step.set(event_target_value(&ev))
                ></textarea>
                <p class="field__error" id="task-next_step-error">{err("next_step")}</p>
            </div>
            <button type="submit" class="button">{a.add_task}</button>
            {move || added.get().then(|| view! { <p class="notice" role="status">{a.added}</p> })}
            {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        </form>
    }
}
