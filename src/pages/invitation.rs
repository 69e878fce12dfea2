//! The invitee's page (`/samordnare/inbjudan#<token>`): the token is read from the fragment
//! (which no server log sees), the page says whom the invitation is for, the invitee chooses a
//! password (twice), and is then signed in and sent to the sign-in page, which shows the
//! two-step enrolment (QR code, first code, recovery codes) and then the inbox. An expired,
//! used, withdrawn or unknown invitation gets its own clear message.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::{self, Failure};
use crate::browser;
use crate::i18n::accounts::{AccountTexts, use_account_texts};
use crate::i18n::{fill, use_texts};
use crate::pages::admin::accounts::failure_text;
use crate::pages::login::LOGIN_PATH;
use crate::pages::two_factor::AuthField;
use trygg_wire::accounts::{InvitationInfo, PASSWORD_MIN, codes};

/// The token in the page's fragment (`#…`), if any.
fn token() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// The message for an invitation that cannot be used.
fn unusable_text(a: &'static AccountTexts, code: &str) -> Option<&'static str> {
    match code {
        codes::INVITATION_EXPIRED => Some(a.invitation_expired),
        codes::INVITATION_USED => Some(a.invitation_used),
        codes::INVITATION_REVOKED => Some(a.invitation_revoked),
        codes::INVITATION_UNKNOWN => Some(a.invitation_unknown),
        _ => None,
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    browser::set_title(a.invitation_title, t.app_name);
    let token = StoredValue::new(token());
    let info = RwSignal::new(None::<InvitationInfo>);
    let refused = RwSignal::new(None::<String>);
    let lookup = Action::new_local(move |(): &()| async move {
        let token = token.get_value();
        if token.is_empty() {
            refused.set(Some(a.invitation_unknown.to_owned()));
            return;
        }
        match accounts::lookup(&token).await {
            Ok(i) => info.set(Some(i)),
            Err(f) => {
                refused.set(Some(unusable_text(a, &f.code()).map_or_else(|| failure_text(t, a, &f), str::to_owned)))
            }
        }
    });
    lookup.dispatch(());
    view! {
        <h1>{a.invitation_title}</h1>
        {move || match (info.get(), refused.get()) {
            (_, Some(text)) => view! {
                <p class="notice notice--error" role="alert">{text}</p>
                <p><a href=LOGIN_PATH>{a.go_to_sign_in}</a></p>
            }.into_any(),
            (Some(i), None) => view! { <AcceptForm info=i token=token.get_value() refused /> }.into_any(),
            (None, None) => view! { <p role="status">{a.invitation_checking}</p> }.into_any(),
        }}
    }
}

#[component]
fn AcceptForm(info: InvitationInfo, token: String, refused: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let password_error = RwSignal::new(None::<String>);
    let again_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let token = StoredValue::new(token);
    let accept = Action::new_local(move |pw: &String| {
        let pw = pw.clone();
        let navigate = navigate.clone();
        async move {
            match accounts::accept(&token.get_value(), &pw).await {
                // Signed in by the password: the sign-in page shows the two-step enrolment next.
                Ok(_) => navigate(LOGIN_PATH, NavigateOptions { replace: true, ..Default::default() }),
                Err(Failure::Fields(f)) => {
                    password_error.set(f.first().map(|(x, k)| a.field_error(x, k).to_owned()));
                    browser::focus_by_id("invite-password");
                }
                Err(f) => match unusable_text(a, &f.code()) {
                    Some(text) => refused.set(Some(text.to_owned())),
                    None => problem.set(Some(failure_text(t, a, &f))),
                },
            }
        }
    });
    let pending = accept.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (p, r) = (password.get_untracked(), again.get_untracked());
        password_error.set((p.chars().count() < PASSWORD_MIN).then(|| a.err_password_short.to_owned()));
        again_error.set((p != r).then(|| a.err_password_mismatch.to_owned()));
        if password_error.with_untracked(Option::is_some) {
            browser::focus_by_id("invite-password");
        } else if again_error.with_untracked(Option::is_some) {
            browser::focus_by_id("invite-password-again");
        } else {
            problem.set(None);
            accept.dispatch(p);
        }
    };
    view! {
        <p>{fill(a.invitation_intro, format!("{} ({})", info.display_name, info.email))}</p>
        <form class="login-form" novalidate on:submit=on_submit>
            // For password managers: the account the new password belongs to.
            <input type="email" name="username" autocomplete="username" value=info.email.clone() readonly class="visually-hidden" aria-label=a.label_email tabindex="-1" />
            <AuthField id="invite-password" label=a.label_password hint=a.password_rule_hint value=password error=password_error kind="password" autocomplete="new-password" />
            <AuthField id="invite-password-again" label=a.label_password_again value=again error=again_error kind="password" autocomplete="new-password" />
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                {a.accept_button}
            </button>
        </form>
    }
}
