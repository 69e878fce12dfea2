//! The page for an address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_texts;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_texts();
    crate::browser::set_title(t.not_found_title, t.app_name);
    view! {
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_body}</p>
        <p><A href="/">{t.back_to_start}</A></p>
    }
}
