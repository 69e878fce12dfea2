//! The checklists for administrators (`/samordnare/admin/checklistor`): one situation (reporter
//! role × phase) at a time, its steps in both languages; add, edit, move and remove, with a
//! preview of the list as the reporter sees it. A step keeps its id through edits and moves, so
//! a reporter's ticks (kept on the device by step id) survive changes to other steps.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{Field, FieldError, Phase, StepInput};

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::form_field::FormField;
use crate::i18n::admin::use_admin_texts;
use crate::i18n::{use_lang, use_texts};
use crate::model::{AdminChecklist, AdminChecklists, AdminStep, StepBody, StepOrder};
use crate::pages::admin_content_nav::{AdminNav, Status, control_id, error_of};
use crate::pages::shell::use_sign_in_redirect;

#[derive(Clone)]
enum Job {
    Remove(i64, i64),
    Order(StepOrder),
}

#[component]
pub fn AdminChecklistsPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let lang = use_lang();
    browser::set_title(a.checklists_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let data = RwSignal::new(None::<AdminChecklists>);
    let status = Status::new();
    // The situation shown, as `role/phase`.
    let chosen = RwSignal::new("healthcare/during".to_owned());
    // The form: None closed; Some(None) a new step; Some(Some(id)) that step.
    let editing = RwSignal::new(None::<Option<i64>>);
    let version = RwSignal::new(0i64);
    let text_sv = RwSignal::new(String::new());
    let text_en = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());

    let load = Action::new_local(move |_: &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match api::admin_checklists().await {
                Ok(d) => {
                    if let Some(Some(id)) = editing.get_untracked()
                        && let Some(s) = d.checklists.iter().flat_map(|c| &c.steps).find(|s| s.id == id)
                    {
                        version.set(s.version);
                    }
                    data.set(Some(d));
                }
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(e) => status.fail(t, &e),
            }
        }
    });
    load.dispatch(());
    let current = Memo::new(move |_| {
        let key = chosen.get();
        data.with(|d| {
            d.as_ref().and_then(|d| d.checklists.iter().find(|c| format!("{}/{}", c.role, c.phase) == key).cloned())
        })
    });

    let save = Action::new_local(move |body: &StepBody| {
        let body = body.clone();
        async move {
            match api::save_step(editing.get_untracked().flatten(), &body).await {
                Ok(_) => {
                    editing.set(None);
                    status.done(a.saved);
                    load.dispatch(());
                }
                Err(ApiError::Validation(fields)) => {
                    if let Some(first) = fields.first() {
                        browser::focus_by_id(control_id(first.field));
                    }
                    errors.set(fields);
                }
                Err(e) if e.is_version_conflict() => {
                    status.done(a.conflict);
                    load.dispatch(());
                }
                Err(e) => status.fail(t, &e),
            }
        }
    });
    let change = Action::new_local(move |job: &Job| {
        let job = job.clone();
        async move {
            let result = match job {
                Job::Remove(id, v) => api::remove_step(id, v).await.map(|()| a.removed),
                Job::Order(order) => api::order_steps(&order).await.map(|_| a.saved),
            };
            match result {
                Ok(text) => status.done(text),
                Err(e) if e.is_version_conflict() => status.done(a.conflict),
                Err(e) => status.fail(t, &e),
            }
            load.dispatch(());
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (sv, en) = (text_sv.get_untracked(), text_en.get_untracked());
        if let Err(found) = StepInput::parse(&sv, &en) {
            if let Some(first) = found.first() {
                browser::focus_by_id(control_id(first.field));
            }
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let (role, phase) =
            chosen.with_untracked(|c| c.split_once('/').map(|(r, p)| (r.to_owned(), p.to_owned())).unwrap_or_default());
        save.dispatch(StepBody { role, phase, text_sv: sv, text_en: en, version: version.get_untracked() });
    };
    let open = move |step: Option<&AdminStep>| {
        editing.set(Some(step.map(|s| s.id)));
        version.set(step.map_or(0, |s| s.version));
        text_sv.set(step.map(|s| s.text.sv.clone()).unwrap_or_default());
        text_en.set(step.map(|s| s.text.en.clone()).unwrap_or_default());
        errors.set(Vec::new());
        request_animation_frame(|| browser::focus_by_id("admin-text_sv"));
    };
    let situations = move || {
        data.with(|d| {
            d.iter()
                .flat_map(|d| {
                    d.checklists.iter().map(|c| {
                        let role = d
                            .roles
                            .iter()
                            .find(|r| r.role == c.role)
                            .map_or(c.role.clone(), |r| lang.pick(&r.name.sv, &r.name.en).to_owned());
                        let phase = c.phase.parse::<Phase>().map_or(c.phase.clone(), |p| t.phase(p).to_owned());
                        (format!("{}/{}", c.role, c.phase), format!("{role} – {phase}"))
                    })
                })
                .collect::<Vec<_>>()
        })
    };

    view! {
        <AdminNav />
        <h1>{a.checklists_title}</h1>
        <p>{a.checklists_intro}</p>
        {status.view()}
        <div class="field">
            <label for="admin-situation">{a.situation_label}</label>
            <select id="admin-situation" prop:value=move || chosen.get()
                on:change=move |ev| { chosen.set(event_target_value(&ev)); editing.set(None); }>
                {move || situations().into_iter().map(|(value, label)| {
                    let v = value.clone();
                    view! { <option value=value selected=move || chosen.with(|c| *c == v)>{label}</option> }
                }).collect_view()}
            </select>
        </div>
        <Show when=move || editing.get().is_none()>
            <p><button type="button" class="button button--primary" on:click=move |_| open(None)>{a.step_add}</button></p>
        </Show>
        <Show when=move || editing.get().is_some()>
            <form class="admin-form" novalidate on:submit=submit>
                <fieldset>
                    <legend>{move || if editing.get().flatten().is_some() { a.step_edit } else { a.step_new }}</legend>
                    <FormField id="admin-text_sv" label=t.field_label(Field::TextSv) error=error_of(errors, Field::TextSv)>
                        <textarea id="admin-text_sv" name="text_sv" rows=3 prop:value=move || text_sv.get()
                            on:input=move |ev| text_sv.set(event_target_value(&ev))></textarea>
                    </FormField>
                    <FormField id="admin-text_en" label=t.field_label(Field::TextEn) hint=a.hint_english error=error_of(errors, Field::TextEn)>
                        <textarea id="admin-text_en" name="text_en" rows=3 prop:value=move || text_en.get()
                            on:input=move |ev| text_en.set(event_target_value(&ev))></textarea>
                    </FormField>
                </fieldset>
                <div class="admin-form__actions">
                    <button type="submit" class="button button--primary">{a.save}</button>
                    <button type="button" class="button" on:click=move |_| editing.set(None)>{a.cancel}</button>
                </div>
            </form>
        </Show>
        {move || match current.get() {
            None if data.with(Option::is_none) => view! { <p role="status">{a.loading}</p> }.into_any(),
            None => ().into_any(),
            Some(list) => steps_view(list, move |s| open(Some(&s)), move |job| { change.dispatch(job); }).into_any(),
        }}
    }
}

fn steps_view(
    list: AdminChecklist,
    edit: impl Fn(AdminStep) + Copy + 'static,
    change: impl Fn(Job) + Copy + 'static,
) -> impl IntoView {
    let a = use_admin_texts();
    let t = use_texts();
    let lang = use_lang();
    if list.steps.is_empty() {
        return view! { <p>{a.steps_empty}</p> }.into_any();
    }
    let ids: Vec<i64> = list.steps.iter().map(|s| s.id).collect();
    let order = move |ids: Vec<i64>| Job::Order(StepOrder { role: list.role.clone(), phase: list.phase.clone(), ids });
    let preview =
        list.steps.iter().map(|s| view! { <li>{lang.pick(&s.text.sv, &s.text.en).to_owned()}</li> }).collect_view();
    let rows = list
        .steps
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, s)| {
            let swap = |j: Option<usize>| j.filter(|j| *j < ids.len()).map(|j| { let mut v = ids.clone(); v.swap(i, j); v });
            let (up, down) = (swap(i.checked_sub(1)), swap(Some(i + 1)));
            let (up, down) = (up.map(&order), down.map(&order));
            let name = lang.pick(&s.text.sv, &s.text.en).to_owned();
            let (id, v) = (s.id, s.version);
            view! {
                <li class="admin-item" data-testid="admin-step">
                    <p lang="sv">{s.text.sv.clone()}</p>
                    <p lang="en" class="hint">{s.text.en.clone()}</p>
                    <div class="admin-item__actions">
                        <button type="button" class="button" aria-label=format!("{} – {name}", a.edit) on:click={ let s = s.clone(); move |_| edit(s.clone()) }>{a.edit}</button>
                        {up.map(|job| view! { <button type="button" class="button" aria-label=format!("{} – {name}", a.move_up) on:click=move |_| change(job.clone())>"↑ " {a.move_up}</button> })}
                        {down.map(|job| view! { <button type="button" class="button" aria-label=format!("{} – {name}", a.move_down) on:click=move |_| change(job.clone())>"↓ " {a.move_down}</button> })}
                        <button type="button" class="button" aria-label=format!("{} – {name}", a.remove) on:click=move |_| change(Job::Remove(id, v))>{a.remove}</button>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="admin-list">{rows}</ol>
        <section class="admin-preview" aria-labelledby="admin-preview-heading">
            <h2 id="admin-preview-heading">{a.preview_heading}</h2>
            <p class="hint">{t.checklist_hint}</p>
            <ol class="checklist" data-testid="admin-preview">{preview}</ol>
        </section>
    }
    .into_any()
}
