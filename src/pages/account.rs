//! The own account page (`/samordnare/konto`), for every signed-in account: change the password
//! (the current one and a current code from the app; every other session ends) and choose the
//! language of the app and of e-mails. Field errors show next to their field; what was typed
//! stays after an error (only the used code is cleared).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::accounts::{self, Failure};
use crate::browser;
use crate::i18n::accounts::use_account_texts;
use crate::i18n::{Lang, use_lang_signal, use_texts};
use crate::pages::admin::accounts::failure_text;
use crate::pages::shell::{CoordinatorBar, current_user, use_sign_in_redirect};
use crate::pages::two_factor::AuthField;
use crate::prefs;
use crate::storage::LocalStore;
use trygg_wire::accounts::{PASSWORD_MIN, PasswordChange};

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    browser::set_title(a.account_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let me = LocalResource::new(current_user);
    Effect::new(move |_| {
        if let Some(Err(e)) = me.get()
            && e.needs_sign_in()
        {
            to_sign_in();
        }
    });
    let totp_on = move || me.get().and_then(Result::ok).is_some_and(|m| m.totp_enabled);
    view! {
        <CoordinatorBar />
        <h1>{a.account_title}</h1>
        {move || me.get().and_then(Result::ok).map(|m| view! { <p>{format!("{} · {}", m.display_name, m.email)}</p> })}
        <PasswordForm totp_on=Signal::derive(totp_on) />
        <LangForm />
    }
}

#[component]
fn PasswordForm(totp_on: Signal<bool>) -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let old_error = RwSignal::new(None::<String>);
    let new_error = RwSignal::new(None::<String>);
    let code_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<Result<String, String>>);
    let send = Action::new_local(move |body: &PasswordChange| {
        let body = body.clone();
        async move {
            match accounts::change_password(&body).await {
                Ok(()) => {
                    old.set(String::new());
                    new.set(String::new());
                    code.set(String::new());
                    message.set(Some(Ok(a.password_changed.to_owned())));
                }
                Err(Failure::Fields(f)) => {
                    let on =
                        |field: &str| f.iter().find(|(x, _)| x == field).map(|(x, k)| a.field_error(x, k).to_owned());
                    old_error.set(on("old_password"));
                    new_error.set(on("new_password"));
                    code_error.set(on("code"));
                    code.set(String::new());
                    if let Some((first, _)) = f.first() {
                        browser::focus_by_id(match first.as_str() {
                            "old_password" => "old-password",
                            "new_password" => "new-password",
                            _ => "password-code",
                        });
                    }
                }
                Err(f) => message.set(Some(Err(failure_text(t, a, &f)))),
            }
        }
    });
    let pending = send.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        message.set(None);
        let body = PasswordChange {
            old_password: old.get_untracked(),
            new_password: new.get_untracked(),
            code: code.get_untracked(),
        };
        old_error.set(body.old_password.is_empty().then(|| a.err_required.to_owned()));
        new_error.set((body.new_password.chars().count() < PASSWORD_MIN).then(|| a.err_password_short.to_owned()));
        code_error.set((totp_on.get_untracked() && body.code.trim().is_empty()).then(|| a.err_code.to_owned()));
        let first = [(old_error, "old-password"), (new_error, "new-password"), (code_error, "password-code")]
            .into_iter()
            .find(|(e, _)| e.with_untracked(Option::is_some));
        match first {
            Some((_, id)) => browser::focus_by_id(id),
            None => {
                send.dispatch(body);
            }
        }
    };
    view! {
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">{a.password_heading}</h2>
            <form novalidate on:submit=on_submit>
                <AuthField id="old-password" label=a.label_old_password value=old error=old_error kind="password" autocomplete="current-password" />
                <AuthField id="new-password" label=a.label_new_password hint=a.new_password_hint value=new error=new_error kind="password" autocomplete="new-password" />
                <Show when=move || totp_on.get()>
                    <AuthField id="password-code" label=a.label_code value=code error=code_error autocomplete="one-time-code" inputmode="numeric" />
                </Show>
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {a.change_password}
                </button>
            </form>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn LangForm() -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    let lang = use_lang_signal();
    let chosen = RwSignal::new(lang.get_untracked());
    let problem = RwSignal::new(None::<String>);
    let send = Action::new_local(move |l: &Lang| {
        let l = *l;
        async move {
            match accounts::change_lang(l.code()).await {
                Ok(()) => {
                    prefs::save_lang(&LocalStore, l);
                    // The app re-renders in the chosen language.
                    lang.set(l);
                }
                Err(f) => problem.set(Some(failure_text(t, a, &f))),
            }
        }
    });
    let pending = send.pending();
    let option = move |l: Lang, label: &'static str| {
        let id = format!("lang-{}", l.code());
        view! {
            <div class="radio">
                <input type="radio" name="account-lang" id=id.clone() value=l.code()
                    prop:checked=move || chosen.get() == l on:change=move |_| chosen.set(l) />
                <label for=id lang=l.code()>{label}</label>
            </div>
        }
    };
    view! {
        <form novalidate on:submit=move |ev: SubmitEvent| {
            ev.prevent_default();
            if !pending.get_untracked() {
                send.dispatch(chosen.get_untracked());
            }
        }>
            <fieldset class="field">
                <legend>{a.lang_legend}</legend>
                {option(Lang::Sv, a.lang_sv)}
                {option(Lang::En, a.lang_en)}
            </fieldset>
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <button type="submit" class="button" aria-disabled=move || pending.get().then_some("true")>{a.save_lang}</button>
        </form>
    }
}
