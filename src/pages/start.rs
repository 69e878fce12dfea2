//! The start page: who am I (healthcare / elected official) × where am I in time (before /
//! during / after). The choice is remembered on the device and leads to the situation page.
//! Above it, "something is happening now" leads in one tap to "Ring 112" and the during-advice
//! (the remembered role's, or `/nu` which asks the role after), never to a choice first.
//! Below: reports waiting to be sent from this device's outbox, and the receipts of reports
//! sent from it ("my reports").

use leptos::ev::{MouseEvent, SubmitEvent};
use leptos::prelude::*;
use trygg_domain::{Phase, Role};
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::browser;
use crate::draft::Receipts;
use crate::form;
use crate::i18n::{fill, use_lang, use_start_texts};
use crate::nav::{Link, navigator};
use crate::outbox::EntryState;
use crate::outbox::sender::OutboxSender;
use crate::pages::followup::FollowupCode;
use crate::prefs::{self, Situation};
use crate::storage::LocalStore;
use crate::task::Load;

const PROBLEM_ID: &str = "start-problem";

#[component]
pub fn StartPage() -> impl IntoView {
    let t = use_start_texts();
    browser::set_title(t.start_title, t.app_name);
    let remembered = prefs::load_situation(&LocalStore);
    let role = RwSignal::new(remembered.map(|s| s.role));
    let phase = RwSignal::new(remembered.map(|s| s.phase));
    let problem = RwSignal::new(false);
    let navigate = navigator();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match (role.get_untracked(), phase.get_untracked()) {
            (Some(role), Some(phase)) => {
                let situation = Situation { role, phase };
                prefs::save_situation(&LocalStore, situation);
                navigate(&situation.path(), Default::default());
            }
            // "During" alone is not a mistake to correct: the advice does not wait for a role.
            (None, Some(Phase::During)) => navigate("/nu", Default::default()),
            _ => {
                problem.set(true);
                request_animation_frame(|| browser::focus_by_id(PROBLEM_ID));
            }
        }
    };
    // Once both are chosen the problem is solved; the message goes away.
    Effect::new(move |_| {
        if role.get().is_some() && phase.get().is_some() {
            problem.set(false);
        }
    });

    let role_radios = Role::ALL
        .iter()
        .map(|&r| view! { <Radio name="start-role" value=r.as_str() label=t.role(r) chosen=role option=r /> })
        .collect_view();
    let phase_radios = Phase::ALL
        .iter()
        .map(|&p| {
            view! {
                <Radio name="start-phase" value=p.as_str() label=t.phase(p) hint=t.phase_hint(p) chosen=phase option=p />
            }
        })
        .collect_view();

    // One tap from a new device to "Ring 112" and the during-advice.
    let now_href =
        remembered.map_or_else(|| "/nu".to_owned(), |s| Situation { role: s.role, phase: Phase::During }.path());

    view! {
        <h1>{t.start_title}</h1>
        <Link href=now_href attr:class="call-112-big start-now" attr:data-testid="start-now">
            <span class="call-112-big__main">{t.now_link}</span>
            <span class="call-112-big__hint">{t.now_hint}</span>
        </Link>
        // Reporting is one tap away, not a text link below the fold.
        <p class="start-actions">
            <Link href="/rapport" attr:class="button button--primary">{t.report_title}</Link>
        </p>
        <Notices role=remembered.map(|s| s.role) />
        <p class="lead">{t.start_intro}</p>
        {remembered
            .map(|s| {
                let label = fill(t.start_continue, format!("{} – {}", t.role(s.role), t.phase(s.phase)));
                view! {
                    <p class="notice">
                        <Link href=s.path()>{label}</Link>
                    </p>
                }
            })}
        <form class="start-form" novalidate on:submit=on_submit>
            {move || {
                problem
                    .get()
                    .then(|| {
                        view! {
                            <p id=PROBLEM_ID class="notice notice--error" role="alert" tabindex="-1">
                                {t.start_choose_both}
                            </p>
                        }
                    })
            }}
            <fieldset class="field choices">
                <legend>{t.start_role_legend}</legend>
                {role_radios}
            </fieldset>
            <fieldset class="field choices">
                <legend>{t.start_phase_legend}</legend>
                {phase_radios}
            </fieldset>
            <button type="submit" class="button button--primary">{t.start_show}</button>
        </form>
        <p class="start-more">
            <Link href="/kontakter">{t.contacts_title}</Link>
        </p>
        <p class="start-more">
            <a href="/incheckning">{t.checkin_link}</a>
        </p>
        <WaitingReports />
        <MyReports />
    }
}

/// The notices current today for this device's role (every one while no role is chosen), from
/// the content kept on the device (so offline too, after one online visit); each can be hidden
/// here, for good.
#[component]
fn Notices(role: Option<Role>) -> impl IntoView {
    let t = use_start_texts();
    let lang = use_lang();
    let content = Load::new(crate::content::notices);
    let hidden = RwSignal::new(prefs::hidden_notices(&LocalStore));
    move || {
        let notices = content.get()?.ok()?;
        let items = notices
            .into_iter()
            .filter(|n| role.is_none_or(|r| n.is_for(r.as_str())) && !hidden.with(|h| h.contains(&n.id)))
            .map(|n| {
                let id = n.id;
                let title = lang.pick(&n.title.sv, &n.title.en).to_owned();
                view! {
                    <li class="start-notice" data-testid="start-notice">
                        <h3>{title.clone()}</h3>
                        <p>{lang.pick(&n.body.sv, &n.body.en).to_owned()}</p>
                        <button
                            type="button"
                            class="button--link"
                            aria-label=format!("{} {title}", t.notice_dismiss)
                            on:click=move |_| hidden.set(prefs::hide_notice(&LocalStore, id))
                        >
                            {t.notice_dismiss}
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        (!items.is_empty()).then(|| {
            view! {
                <section class="start-notices" aria-labelledby="start-notices">
                    <h2 id="start-notices">{t.notices_heading}</h2>
                    <ul class="contacts">{items}</ul>
                </section>
            }
        })
    }
}

/// Reports sent from this device that have no receipt yet, with what happens to each: sent by
/// itself, or back in the form for a change. Hidden when there are none.
#[component]
fn WaitingReports() -> impl IntoView {
    let t = use_start_texts();
    let lang = use_lang();
    let sender = OutboxSender::use_context();
    move || {
        let entries = sender.entries.get();
        (!entries.is_empty()).then(|| {
            let items = entries
                .into_iter()
                .map(|e| {
                    let saved =
                        fill(t.waiting_saved, browser::format_datetime(lang.tag(), &ms_to_rfc3339(e.queued_at_ms)));
                    let state = match e.state {
                        EntryState::Queued => {
                            view! { <span class="waiting__state">{t.waiting_queued}</span> }.into_any()
                        }
                        EntryState::Returned { .. } => view! {
                            <Link href="/rapport" attr:class="waiting__state">{t.waiting_returned}</Link>
                        }
                        .into_any(),
                        EntryState::Conflict => view! {
                            <Link href="/rapport" attr:class="waiting__state">{t.waiting_conflict}</Link>
                        }
                        .into_any(),
                    };
                    view! {
                        <li class="waiting" data-testid="waiting-report">
                            <span class="waiting__text">{form::excerpt(&e.payload.description(), 80)}</span>
                            " "
                            <span class="waiting__time">{saved}</span>
                            " "
                            {state}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="waiting-reports" aria-labelledby="waiting-reports">
                    <h2 id="waiting-reports">{t.waiting_heading}</h2>
                    <p>{t.queued_message}</p>
                    <ul class="contacts">{items}</ul>
                </section>
            }
        })
    }
}

/// Unix milliseconds as RFC 3339 (UTC), for [`browser::format_datetime`].
fn ms_to_rfc3339(ms: u64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).to_iso_string().into()
}

/// The receipts kept on this device, newest first, with why the code matters; hidden when none.
/// Read again whenever the outbox delivers a report or one is forgotten here. Each can be
/// forgotten on this device, or all at once after a confirmation (a phone left in a shared
/// place should not keep a way into someone's reports); focus then goes to the list's heading
/// (or, once it is empty, to the page's heading).
#[component]
fn MyReports() -> impl IntoView {
    let sender = OutboxSender::use_context();
    let forgotten = RwSignal::new(());
    // Which has a new answer: one request with the codes kept here, answered with times only.
    let answers = Load::new(|| async {
        let codes: Vec<String> = Receipts::new(LocalStore).all().into_iter().map(|r| r.receipt_code).collect();
        if codes.is_empty() { Ok(Vec::new()) } else { crate::api::followup_answers(codes).await }
    });
    move || {
        sender.delivered.track();
        forgotten.track();
        let answers = answers.get().and_then(Result::ok).unwrap_or_default();
        view! { <ReceiptList forgotten answers /> }
    }
}

#[component]
fn ReceiptList(forgotten: RwSignal<()>, answers: Vec<Option<String>>) -> impl IntoView {
    let t = use_start_texts();
    let lang = use_lang();
    let receipts = Receipts::new(LocalStore).all();
    // The answers came in the order of the codes asked; a list changed since is matched by code.
    let asked = answers.len() == receipts.len();
    // One handler for every forget button: `data-forget` holds the code, empty for all of them.
    let forget = move |ev: MouseEvent| {
        let Some(code) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()?.get_attribute("data-forget")) else {
            return;
        };
        let store = Receipts::new(LocalStore);
        if code.is_empty() {
            store.forget_all()
        } else {
            store.forget(&code)
        }
        forgotten.set(());
        request_animation_frame(|| {
            browser::focus_main_heading();
            browser::focus_by_id("my-reports");
        });
    };
    (!receipts.is_empty()).then(|| {
        let items = receipts
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let received = fill(t.receipt_received, browser::format_datetime(lang.tag(), &r.received_at));
                let new_answer = asked && answers[i].as_ref().is_some_and(|at| *at > r.seen_answer_at);
                view! {
                    <li class="my-report">
                        <span class="my-report__code" data-testid="my-report-code">{r.receipt_code.clone()}</span>
                        <span class="my-report__time">{received}</span>
                        {new_answer.then(|| view! { <strong class="my-report__new" data-testid="new-answer">{t.new_answer}</strong> })}
                        <FollowupLink code=r.receipt_code.clone() />
                        <button
                            type="button"
                            class="button--link"
                            aria-label=fill(t.forget_one, &r.receipt_code)
                            data-forget=r.receipt_code
                        >
                            {t.forget}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="my-reports" aria-labelledby="my-reports" on:click=forget>
                <h2 id="my-reports" tabindex="-1">{t.my_reports_heading}</h2>
                <p>{t.my_reports_note}</p>
                <ul class="contacts">{items}</ul>
                // The confirmation is a disclosure: nothing is forgotten before its second button.
                <details class="forget-all">
                    <summary class="button">{t.forget_all}</summary>
                    <p class="notice">{t.forget_all_confirm}</p>
                    <button type="button" class="button button--primary" data-forget="">
                        {t.forget_all_yes}
                    </button>
                </details>
            </section>
        }
    })
}

/// One radio of a choice kept in a signal; the id is `<name>-<value>`. A hint is part of the
/// label, so the whole row is the target and is read out with the choice.
#[component]
fn Radio<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    value: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    chosen: RwSignal<Option<T>>,
    option: T,
) -> impl IntoView {
    let id = format!("{name}-{value}");
    view! {
        <div class="choice">
            <input
                type="radio"
                id=id.clone()
                name=name
                value=value
                prop:checked=move || chosen.get() == Some(option)
                on:change=move |_| chosen.set(Some(option))
            />
            <label for=id>
                {label}
                {hint.map(|h| view! { <span class="choice-hint">{h}</span> })}
            </label>
        </div>
    }
}

/// A link to the follow-up page that hands the receipt code over ([`FollowupCode`]), not in the
/// URL.
#[component]
pub fn FollowupLink(code: String) -> impl IntoView {
    let t = use_start_texts();
    let code = StoredValue::new(code);
    let label = move || format!("{} {}", t.followup_link, code.get_value());
    view! {
        <a href="/folj-upp" class="my-report__link" aria-label=label on:click=move |_| code.with_value(|c| FollowupCode::hand(c))>
            {t.followup_link}
        </a>
    }
}
