//! `/incheckning` (report bundle): the safety check-in on the phone. A start form (name, phone,
//! where, when), then a big countdown with *I am safe* and *more time*. The device keeps the
//! token and the last known state in localStorage, so a reload continues the countdown. The timer
//! that matters runs on the server; this page only shows it, reminds during the grace period,
//! and queues *I am safe* when there is no network (sent on the `online` event and every 15 s).

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use trygg_wire::checkin::{AlertTarget, CheckinState, CheckinStatus, NewCheckin};

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::checkin::{CheckinTexts, use_checkin_texts};
use crate::i18n::{fill, use_lang, use_texts};
use crate::storage::{KeyValueStore, LocalStore};

/// Where the device keeps its check-in.
pub const CHECKIN_KEY: &str = "trygg.checkin.v1";

/// What the device keeps: the token, when it is due by this device's clock, and whether an
/// *I am safe* waits to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    token: String,
    due_at: String,
    due_ms: i64,
    grace_s: i64,
    state: CheckinState,
    #[serde(default)]
    safe_queued: bool,
}

fn now() -> i64 {
    i64::try_from(browser::now_ms()).unwrap_or(i64::MAX)
}

fn load() -> Option<Kept> {
    serde_json::from_str(&LocalStore.get(CHECKIN_KEY)?).ok()
}

fn keep(kept: RwSignal<Option<Kept>>, k: Option<Kept>) {
    match &k {
        Some(k) => {
            LocalStore.set(CHECKIN_KEY, &serde_json::to_string(k).unwrap_or_default());
        }
        None => LocalStore.remove(CHECKIN_KEY),
    }
    kept.set(k);
}

fn kept_of(token: String, s: &CheckinStatus, safe_queued: bool) -> Kept {
    Kept {
        token,
        due_at: s.due_at.clone(),
        due_ms: now() + s.remaining_seconds * 1000,
        grace_s: s.grace_seconds,
        state: s.state,
        safe_queued,
    }
}

/// `h:mm:ss` or `m:ss`.
fn clock(ms: i64) -> String {
    let s = ms.max(0).div_euclid(1000) + i64::from(ms.rem_euclid(1000) > 0);
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// Minutes from now until the next `HH:MM` on this device's clock (within a day).
fn minutes_until(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let start = js_sys::Date::new_0();
    let target = js_sys::Date::new_0();
    target.set_hours(h);
    target.set_minutes(m);
    target.set_seconds(0);
    target.set_milliseconds(0);
    let mut diff = target.get_time() - start.get_time();
    if diff <= 0.0 {
        diff += 86_400_000.0;
    }
    let minutes = (diff / 60_000.0).ceil() as u32;
    (1..=1440).contains(&minutes).then_some(minutes)
}

fn problem_of(c: &CheckinTexts, e: &ApiError) -> String {
    match e {
        ApiError::Network => c.network.to_owned(),
        e => fill(c.server_error, e.code()),
    }
}

/// Sends *I am safe*, queued first so that a lost answer or no network loses nothing.
async fn send_safe(kept: RwSignal<Option<Kept>>, problem: RwSignal<Option<String>>) {
    let Some(mut k) = kept.get_untracked() else { return };
    if !k.safe_queued {
        k.safe_queued = true;
        keep(kept, Some(k.clone()));
    }
    match api::checkin::safe(&k.token).await {
        Ok(s) => {
            problem.set(None);
            keep(kept, Some(kept_of(k.token, &s, false)));
        }
        Err(e) if e.is_transient() => {}
        Err(ApiError::Other { status: 404, .. }) => keep(kept, None),
        Err(e) => problem.set(Some(problem_of(use_checkin_texts(), &e))),
    }
}

/// Asks the server for the state (or delivers a queued *I am safe*).
fn sync(kept: RwSignal<Option<Kept>>, problem: RwSignal<Option<String>>) {
    let Some(k) = kept.get_untracked() else { return };
    spawn_local(async move {
        if k.safe_queued {
            return send_safe(kept, problem).await;
        }
        match api::checkin::status(&k.token).await {
            Ok(s) => keep(kept, Some(kept_of(k.token, &s, false))),
            Err(ApiError::Other { status: 404, .. }) => keep(kept, None),
            Err(_) => {}
        }
    });
}

#[component]
pub fn CheckinPage() -> impl IntoView {
    let c = use_checkin_texts();
    browser::set_title(c.title, use_texts().app_name);
    let kept = RwSignal::new(load());
    let problem = RwSignal::new(None::<String>);
    let tick = RwSignal::new(now());
    let second = set_interval_with_handle(move || tick.set(now()), Duration::from_secs(1)).ok();
    let poll = set_interval_with_handle(move || sync(kept, problem), Duration::from_secs(15)).ok();
    let online = window_event_listener(leptos::ev::online, move |_| sync(kept, problem));
    on_cleanup(move || {
        second.into_iter().chain(poll).for_each(|h| h.clear());
        online.remove();
    });
    sync(kept, problem);
    // A memo: the running view is built once per check-in, not again on every refresh (which
    // would take keyboard focus off its buttons).
    let started = Memo::new(move |_| kept.with(Option::is_some));
    view! {
        <h1>{c.title}</h1>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        {move || if started.get() { view! { <Running kept tick problem /> }.into_any() } else { view! { <StartForm kept /> }.into_any() }}
    }
}

#[component]
fn StartForm(kept: RwSignal<Option<Kept>>) -> impl IntoView {
    let c = use_checkin_texts();
    let (name, phone, place, choice, at) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(60u32),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(Vec::<String>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| e.iter().find(|c| c.starts_with(field) && c[field.len()..].starts_with('.')).cloned())
        })
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = Vec::new();
        if name.get_untracked().trim().is_empty() {
            found.push("reporter_name.required".to_owned());
        }
        if phone.get_untracked().trim().is_empty() {
            found.push("reporter_phone.required".to_owned());
        }
        let minutes =
            if choice.get_untracked() == 0 { minutes_until(&at.get_untracked()) } else { Some(choice.get_untracked()) };
        if minutes.is_none() {
            found.push("minutes.invalid".to_owned());
        }
        problem.set(None);
        if let Some(first) = found.first() {
            browser::focus_by_id(first.split('.').next().unwrap_or_default());
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let body = NewCheckin {
            reporter_name: name.get_untracked(),
            reporter_phone: phone.get_untracked(),
            location: place.get_untracked(),
            minutes: minutes.unwrap_or(60),
            alert_target: AlertTarget::OnDuty,
        };
        busy.set(true);
        spawn_local(async move {
            match api::checkin::start(&body).await {
                Ok(s) => keep(kept, Some(kept_of(s.token, &s.status, false))),
                Err(ApiError::Validation(fields)) => {
                    let codes: Vec<String> = fields.iter().map(|f| f.code()).collect();
                    if let Some(first) = codes.first() {
                        browser::focus_by_id(first.split('.').next().unwrap_or_default());
                    }
                    errors.set(codes);
                }
                Err(e) => problem.set(Some(problem_of(c, &e))),
            }
            busy.set(false);
        });
    };
    let text_field = move |id: &'static str,
                           label: &'static str,
                           kind: &'static str,
                           value: RwSignal<String>,
                           auto: &'static str| {
        let error = error_of(id);
        view! {
            <div class="field" class:field--error=move || error.get().is_some()>
                <label for=id>{label}</label>
                {move || error.get().map(|e| view! { <p id=format!("{id}-error") class="field-error">{c.error(&e)}</p> })}
                <input type=kind id=id name=id autocomplete=auto prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || error.get().map(|_| "true")
                    aria-describedby=move || error.get().map(|_| format!("{id}-error")) />
            </div>
        }
    };
    let minutes_error = error_of("minutes");
    let radio = move |value: u32, label: &'static str| {
        let id = format!("checkin-in-{value}");
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name="checkin-when" prop:checked=move || choice.get() == value on:change=move |_| choice.set(value) />
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <p class="lead">{c.intro}</p>
        <p class="notice">{c.anonymous_note}</p>
        <form class="checkin-form" novalidate on:submit=submit>
            {text_field("reporter_name", c.name, "text", name, "name")}
            {text_field("reporter_phone", c.phone, "tel", phone, "tel")}
            {text_field("location", c.location, "text", place, "off")}
            <fieldset class="field choices" class:field--error=move || minutes_error.get().is_some()>
                <legend>{c.when_legend}</legend>
                {move || minutes_error.get().map(|e| view! { <p id="minutes-error" class="field-error">{c.error(&e)}</p> })}
                {radio(30, c.in_30)}
                {radio(60, c.in_60)}
                {radio(120, c.in_120)}
                {radio(0, c.at_time)}
                <Show when=move || choice.get() == 0>
                    <label for="minutes">{c.at_time_label}</label>
                    <input type="time" id="minutes" name="minutes" prop:value=move || at.get()
                        on:input=move |ev| at.set(event_target_value(&ev)) />
                </Show>
            </fieldset>
            <p class="hint">{c.target}</p>
            <button type="submit" class="button button--primary" aria-disabled=move || busy.get().then_some("true")>{c.start}</button>
        </form>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
    }
}

#[component]
fn Running(kept: RwSignal<Option<Kept>>, tick: RwSignal<i64>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let c = use_checkin_texts();
    let lang = use_lang();
    let state = move || kept.with(|k| k.as_ref().map_or(CheckinState::Safe, |k| k.state));
    let queued = move || kept.with(|k| k.as_ref().is_some_and(|k| k.safe_queued));
    // The tick only wakes the countdown; the time is read now, so a tick older than the moment
    // the check-in was (re)started never shows more than the server's remaining time.
    let left = move || {
        tick.track();
        kept.with(|k| k.as_ref().map_or(0, |k| k.due_ms)) - now()
    };
    let grace_ms = move || kept.with(|k| k.as_ref().map_or(0, |k| k.grace_s * 1000));
    let due_text =
        move || kept.with(|k| k.as_ref().map(|k| fill(c.due_at, browser::format_datetime(lang.tag(), &k.due_at))));
    let safe = move |_| spawn_local(send_safe(kept, problem));
    let more = move |minutes: u32| {
        let Some(k) = kept.get_untracked() else { return };
        spawn_local(async move {
            match api::checkin::extend(&k.token, minutes).await {
                Ok(s) => {
                    problem.set(None);
                    keep(kept, Some(kept_of(k.token, &s, false)));
                }
                Err(ApiError::Other { status: 409, .. }) => {
                    problem.set(Some(c.not_active.to_owned()));
                    sync(kept, problem);
                }
                Err(e) => problem.set(Some(problem_of(c, &e))),
            }
        });
    };
    let late = |s: CheckinState| matches!(s, CheckinState::Alerted | CheckinState::Acknowledged);
    let open = move || matches!(state(), CheckinState::Active | CheckinState::Alerted | CheckinState::Acknowledged);
    view! {
        <Show when=move || { state() == CheckinState::Active && (left() > -grace_ms()) }>
            <p class="checkin-countdown" role="timer" aria-label=c.countdown_label>{move || clock(left())}</p>
            <p class="lead">{due_text}</p>
            <Show when=move || { left() <= 0 }>
                <p class="notice notice--warning" role="alert">{move || fill(c.grace, clock(grace_ms() + left()))}</p>
            </Show>
        </Show>
        <Show when=move || { !queued() && (late(state()) || (state() == CheckinState::Active && (left() <= -grace_ms()))) }>
            <p class="notice notice--error" role="alert">{c.alerted}</p>
        </Show>
        <Show when=queued>
            <p class="notice" role="status">{c.queued}</p>
        </Show>
        <Show when=move || open() && !queued()>
            <p class="checkin-actions">
                <button type="button" class="button button--primary checkin-safe" on:click=safe>{c.safe}</button>
            </p>
        </Show>
        <Show when=move || state() == CheckinState::Active && !queued()>
            <fieldset class="field checkin-more">
                <legend>{c.more_time}</legend>
                <button type="button" class="button" on:click=move |_| more(15)>{c.plus_15}</button>
                <button type="button" class="button" on:click=move |_| more(30)>{c.plus_30}</button>
                <button type="button" class="button" on:click=move |_| more(60)>{c.plus_60}</button>
            </fieldset>
        </Show>
        <Show when=move || !open()>
            <p class="notice notice--success" role="status">
                {move || if state() == CheckinState::LateAllClear { c.done_late } else { c.done_safe }}
            </p>
            <button type="button" class="button" on:click=move |_| keep(kept, None)>{c.new_checkin}</button>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_countdown_reads_minutes_and_seconds_and_hours_when_there_are_any() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(500), "0:01", "a part of a second left still shows one");
        assert_eq!(clock(61_000), "1:01");
        assert_eq!(clock(30 * 60_000), "30:00");
        assert_eq!(clock(3_600_000 + 5_000), "1:00:05");
        assert_eq!(clock(-4_000), "0:00", "never negative");
    }
}
