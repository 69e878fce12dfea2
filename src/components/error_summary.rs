//! The error summary at the top of a form: a titled alert listing each error as a link that
//! moves focus to its field (showing the field's step first, in a form in steps).

use leptos::prelude::*;
use trygg_domain::FieldError;

use crate::browser;
use crate::i18n::use_texts;

/// The id the page focuses after a failed send.
pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// `on_follow`, when given, is called instead of focusing the field in place (a form in steps
/// first shows the field's step).
#[component]
pub fn ErrorSummary(
    errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] on_follow: Option<Callback<FieldError>>,
) -> impl IntoView {
    let t = use_texts();
    let items = move || {
        errors
            .get()
            .into_iter()
            .map(|e| {
                let id = e.field.as_str();
                view! {
                    <li>
                        <a
                            href=format!("#{id}")
                            on:click=move |ev| {
                                ev.prevent_default();
                                match on_follow {
                                    Some(follow) => follow.run(e),
                                    None => browser::focus_field(id),
                                }
                            }
                        >
                            {t.summary_error(e)}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || errors.with(|e| !e.is_empty())>
            <div
                id=ERROR_SUMMARY_ID
                class="error-summary"
                role="alert"
                tabindex="-1"
                aria-labelledby="error-summary-title"
            >
                <h2 id="error-summary-title">{t.error_summary_title}</h2>
                <ul>{items}</ul>
            </div>
        </Show>
    }
}
