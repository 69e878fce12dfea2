//! Coordinator sign-in: e-mail and password, then on to the inbox.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{fill, use_texts};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    browser::set_title(t.login_title, t.app_name);
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);

    let login = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        let navigate = navigate.clone();
        async move {
            match api::login(&email, &password).await {
                Ok(_) => navigate("/samordnare/inkorg", Default::default()),
                Err(ApiError::Unauthorized) => problem.set(Some(t.login_failed.to_owned())),
                Err(ApiError::Network) => problem.set(Some(t.network_error.to_owned())),
                Err(e) => problem.set(Some(fill(t.server_error, e.code()))),
            }
        }
    });
    let pending = login.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        problem.set(None);
        login.dispatch((email.get_untracked(), password.get_untracked()));
    };

    view! {
        <h1>{t.login_title}</h1>
        <form class="login-form" novalidate on:submit=on_submit>
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <div class="field">
                <label for="email">{t.label_email}</label>
                <input type="email" id="email" name="email" autocomplete="username" bind:value=email />
            </div>
            <div class="field">
                <label for="password">{t.label_password}</label>
                <input type="password" id="password" name="password" autocomplete="current-password" bind:value=password />
            </div>
            <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { t.logging_in } else { t.login_button }}
            </button>
        </form>
    }
}
