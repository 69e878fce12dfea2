//! A button for an action that runs a while (a request): while `pending`, it says so to assistive
//! technology (`aria-disabled`) and a second press does nothing; it stays focusable, so focus is
//! not lost while it waits.

use leptos::prelude::*;

#[component]
pub fn BusyButton(
    #[prop(into)] pending: Signal<bool>,
    press: Callback<()>,
    #[prop(default = "button")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=class
            aria-disabled=move || pending.get().then_some("true")
            on:click=move |_| {
                if !pending.get_untracked() {
                    press.run(());
                }
            }
        >
            {children()}
        </button>
    }
}
