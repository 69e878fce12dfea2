//! The page for an address the app does not know.

use leptos::prelude::*;

use crate::i18n::use_start_texts;
use crate::nav::Link;

/// `external`: the link back to the start page leaves this app (the coordinator app's not-found).
#[component]
pub fn NotFoundPage(#[prop(optional)] external: bool) -> impl IntoView {
    let t = use_start_texts();
    crate::browser::set_title(t.not_found_title, t.app_name);
    view! {
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_body}</p>
        <p>
            {if external {
                view! { <a href="/" rel="external">{t.back_to_start}</a> }.into_any()
            } else {
                view! { <Link href="/">{t.back_to_start}</Link> }.into_any()
            }}
        </p>
    }
}
