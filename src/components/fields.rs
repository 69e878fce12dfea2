//! Labelled form controls bound to the report form. Each control's id and name is the draft's
//! JSON field name, its error is `<p id="<field>-error">`, and it is described by hint and error.

use leptos::prelude::*;
use trygg_domain::{Field, FieldError};

use crate::browser;
use crate::form::{Flag, limit, remaining};
use crate::i18n::{fill, use_texts};
use crate::pages::report::form_state::ReportForm;

/// The ids that describe a control, space-separated: hint, character count, error.
fn described_by(id: &str, hint: bool, count: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (count, "count"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, suffix)| format!("{id}-{suffix}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A label, with "(valfritt)" for optional fields.
#[component]
fn LabelText(text: &'static str, #[prop(optional)] optional: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        {text}
        {optional.then(|| view! { <span class="optional">" " {t.optional}</span> })}
    }
}

#[component]
fn Hint(id: &'static str, text: Option<&'static str>) -> impl IntoView {
    text.map(|text| view! { <p id=format!("{id}-hint") class="hint">{text}</p> })
}

/// The inline error under a field's label.
#[component]
pub fn ErrorText(id: &'static str, error: Signal<Option<FieldError>>) -> impl IntoView {
    let t = use_texts();
    move || error.get().map(|e| view! { <p id=format!("{id}-error") class="field-error">{t.field_error(e)}</p> })
}

/// A one-line text input (`kind` is the input type: text, tel, email).
#[component]
pub fn TextInput(
    form: ReportForm,
    field: Field,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] optional: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let t = use_texts();
    let id = field.as_str();
    let value = form.text(field);
    let error: Signal<Option<FieldError>> = form.error(field).into();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id>
                <LabelText text=t.field_label(field) optional />
            </label>
            <Hint id text=hint />
            <ErrorText id error />
            <input
                type=kind
                id=id
                name=id
                autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| form.set_text(field, event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || described_by(id, hint.is_some(), false, error.get().is_some())
            />
        </div>
    }
}

/// A multi-line text field; `counter` shows how many characters are left of the field's limit.
#[component]
pub fn TextArea(
    form: ReportForm,
    field: Field,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] counter: bool,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let t = use_texts();
    let id = field.as_str();
    let value = form.text(field);
    let error: Signal<Option<FieldError>> = form.error(field).into();
    let max = limit(field).unwrap_or(usize::MAX);
    let left = move || value.with(|v| remaining(v, max));
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id>
                <LabelText text=t.field_label(field) optional />
            </label>
            <Hint id text=hint />
            <ErrorText id error />
            <textarea
                id=id
                name=id
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| form.set_text(field, event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || described_by(id, hint.is_some(), counter, error.get().is_some())
            ></textarea>
            {counter
                .then(|| {
                    view! {
                        <p id=format!("{id}-count") class="char-count" class:char-count--over=move || left() < 0>
                            {move || {
                                let n = left();
                                if n >= 0 { fill(t.chars_left, n) } else { fill(t.chars_over, -n) }
                            }}
                        </p>
                    }
                })}
        </div>
    }
}

/// Date and time in local time; the draft keeps it as RFC 3339 UTC. The value is written once:
/// re-writing it while a person edits one part of the control would wipe the other parts.
#[component]
pub fn DateTimeInput(form: ReportForm, field: Field, #[prop(optional)] hint: Option<&'static str>) -> impl IntoView {
    let t = use_texts();
    let id = field.as_str();
    let initial = form.saved.with_untracked(|s| browser::rfc3339_to_local_input(crate::form::text(&s.draft, field)));
    let error: Signal<Option<FieldError>> = form.error(field).into();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id>{t.field_label(field)}</label>
            <Hint id text=hint />
            <ErrorText id error />
            <input
                type="datetime-local"
                id=id
                name=id
                prop:value=initial
                on:input=move |ev| form.set_text(field, browser::local_input_to_rfc3339(&event_target_value(&ev)))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || described_by(id, hint.is_some(), false, error.get().is_some())
            />
        </div>
    }
}

/// Radio buttons in a fieldset. The fieldset's id is the field name (error links point at it
/// and focus its chosen or first radio); each radio's id is `<field>-<value>`.
#[component]
pub fn RadioGroup(
    form: ReportForm,
    field: Field,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let t = use_texts();
    let id = field.as_str();
    let value = form.text(field);
    let error: Signal<Option<FieldError>> = form.error(field).into();
    let radios = options
        .into_iter()
        .map(|(option, label)| {
            let radio_id = format!("{id}-{option}");
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=radio_id.clone()
                        name=id
                        value=option
                        prop:checked=move || value.with(|v| v == option)
                        on:change=move |_| form.set_text(field, option.to_owned())
                        aria-invalid=move || error.get().map(|_| "true")
                    />
                    <label for=radio_id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset
            id=id
            class="field choices"
            class:field--error=move || error.get().is_some()
            aria-describedby=move || described_by(id, hint.is_some(), false, error.get().is_some())
        >
            <legend>
                <LabelText text=t.field_label(field) optional />
            </legend>
            <Hint id text=hint />
            <ErrorText id error />
            {radios}
        </fieldset>
    }
}

/// A check box for one yes/no member of the draft.
#[component]
pub fn Checkbox(form: ReportForm, flag: Flag, #[prop(optional)] hint: Option<&'static str>) -> impl IntoView {
    let t = use_texts();
    let id = flag.as_str();
    let checked = form.flag(flag);
    let error: Signal<Option<FieldError>> = match flag.field() {
        Some(field) => form.error(field).into(),
        None => Signal::stored(None),
    };
    view! {
        <div class="check" class:field--error=move || error.get().is_some()>
            <ErrorText id error />
            <div class="choice">
                <input
                    type="checkbox"
                    id=id
                    name=id
                    prop:checked=move || checked.get()
                    on:change=move |ev| form.set_flag(flag, event_target_checked(&ev))
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=move || described_by(id, hint.is_some(), false, error.get().is_some())
                />
                <label for=id>{t.flag_label(flag)}</label>
            </div>
            <Hint id text=hint />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn a_control_is_described_by_hint_count_and_error_in_that_order() {
        assert_eq!(
            described_by("description", true, true, true).as_deref(),
            Some("description-hint description-count description-error")
        );
        assert_eq!(described_by("unit", false, false, false), None);
        assert_eq!(described_by("unit", false, false, true).as_deref(), Some("unit-error"));
    }
}
