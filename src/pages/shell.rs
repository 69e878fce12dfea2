//! The coordinator app's shell: the bar every coordinator page starts with (who is signed in,
//! the pages, sign-out), the sign-in redirect, the current user and the text of an error that is
//! not about a field. Coordinator pages use these; reporter pages never do.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, ApiError};
use crate::i18n::{Texts, fill, use_texts};
use crate::model::User;
use crate::pages::login::{Farewell, LOGIN_PATH, say_farewell, sign_in_url};
use crate::pages::waiting::{OnDutyLine, WaitingBadge};

/// The inbox, the coordinator app's home.
pub const INBOX_PATH: &str = "/samordnare/inkorg";

/// The signed-in account: as last seen on this page, or else asked from the server.
pub async fn current_user() -> Result<User, ApiError> {
    match api::known_user() {
        Some(user) => Ok(user),
        None => api::me().await,
    }
}

/// A function that goes to the sign-in page, which then shows the step the session still needs
/// and afterwards comes back to the page shown now (path and query).
/// Call it while the component renders (it needs the router).
pub fn use_sign_in_redirect() -> impl Fn() + Clone + 'static {
    let navigate = use_navigate();
    let location = use_location();
    move || {
        let (path, search) = (location.pathname.get_untracked(), location.search.get_untracked());
        let here = if search.is_empty() { path } else { format!("{path}?{search}") };
        navigate(&sign_in_url(&here), NavigateOptions { replace: true, ..Default::default() });
    }
}

/// A message for an error that is not about a field, on a coordinator's page. (Not the
/// reporter's follow-up text: its 429 is about a wrong receipt code.)
pub fn error_text(t: &Texts, e: &ApiError) -> String {
    match e {
        ApiError::Network => t.network_error.to_owned(),
        ApiError::Other { status: 429, .. } => t.err_rate_limited_wait.to_owned(),
        e => fill(t.server_error, e.code()),
    }
}

/// Who is signed in, the coordinator pages (the access log for administrators only), sign-out.
#[component]
pub fn CoordinatorBar() -> impl IntoView {
    let t = use_texts();
    let navigate = use_navigate();
    let me = LocalResource::new(current_user);
    let problem = RwSignal::new(None::<String>);
    let sign_out = Action::new_local(move |everywhere: &bool| {
        let everywhere = *everywhere;
        let navigate = navigate.clone();
        async move {
            let result = if everywhere { api::logout_everywhere().await } else { api::logout().await };
            match result {
                Ok(()) => {
                    say_farewell(if everywhere { Farewell::SignedOutEverywhere } else { Farewell::SignedOut });
                    navigate(LOGIN_PATH, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let user = move || me.get().and_then(Result::ok);
    let is_admin = move || user().is_some_and(|u| u.is_admin());
    let is_coordinator = move || user().is_some_and(|u| u.is_coordinator());
    let a = crate::i18n::accounts::use_account_texts();
    view! {
        <nav class="coord-bar" aria-label=t.coord_nav_label>
            <p class="coord-bar__who">{move || user().map(|u| fill(t.signed_in_as, u.display_name))}</p>
            <Show when=is_coordinator>
                <OnDutyLine />
            </Show>
            <ul class="coord-bar__links">
                <Show when=is_coordinator>
                    <li>
                        <A href=INBOX_PATH exact=true>{t.nav_inbox}</A>
                    </li>
                    <li>
                        <WaitingBadge />
                    </li>
                    <li>
                        <A href=crate::pages::after::overdue::TASKS_PATH>{crate::i18n::after::use_after_texts().nav_tasks}</A>
                    </li>
                    <li>
                        <A href=crate::pages::notices::NOTICES_PATH>
                            {crate::i18n::notices::notices_texts(crate::i18n::use_lang()).nav}
                        </A>
                    </li>
                </Show>
                <Show when=move || user().is_some_and(|u| u.is_coordinator() || u.has(trygg_wire::roles::ANALYST))>
                    <li>
                        <A href=crate::pages::stats::STATS_PATH>
                            {move || crate::i18n::stats::stats_texts(crate::i18n::use_lang()).nav}
                        </A>
                    </li>
                </Show>
                <Show when=is_admin>
                    <li>
                        <A href="/samordnare/logg">{t.nav_audit}</A>
                    </li>
                    <li>
                        <A href=crate::pages::admin::HUB_PATH>{a.nav_admin}</A>
                    </li>
                </Show>
                <li>
                    <A href="/samordnare/konto">{a.nav_account}</A>
                </li>
            </ul>
            <div class="coord-bar__actions">
                <button type="button" class="button" on:click=move |_| { sign_out.dispatch(false); }>
                    {t.logout}
                </button>
                <button type="button" class="button" on:click=move |_| { sign_out.dispatch(true); }>
                    {t.logout_everywhere}
                </button>
            </div>
        </nav>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
    }
}
