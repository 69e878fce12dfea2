//! One labelled form field for the coordinator's forms: label, hint, inline error and the control
//! (given as children: a `<select>`, `<input>` or `<textarea>` with the field's `id`), which gets
//! `aria-invalid` and `aria-describedby` (hint, then error) from here, so every field is wired the
//! same way.

use leptos::attr::{aria_describedby, aria_invalid};
use leptos::prelude::*;
use trygg_domain::FieldError;

use crate::components::fields::ErrorText;

/// The ids that describe a field's control, space-separated: `<id>-hint`, then `<id>-error`.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| format!("{id}-{s}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// `<div class="field">` with the label for `id`, the hint, the error (`<id>-error`) and the
/// control, which must carry `id`.
#[component]
pub fn FormField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// The field's error, if any; `None` for a field that cannot be wrong.
    #[prop(optional, into)]
    error: Option<Signal<Option<FieldError>>>,
    children: Children,
) -> impl IntoView {
    let has_error = move || error.is_some_and(|e| e.with(Option::is_some));
    let control = children()
        .add_any_attr(aria_invalid(move || has_error().then_some("true")))
        .add_any_attr(aria_describedby(move || described_by(id, hint.is_some(), has_error())));
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p id=format!("{id}-hint") class="hint">{h}</p> })}
            {error.map(|error| view! { <ErrorText id error /> })}
            {control}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn a_control_is_described_by_its_hint_then_its_error() {
        assert_eq!(described_by("note-body", false, false), None);
        assert_eq!(described_by("note-body", false, true).as_deref(), Some("note-body-error"));
        assert_eq!(described_by("code", true, false).as_deref(), Some("code-hint"));
        assert_eq!(described_by("code", true, true).as_deref(), Some("code-hint code-error"));
    }
}
