//! `/samordnare/incheckningar` and `/samordnare/incheckningar/:id`: missed safety check-ins for
//! coordinators. The list carries no name, phone or place (not an audited read); opening one
//! shows what the person gave (the server logs the read) and a form to acknowledge the alert with
//! what was done (an audit entry; a colleague's acknowledgement meanwhile answers 409 and the page
//! shows the newer state, keeping what was typed).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use trygg_wire::checkin::{CheckinAlert, CheckinAlertDetail, CheckinState};

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::checkin::{CheckinTexts, use_checkin_texts};
use crate::i18n::{fill, use_lang, use_texts};
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};

/// The list's path.
pub const CHECKINS_PATH: &str = "/samordnare/incheckningar";

fn state_text(c: &CheckinTexts, s: CheckinState) -> &'static str {
    match s {
        CheckinState::Alerted => c.state_alerted,
        CheckinState::LateAllClear => c.state_late,
        CheckinState::Acknowledged => c.state_acknowledged,
        CheckinState::Active | CheckinState::Safe => c.state_other,
    }
}

#[component]
pub fn CheckinAlertsPage() -> impl IntoView {
    let t = use_texts();
    let c = use_checkin_texts();
    let lang = use_lang();
    browser::set_title(c.alerts_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let list = LocalResource::new(api::checkin::alerts);
    Effect::new(move |_| {
        if list.get().is_some_and(|r| r.as_ref().is_err_and(ApiError::needs_sign_in)) {
            to_sign_in();
        }
    });
    let row = move |a: CheckinAlert| {
        view! {
            <li data-testid="checkin-alert">
                <p><strong>{state_text(c, a.state)}</strong></p>
                <p>{c.col_due}": "{browser::format_datetime(lang.tag(), &a.due_at)}</p>
                <p><A href=format!("{CHECKINS_PATH}/{}", a.id)>{c.show}</A></p>
            </li>
        }
    };
    view! {
        <CoordinatorBar />
        <h1>{c.alerts_title}</h1>
        <p>{c.alerts_intro}</p>
        {move || match list.get() {
            None => view! { <p role="status">{use_duty_loading()}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p>{c.alerts_none}</p> }.into_any(),
            Some(Ok(l)) => view! { <ul class="checkin-alerts">{l.items.into_iter().map(row).collect_view()}</ul> }.into_any(),
        }}
    }
}

fn use_duty_loading() -> &'static str {
    crate::i18n::use_duty_texts().loading
}

#[component]
pub fn CheckinAlertPage() -> impl IntoView {
    let t = use_texts();
    let c = use_checkin_texts();
    browser::set_title(c.alerts_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let detail = RwSignal::new(None::<CheckinAlertDetail>);
    let problem = RwSignal::new(None::<String>);
    let loaded = LocalResource::new(move || {
        let id = id();
        async move { api::checkin::alert(&id).await }
    });
    Effect::new(move |_| match loaded.get() {
        Some(Ok(d)) => detail.set(Some(d)),
        Some(Err(e)) if e.needs_sign_in() => to_sign_in(),
        Some(Err(e)) => problem.set(Some(error_text(t, &e))),
        None => {}
    });
    view! {
        <CoordinatorBar />
        <p><A href=CHECKINS_PATH>{c.alerts_title}</A></p>
        <h1>{c.alerts_title}</h1>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        {move || detail.get().map(|d| view! { <AlertView detail=d on_change=detail problem /> })}
    }
}

#[component]
fn AlertView(
    detail: CheckinAlertDetail,
    on_change: RwSignal<Option<CheckinAlertDetail>>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_texts();
    let c = use_checkin_texts();
    let lang = use_lang();
    let when = |v: &Option<String>| v.as_deref().map(|v| browser::format_datetime(lang.tag(), v));
    let open = detail.acknowledged_by.is_none();
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<&'static str>);
    let status = RwSignal::new(None::<&'static str>);
    let id = detail.alert.id.clone();
    let send = Action::new_local(move |text: &String| {
        let (id, text) = (id.clone(), text.clone());
        async move {
            match api::checkin::acknowledge(&id, &text).await {
                Ok(d) => {
                    problem.set(None);
                    on_change.set(Some(d));
                    status.set(Some(c.acknowledged_ok));
                }
                Err(ApiError::Other { status: 409, .. }) => {
                    // A colleague acknowledged meanwhile: show the newer state; the note stays typed.
                    problem.set(Some(c.already.to_owned()));
                    if let Ok(d) = api::checkin::alert(&id).await {
                        on_change.set(Some(d));
                    }
                }
                Err(ApiError::Other { status: 422, .. }) => note_error.set(Some(c.err_note_required)),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if note.get_untracked().trim().is_empty() {
            note_error.set(Some(c.err_note_required));
            browser::focus_by_id("note");
            return;
        }
        note_error.set(None);
        send.dispatch(note.get_untracked());
    };
    view! {
        <p><strong>{state_text(c, detail.alert.state)}</strong></p>
        <dl class="checkin-person">
            <dt>{c.person}</dt>
            <dd data-testid="checkin-name">{detail.reporter_name.clone()}</dd>
            <dt>{c.phone}</dt>
            <dd><a href=format!("tel:{}", detail.reporter_phone.replace(' ', ""))>{detail.reporter_phone.clone()}</a></dd>
            <dt>{c.place}</dt>
            <dd>{if detail.location.is_empty() { "–".to_owned() } else { detail.location.clone() }}</dd>
            <dt>{c.col_due}</dt>
            <dd>{browser::format_datetime(lang.tag(), &detail.alert.due_at)}</dd>
            <dt>{c.col_alerted}</dt>
            <dd>{when(&detail.alert.alerted_at)}</dd>
            {when(&detail.alert.checked_in_at).map(|v| view! { <dt>{c.checked_in_at}</dt><dd>{v}</dd> })}
        </dl>
        {detail.acknowledged_by.clone().map(|who| view! {
            <p class="notice">{fill(c.acknowledged_by, who)}": "{detail.note.clone().unwrap_or_default()}</p>
        })}
        {move || status.get().map(|s| view! { <p class="notice notice--success" role="status">{s}</p> })}
        <Show when=move || open>
            <form class="checkin-ack" novalidate on:submit=submit>
                <div class="field" class:field--error=move || note_error.get().is_some()>
                    <label for="note">{c.note}</label>
                    <p class="hint" id="note-hint">{c.note_hint}</p>
                    {move || note_error.get().map(|e| view! { <p id="note-error" class="field-error">{e}</p> })}
                    <textarea id="note" name="note" rows="4" maxlength="2000"
                        aria-describedby=move || if note_error.get().is_some() { "note-hint note-error" } else { "note-hint" }
                        aria-invalid=move || note_error.get().map(|_| "true")
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="button button--primary">{c.acknowledge}</button>
            </form>
        </Show>
    }
}
