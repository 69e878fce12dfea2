//! The forms on a coordinator's report page: triage (status, severity, closing reason,
//! assignee), an internal note, and a message to the reporter. Checked with the shared domain rules first;
//! the server's 422 lands in the same inline errors.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{Field, FieldError, Severity, Status, Triage, TriageDraft, parse_body};

use super::state::Case;
use crate::api::{self, ApiError};
use crate::browser;
use crate::components::form_field::FormField;
use crate::i18n::use_texts;

/// The error on `field` among `errors`, as a signal for [`FormField`].
fn error_of(errors: RwSignal<Vec<FieldError>>, field: Field) -> Signal<Option<FieldError>> {
    Signal::derive(move || errors.with(|all| all.iter().find(|e| e.field == field).copied()))
}

/// The ids of the triage form's controls.
const STATUS_ID: &str = "triage-status";
const SEVERITY_ID: &str = "triage-severity";
const REASON_ID: &str = "triage-closed_reason";
const ASSIGNEE_ID: &str = "triage-assignee";

fn control_id(field: Field) -> &'static str {
    match field {
        Field::Severity => SEVERITY_ID,
        Field::ClosedReason => REASON_ID,
        _ => STATUS_ID,
    }
}

#[component]
pub fn TriageForm(case: Case) -> impl IntoView {
    let t = use_texts();
    let current = case.detail.get_untracked();
    let status = RwSignal::new(current.as_ref().map(|d| d.status.clone()).unwrap_or_default());
    let severity = RwSignal::new(current.as_ref().and_then(|d| d.severity.clone()).unwrap_or_default());
    let reason = RwSignal::new(current.as_ref().and_then(|d| d.closed_reason.clone()).unwrap_or_default());
    // A coordinator's id, or "" for nobody.
    let assignee = RwSignal::new(current.as_ref().and_then(|d| d.assignee_id.clone()).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let closing = move || status.get() == Status::Closed.as_str();

    let save = Action::new_local(move |(draft, assignee): &(TriageDraft, String)| {
        let (draft, assignee) = (draft.clone(), assignee.clone());
        async move {
            match api::triage(&case.id.get_value(), &draft, Some(&assignee)).await {
                Ok(d) => {
                    case.detail.set(Some(d));
                    saved.set(true);
                }
                Err(ApiError::Validation(fields)) => {
                    if let Some(first) = fields.first() {
                        browser::focus_by_id(control_id(first.field));
                    }
                    errors.set(fields);
                }
                Err(e) => case.fail(&e),
            }
        }
    });
    let pending = save.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        let closing = status.get_untracked() == Status::Closed.as_str();
        let draft = TriageDraft {
            status: status.get_untracked(),
            severity: severity.get_untracked(),
            closed_reason: if closing { reason.get_untracked() } else { String::new() },
        };
        match Triage::parse(&draft) {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch((draft, assignee.get_untracked()));
            }
            Err(found) => {
                if let Some(first) = found.first() {
                    browser::focus_by_id(control_id(first.field));
                }
                errors.set(found);
            }
        }
    };
    let edited = move || {
        saved.set(false);
        errors.set(Vec::new());
    };

    let status_error = error_of(errors, Field::Status);
    let severity_error = error_of(errors, Field::Severity);
    let reason_error = error_of(errors, Field::ClosedReason);
    let status_options = Status::ALL.iter().map(|&s| option(status, s.as_str(), t.status(s))).collect_view();
    let severity_options = (
        option(severity, "", t.severity_unset),
        Severity::ALL.iter().map(|&s| option(severity, s.as_str(), t.severity(s))).collect_view(),
    );
    let assignee_options = move || {
        let people = case.colleagues.get().into_iter().map(|c| {
            let name = case.person(&c.id);
            option(assignee, c.id, name)
        });
        (option(assignee, "", t.assignee_nobody), people.collect_view())
    };

    view! {
        <form class="case-form" novalidate on:submit=submit>
            <fieldset>
                <legend>{t.case_triage}</legend>
                <FormField id=STATUS_ID label=t.label_status error=status_error>
                    {bound_select(STATUS_ID, "status", status, edited, status_options)}
                </FormField>
                <FormField id=SEVERITY_ID label=t.label_severity error=severity_error>
                    {bound_select(SEVERITY_ID, "severity", severity, edited, severity_options)}
                </FormField>
                <FormField id=ASSIGNEE_ID label=t.label_assignee>
                    {bound_select(ASSIGNEE_ID, "assignee", assignee, edited, assignee_options)}
                </FormField>
                <Show when=closing>
                    <FormField id=REASON_ID label=t.label_closed_reason hint=t.hint_closed_reason error=reason_error>
                        <input
                            type="text"
                            id=REASON_ID
                            name="closed_reason"
                            prop:value=move || reason.get()
                            on:input=move |ev| {
                                reason.set(event_target_value(&ev));
                                edited();
                            }
                        />
                    </FormField>
                </Show>
            </fieldset>
            <button type="submit" class="button button--primary">{t.case_save}</button>
            <p class="copy-status" role="status">{move || saved.get().then_some(t.case_saved)}</p>
        </form>
    }
}

/// An `<option>` of a select bound to `selected`, chosen while it holds `value`.
fn option(selected: RwSignal<String>, value: impl Into<String>, label: impl Into<String>) -> impl IntoView {
    let value = value.into();
    let chosen = {
        let value = value.clone();
        move || selected.with(|s| *s == value)
    };
    view! { <option value=value selected=chosen>{label.into()}</option> }
}

/// A `<select>` bound to `value`; `edited` runs after every change.
fn bound_select(
    id: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    edited: impl Fn() + Copy + Send + Sync + 'static,
    options: impl IntoView + 'static,
) -> impl IntoView {
    view! {
        <select
            id=id
            name=name
            prop:value=move || value.get()
            on:change=move |ev| {
                value.set(event_target_value(&ev));
                edited();
            }
        >
            {options}
        </select>
    }
}

/// An internal note or a message to the reporter.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Note,
    Message,
}

impl EntryKind {
    /// The path segment of the API call and the prefix of the form's ids.
    fn path(self) -> &'static str {
        match self {
            EntryKind::Note => "notes",
            EntryKind::Message => "messages",
        }
    }

    fn id(self) -> &'static str {
        match self {
            EntryKind::Note => "note-body",
            EntryKind::Message => "message-body",
        }
    }
}

#[component]
pub fn EntryForm(case: Case, kind: EntryKind) -> impl IntoView {
    let t = use_texts();
    let id = kind.id();
    let w = crate::i18n::desk::use_desk_texts();
    // The note's field is not labelled like the reply's: the two must never be confused.
    let (legend, button, label) = match kind {
        EntryKind::Note => (t.case_note_legend, t.case_note_send, w.note_body),
        EntryKind::Message => (t.case_message_legend, t.case_message_send, w.message_body),
    };
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FieldError>);
    let send = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move {
            match api::add_entry(&case.id.get_value(), kind.path(), &text).await {
                Ok(()) => {
                    body.set(String::new());
                    case.reload();
                }
                Err(ApiError::Validation(fields)) => {
                    error.set(fields.iter().find(|f| f.field == Field::Body).copied());
                    browser::focus_by_id(id);
                }
                Err(e) => case.fail(&e),
            }
        }
    });
    let pending = send.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        match parse_body(&body.get_untracked()) {
            Ok(text) => {
                error.set(None);
                send.dispatch(text.as_str().to_owned());
            }
            Err(found) => {
                error.set(found.first().copied());
                browser::focus_by_id(id);
            }
        }
    };

    view! {
        <form class="case-form" class:case-form--note=kind == EntryKind::Note novalidate on:submit=submit>
            <fieldset>
                <legend>{legend}</legend>
                <FormField id label error>
                    <textarea
                        id=id
                        name="body"
                        rows=4
                        prop:value=move || body.get()
                        on:input=move |ev| {
                            body.set(event_target_value(&ev));
                            error.set(None);
                        }
                    ></textarea>
                </FormField>
            </fieldset>
            <button type="submit" class="button button--primary">{button}</button>
            // Telling a reporter what their report led to: a template to fill in, never sent as is.
            {(kind == EntryKind::Message)
                .then(|| {
                    let n = crate::i18n::notices::notices_texts(crate::i18n::use_lang());
                    view! {
                        <button
                            type="button"
                            class="button"
                            data-testid="learned-template"
                            on:click=move |_| {
                                body.update(|b| {
                                    if !b.is_empty() {
                                        b.push_str("\n\n");
                                    }
                                    b.push_str(n.template_text);
                                });
                                browser::focus_by_id(id);
                            }
                        >
                            {n.template_button}
                        </button>
                    }
                })}
        </form>
    }
}
