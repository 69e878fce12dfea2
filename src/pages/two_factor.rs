//! The two-step parts of coordinator sign-in: the code from the authenticator app (or a
//! recovery code) after the password, and switching two-step verification on (QR code and key,
//! a first code, then the ten recovery codes, shown once). The sign-in page ([`super::login`])
//! decides which step to show.
//!
//! What a person must not lose when the page renders again (a language switch) is kept in memory
//! here: the enrolment secret they may already have scanned, and the recovery codes until they
//! say they have saved them. Nothing of it is ever written to storage.

use std::cell::RefCell;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::form_field::described_by;
use crate::i18n::{Lang, SignInTexts, fill, use_lang, use_sign_in_texts, use_texts};
use crate::model::Enrolment;

thread_local! {
    static ENROLMENT: RefCell<Option<Enrolment>> = const { RefCell::new(None) };
    static RECOVERY_CODES: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Recovery codes shown but not yet acknowledged ("I have saved them").
pub fn pending_recovery_codes() -> Option<Vec<String>> {
    RECOVERY_CODES.with_borrow(Clone::clone)
}

/// Forgets everything kept for the steps (on sign-out, or once the codes are saved).
pub fn forget_steps() {
    ENROLMENT.with_borrow_mut(|e| *e = None);
    RECOVERY_CODES.with_borrow_mut(|c| *c = None);
}

/// The otpauth URI as an SVG QR code (without the XML prologue, for inline HTML).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    image.find("<svg").map(|start| image[start..].to_owned())
}

/// The key in groups of four, easier to read and type: `ABCD EFGH …`.
pub fn group_secret(secret: &str) -> String {
    let clean: Vec<char> = secret.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
    clean.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// A six-digit code as typed (spaces allowed), or the error to show.
pub fn check_code(s: &'static SignInTexts, raw: &str) -> Result<String, &'static str> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.is_empty() {
        Err(s.err_code_required)
    } else if digits.len() != 6 || !digits.chars().all(|c| c.is_ascii_digit()) {
        Err(s.err_code_format)
    } else {
        Ok(digits)
    }
}

/// The error to show for a refused code (or recovery code).
fn code_error(lang: Lang, e: &ApiError, recovery: bool) -> String {
    let (t, s) = (lang.texts(), lang.sign_in_texts());
    match e {
        ApiError::Other { status: 401, .. } if recovery => s.err_recovery_wrong.to_owned(),
        ApiError::Other { status: 401, .. } => s.err_code_wrong.to_owned(),
        ApiError::Other { status: 429, .. } => s.err_code_rate_limited.to_owned(),
        ApiError::Network => t.network_error.to_owned(),
        e => fill(t.server_error, e.code()),
    }
}

/// A labelled one-line input with its hint and inline error, for the steps' small forms.
#[component]
pub fn AuthField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let described = move || described_by(id, hint.is_some(), error.with(Option::is_some));
    view! {
        <div class="field" class:field--error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p id=format!("{id}-hint") class="hint">{h}</p> })}
            {move || {
                error
                    .get()
                    .map(|e| view! { <p id=format!("{id}-error") class="field-error" role="alert">{e}</p> })
            }}
            <input
                type=kind
                id=id
                name=id
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    error.set(None);
                }
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described
            />
        </div>
    }
}

/// The second step: the code from the app, or a recovery code. `done` runs once signed in;
/// `signed_out` when the session is gone (or the person cancels).
#[component]
pub fn CodeStep(done: Callback<()>, signed_out: Callback<()>) -> impl IntoView {
    let s = use_sign_in_texts();
    let recovery = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let recovery_code = RwSignal::new(String::new());
    let code_error_text = RwSignal::new(None::<String>);
    let recovery_error = RwSignal::new(None::<String>);

    let verify = Action::new_local(move |(code, recovery_code): &(String, String)| {
        let (code, recovery_code) = (code.clone(), recovery_code.clone());
        async move {
            let with_recovery = !recovery_code.is_empty();
            match api::verify_code(&code, &recovery_code).await {
                Ok(()) => done.run(()),
                Err(ApiError::Unauthorized) => signed_out.run(()),
                Err(e) => {
                    let text = code_error(use_lang(), &e, with_recovery);
                    if with_recovery {
                        recovery_error.set(Some(text));
                        browser::focus_by_id("recovery-code");
                    } else {
                        code_error_text.set(Some(text));
                        browser::focus_by_id("totp-code");
                    }
                }
            }
        }
    });
    let pending = verify.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if recovery.get_untracked() {
            let raw = recovery_code.get_untracked();
            if raw.trim().is_empty() {
                recovery_error.set(Some(s.err_recovery_required.to_owned()));
                browser::focus_by_id("recovery-code");
            } else {
                verify.dispatch((String::new(), raw.trim().to_owned()));
            }
        } else {
            match check_code(s, &code.get_untracked()) {
                Ok(digits) => {
                    verify.dispatch((digits, String::new()));
                }
                Err(e) => {
                    code_error_text.set(Some(e.to_owned()));
                    browser::focus_by_id("totp-code");
                }
            }
        }
    };
    let switch_mode = move |_| {
        let to_recovery = !recovery.get_untracked();
        recovery.set(to_recovery);
        code_error_text.set(None);
        recovery_error.set(None);
        request_animation_frame(move || browser::focus_by_id(if to_recovery { "recovery-code" } else { "totp-code" }));
    };
    let sign_out = Action::new_local(move |(): &()| async move {
        let _ = api::logout().await;
        signed_out.run(());
    });
    let cancel = move |_| {
        sign_out.dispatch(());
    };

    view! {
        <h1>{s.code_title}</h1>
        <form class="login-form" novalidate on:submit=submit>
            <Show
                when=move || recovery.get()
                fallback=move || {
                    view! {
                        <p>{s.code_intro}</p>
                        <AuthField
                            id="totp-code"
                            label=s.label_totp_code
                            hint=s.code_hint
                            value=code
                            error=code_error_text
                            autocomplete="one-time-code"
                            inputmode="numeric"
                        />
                    }
                }
            >
                <AuthField
                    id="recovery-code"
                    label=s.label_recovery_code
                    hint=s.recovery_code_hint
                    value=recovery_code
                    error=recovery_error
                    autocomplete="off"
                />
            </Show>
            <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                {move || if pending.get() { s.code_checking } else { s.code_button }}
            </button>
        </form>
        <p>
            <button type="button" class="link-button" on:click=switch_mode>
                {move || if recovery.get() { s.use_app_code } else { s.use_recovery_code }}
            </button>
        </p>
        <p>
            <button type="button" class="link-button" on:click=cancel>
                {s.cancel_sign_in}
            </button>
        </p>
    }
}

/// The enrolment secret: the one already shown on this page, or a new one from the server.
async fn enrolment() -> Result<Enrolment, ApiError> {
    if let Some(e) = ENROLMENT.with_borrow(Clone::clone) {
        return Ok(e);
    }
    let e = api::totp_setup().await?;
    ENROLMENT.with_borrow_mut(|slot| *slot = Some(e.clone()));
    Ok(e)
}

/// Switching two-step verification on: QR code and key, then the first code. `enrolled` gets
/// the recovery codes; `recheck` runs when the server says the account is already enrolled (in
/// another tab); `signed_out` when the session is gone.
#[component]
pub fn EnrolStep(enrolled: Callback<Vec<String>>, recheck: Callback<()>, signed_out: Callback<()>) -> impl IntoView {
    let (t, s) = (use_texts(), use_sign_in_texts());
    let secret = LocalResource::new(enrolment);
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    Effect::new(move |_| match secret.get() {
        Some(Err(ApiError::Unauthorized)) => signed_out.run(()),
        Some(Err(ApiError::Other { status: 409, .. })) => recheck.run(()),
        _ => {}
    });

    let confirm = Action::new_local(move |digits: &String| {
        let digits = digits.clone();
        async move {
            match api::totp_confirm(&digits).await {
                Ok(codes) => {
                    ENROLMENT.with_borrow_mut(|e| *e = None);
                    RECOVERY_CODES.with_borrow_mut(|c| *c = Some(codes.recovery_codes.clone()));
                    enrolled.run(codes.recovery_codes);
                }
                Err(ApiError::Unauthorized) => signed_out.run(()),
                Err(ApiError::Other { status: 409, .. }) => recheck.run(()),
                Err(e) => {
                    error.set(Some(code_error(use_lang(), &e, false)));
                    browser::focus_by_id("enrol-code");
                }
            }
        }
    });
    let pending = confirm.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        match check_code(s, &code.get_untracked()) {
            Ok(digits) => {
                confirm.dispatch(digits);
            }
            Err(e) => {
                error.set(Some(e.to_owned()));
                browser::focus_by_id("enrol-code");
            }
        }
    };
    let sign_out = Action::new_local(move |(): &()| async move {
        let _ = api::logout().await;
        forget_steps();
        signed_out.run(());
    });
    let cancel = move |_| {
        sign_out.dispatch(());
    };

    let body = move || match secret.get() {
        None => view! { <p role="status">{s.enrol_loading}</p> }.into_any(),
        Some(Err(ApiError::Unauthorized | ApiError::Other { status: 409, .. })) => ().into_any(),
        Some(Err(e)) => {
            let text = match e {
                ApiError::Network => t.network_error.to_owned(),
                e => fill(t.server_error, e.code()),
            };
            view! {
                <div class="notice notice--error" role="alert">
                    <p>{s.enrol_error}</p>
                    <p>{text}</p>
                    <button type="button" class="button" on:click=move |_| secret.refetch()>
                        {t.retry}
                    </button>
                </div>
            }
            .into_any()
        }
        Some(Ok(e)) => {
            let svg = qr_svg(&e.otpauth_uri).unwrap_or_default();
            view! {
                <ol class="enrol-steps">
                    <li>
                        <p>{s.enrol_scan}</p>
                        <div class="qr" role="img" aria-label=s.enrol_qr_label data-testid="totp-qr" inner_html=svg></div>
                        <p>{s.enrol_manual}</p>
                        <p class="secret">
                            <code id="totp-secret" data-testid="totp-secret">
                                {group_secret(&e.secret)}
                            </code>
                        </p>
                    </li>
                    <li>
                        <form class="login-form" novalidate on:submit=submit>
                            <p>{s.enrol_confirm}</p>
                            <AuthField
                                id="enrol-code"
                                label=s.label_totp_code
                                hint=s.code_hint
                                value=code
                                error
                                autocomplete="one-time-code"
                                inputmode="numeric"
                            />
                            <button
                                type="submit"
                                class="button button--primary"
                                aria-disabled=move || pending.get().then_some("true")
                            >
                                {move || if pending.get() { s.code_checking } else { s.enrol_button }}
                            </button>
                        </form>
                    </li>
                </ol>
            }
            .into_any()
        }
    };

    view! {
        <h1>{s.enrol_title}</h1>
        <p>{s.enrol_intro}</p>
        {body}
        <p>
            <button type="button" class="link-button" on:click=cancel>
                {s.cancel_sign_in}
            </button>
        </p>
    }
}

mod recovery;
pub use recovery::RecoveryStep;

#[cfg(test)]
mod tests;
