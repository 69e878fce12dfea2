//! The administration hub (`/samordnare/admin`): links to every administration page — accounts
//! (here, [`accounts`]), the phone list, checklists, retention, the on-call roster and jobs —
//! for administrators; where an account without the coordinator role lands after sign-in.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;
use crate::browser;
use crate::i18n::accounts::{AccountTexts, use_account_texts};
use crate::i18n::use_texts;
use crate::pages::shell::{CoordinatorBar, current_user, error_text, use_sign_in_redirect};

pub mod accounts;
mod invite;

/// The hub's address.
pub const HUB_PATH: &str = "/samordnare/admin";

/// The administration pages: address, name and what it is for.
fn pages(a: &'static AccountTexts) -> [(&'static str, &'static str, &'static str); 8] {
    let f = crate::i18n::use_flag_texts();
    [
        ("/samordnare/admin/konton", a.hub_accounts, a.hub_accounts_hint),
        ("/samordnare/admin/telefonlista", a.hub_phone_list, a.hub_phone_list_hint),
        ("/samordnare/admin/checklistor", a.hub_checklists, a.hub_checklists_hint),
        ("/samordnare/admin/gallring", a.hub_retention, a.hub_retention_hint),
        ("/samordnare/admin/jour", a.hub_roster, a.hub_roster_hint),
        ("/samordnare/admin/jobb", a.hub_jobs, a.hub_jobs_hint),
        (crate::pages::lookup_tokens::TOKENS_PATH, f.tokens_title, f.tokens_hint),
        (
            crate::pages::lookup_log::LOG_PATH,
            crate::i18n::use_flag_review_texts().log_title,
            crate::i18n::use_flag_review_texts().log_hint,
        ),
    ]
}

/// Runs `check` with the signed-in account once it is known: sends the person to sign-in when
/// needed; `Some(false)` in the returned signal means signed in but not an administrator.
pub fn use_admin_check() -> (RwSignal<Option<bool>>, RwSignal<Option<String>>) {
    let t = use_texts();
    let to_sign_in = use_sign_in_redirect();
    let admin = RwSignal::new(None::<bool>);
    let problem = RwSignal::new(None::<String>);
    let check = Action::new_local(move |(): &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match current_user().await {
                Ok(me) if !me.is_signed_in() => to_sign_in(),
                Ok(me) => admin.set(Some(me.is_admin())),
                Err(e) if e.needs_sign_in() || e == ApiError::Unauthorized => to_sign_in(),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    check.dispatch(());
    (admin, problem)
}

#[component]
pub fn AdminHubPage() -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    browser::set_title(a.hub_title, t.app_name);
    let (admin, problem) = use_admin_check();
    let links = pages(a)
        .into_iter()
        .map(|(href, name, hint)| {
            view! {
                <li class="hub__item">
                    <A href=href>{name}</A>
                    <p class="hint">{hint}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <CoordinatorBar />
        <h1>{a.hub_title}</h1>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        {move || (admin.get() == Some(false)).then(|| view! { <p class="notice notice--error" role="alert">{a.admin_only}</p> })}
        <div hidden=move || admin.get() != Some(true)>
            <p>{a.hub_intro}</p>
            <ul class="hub">{links}</ul>
        </div>
    }
}
