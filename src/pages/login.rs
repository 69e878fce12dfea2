//! Coordinator sign-in: e-mail and password, then the code from the authenticator app (or a
//! recovery code), or — for an account without two-step verification yet — switching it on and
//! saving the recovery codes; then back to the page that sent the person here (`?till=…`, only a
//! page of this app: [`return_to`]) or else the inbox. The page asks the server where the session
//! stands when it opens, so a reload (or a language switch) lands on the same step.

use std::cell::RefCell;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{Lang, Texts, fill, use_lang, use_sign_in_texts, use_texts};
use crate::pages::two_factor::{AuthField, CodeStep, EnrolStep, RecoveryStep, forget_steps, pending_recovery_codes};

mod return_to;
pub use return_to::{LOGIN_PATH, sign_in_url};
use return_to::{RETURN_PARAM, return_target};

/// Where sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Asking the server.
    Checking,
    Password,
    Code,
    Enrol,
    Recovery(Vec<String>),
}

/// A message for the next time the sign-in page opens (after signing out somewhere else).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Farewell {
    SignedOut,
    SignedOutEverywhere,
    SessionEnded,
}

thread_local! {
    static FAREWELL: RefCell<Option<Farewell>> = const { RefCell::new(None) };
    /// The e-mail typed so far, kept across a re-render (language switch).
    static EMAIL: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Leaves a message for the sign-in page, shown once.
pub fn say_farewell(f: Farewell) {
    FAREWELL.with_borrow_mut(|slot| *slot = Some(f));
}

fn farewell_text(t: &'static Texts, f: Farewell) -> &'static str {
    match f {
        Farewell::SignedOut | Farewell::SessionEnded => t.session_ended,
        Farewell::SignedOutEverywhere => t.signed_out_everywhere,
    }
}

/// The message for a refused password step, shown under the password field.
fn login_error(lang: Lang, e: &ApiError) -> String {
    let (t, s) = (lang.texts(), lang.sign_in_texts());
    match e {
        ApiError::Other { status: 401, .. } | ApiError::Unauthorized => s.login_failed.to_owned(),
        ApiError::Other { status: 429, .. } => s.login_rate_limited.to_owned(),
        ApiError::Network => t.network_error.to_owned(),
        e => fill(t.server_error, e.code()),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let (t, s) = (use_texts(), use_sign_in_texts());
    let navigate = use_navigate();
    let step = RwSignal::new(Step::Checking);
    let notice = RwSignal::new(FAREWELL.with_borrow_mut(Option::take).map(|f| farewell_text(t, f)));
    let query = use_query_map();
    // Once signed in: the page that asked for sign-in, if it is one of this app's; else where the
    // account's roles work (`return_to::landing`: inbox, hub, statistics or look-up).
    let to_inbox = Callback::new(move |()| {
        let mut target = query.with_untracked(|q| return_target(q.get_str(RETURN_PARAM)).to_owned());
        if target == return_to::DEFAULT_TARGET
            && let Some(u) = api::known_user()
        {
            target = return_to::landing(&u.roles).to_owned();
        }
        navigate(&target, NavigateOptions { replace: true, ..Default::default() });
    });

    // Which step? Recovery codes not yet acknowledged come first; otherwise the server says.
    let ask_server = Action::new_local(move |(): &()| async move {
        match api::me().await {
            Ok(me) if me.mfa_required => step.set(Step::Code),
            Ok(me) if me.enrolment_required => step.set(Step::Enrol),
            Ok(_) => to_inbox.run(()),
            Err(_) => step.set(Step::Password),
        }
    });
    let check = move || {
        if let Some(codes) = pending_recovery_codes() {
            step.set(Step::Recovery(codes));
            return;
        }
        ask_server.dispatch(());
    };
    check();

    Effect::new(move |previous: Option<Step>| {
        let current = step.get();
        let title = match current {
            Step::Checking | Step::Password => s.login_title,
            Step::Code => s.code_title,
            Step::Enrol => s.enrol_title,
            Step::Recovery(_) => s.recovery_title,
        };
        browser::set_title(title, t.app_name);
        // A new step replaces the form: start keyboard and screen reader users at its heading.
        if previous.is_some_and(|p| p != Step::Checking && p != current) {
            request_animation_frame(browser::focus_main_heading);
        }
        current
    });

    let signed_out = Callback::new(move |()| {
        forget_steps();
        notice.set(Some(t.session_ended));
        step.set(Step::Password);
    });
    let recheck = Callback::new(move |()| check());
    let enrolled = Callback::new(move |codes: Vec<String>| step.set(Step::Recovery(codes)));
    let password_ok = Callback::new(move |next: Step| {
        notice.set(None);
        match next {
            Step::Checking => to_inbox.run(()),
            other => step.set(other),
        }
    });

    move || match step.get() {
        Step::Checking => view! {
            <h1>{s.login_title}</h1>
            <p role="status">{s.code_checking}</p>
        }
        .into_any(),
        Step::Password => view! { <PasswordStep notice done=password_ok /> }.into_any(),
        Step::Code => view! { <CodeStep done=to_inbox signed_out /> }.into_any(),
        Step::Enrol => view! { <EnrolStep enrolled recheck signed_out /> }.into_any(),
        Step::Recovery(codes) => view! { <RecoveryStep codes done=to_inbox /> }.into_any(),
    }
}

/// E-mail and password. `done` gets the next step (`Checking` means: fully signed in).
#[component]
fn PasswordStep(notice: RwSignal<Option<&'static str>>, done: Callback<Step>) -> impl IntoView {
    let (t, s) = (use_texts(), use_sign_in_texts());
    let email = RwSignal::new(EMAIL.with_borrow(Clone::clone));
    let password = RwSignal::new(String::new());
    let email_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let typed = email.get();
        EMAIL.with_borrow_mut(|e| *e = typed);
    });

    let login = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            match api::login(&email, &password).await {
                Ok(me) if me.mfa_required => done.run(Step::Code),
                Ok(me) if me.enrolment_required => done.run(Step::Enrol),
                Ok(_) => done.run(Step::Checking),
                Err(e) => {
                    password_error.set(Some(login_error(use_lang(), &e)));
                    browser::focus_by_id("password");
                }
            }
        }
    });
    let pending = login.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        email_error.set(e.trim().is_empty().then(|| s.err_email_required.to_owned()));
        password_error.set(p.is_empty().then(|| s.err_password_required.to_owned()));
        if e.trim().is_empty() {
            browser::focus_by_id("email");
        } else if p.is_empty() {
            browser::focus_by_id("password");
        } else {
            notice.set(None);
            login.dispatch((e.trim().to_owned(), p));
        }
    };

    view! {
        <h1>{s.login_title}</h1>
        {move || notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
        <p>{s.login_intro}</p>
        <form class="login-form" novalidate on:submit=on_submit>
            <AuthField
                id="email"
                label=t.label_email
                value=email
                error=email_error
                kind="email"
                autocomplete="username"
            />
            <AuthField
                id="password"
                label=t.label_password
                value=password
                error=password_error
                kind="password"
                autocomplete="current-password"
            />
            <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { s.logging_in } else { s.login_button }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_password_says_why_in_the_persons_language() {
        let wrong = ApiError::Other { status: 401, code: "invalid_credentials".into() };
        assert_eq!(login_error(Lang::Sv, &wrong), "Fel e-post eller lösenord.");
        let en = Lang::En.texts();
        assert_eq!(
            login_error(Lang::En, &ApiError::Other { status: 429, code: "rate_limited".into() }),
            Lang::En.sign_in_texts().login_rate_limited
        );
        assert_eq!(login_error(Lang::En, &ApiError::Network), en.network_error);
        assert_eq!(farewell_text(en, Farewell::SignedOutEverywhere), en.signed_out_everywhere);
    }
}
