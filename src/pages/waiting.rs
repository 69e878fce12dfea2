//! "What waits for me" (`/samordnare/vantar`): the reports that need the signed-in coordinator
//! now — urgent ones nobody answered, new ones nobody took, my reports with an unread message,
//! reminders due — as reasons, times and links, with no report text (the report page shows it,
//! audited). Also the coordinator bar's pieces: the badge with the count and who is on duty now.
//! Both refresh when the window gets focus and once a minute.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::data_table::DataTable;
use crate::i18n::{DutyTexts, fill, use_duty_texts, use_lang, use_texts};
use crate::model::{OnDutyNow, WaitingItem, WaitingReason};
use crate::pages::shell::{CoordinatorBar, INBOX_PATH, error_text, use_sign_in_redirect};

/// The page's path.
pub const WAITING_PATH: &str = "/samordnare/vantar";

/// How often the badge and the list are fetched again while the page is open.
const REFRESH_MS: u64 = 60_000;

/// A counter that goes up on window focus and once a minute, for resources to follow.
fn refresh_ticks() -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    let focus = window_event_listener(leptos::ev::focus, move |_| tick.update(|n| *n = n.wrapping_add(1)));
    let interval = set_interval_with_handle(
        move || tick.update(|n| *n = n.wrapping_add(1)),
        std::time::Duration::from_millis(REFRESH_MS),
    )
    .ok();
    on_cleanup(move || {
        focus.remove();
        if let Some(handle) = interval {
            handle.clear();
        }
    });
    tick
}

/// What a reason says.
pub fn reason_text(d: &DutyTexts, item: &WaitingItem) -> String {
    let level = item.level.unwrap_or(1);
    match (item.reason, item.reminder_kind.as_deref()) {
        (WaitingReason::UrgentUnanswered, _) => d.reason_urgent_unanswered.to_owned(),
        (WaitingReason::Unassigned, _) => d.reason_unassigned.to_owned(),
        (WaitingReason::UnreadMessage, _) => d.reason_unread_message.to_owned(),
        (WaitingReason::Reminder, Some("idle")) => fill(d.reason_reminder_idle, level),
        (WaitingReason::Reminder, _) => fill(d.reason_reminder_unanswered, level),
    }
}

/// The on-duty line: the names, or that nobody is on duty.
pub fn on_duty_text(d: &DutyTexts, now: &OnDutyNow) -> String {
    if now.people.is_empty() {
        return if now.fallback { d.on_duty_fallback } else { d.on_duty_nobody }.to_owned();
    }
    let names: Vec<&str> = now.people.iter().map(|p| p.name.as_str()).collect();
    fill(d.on_duty_now, names.join(", "))
}

/// The bar's link to the list, with the number of reports that wait (hidden when none).
#[component]
pub fn WaitingBadge() -> impl IntoView {
    let d = use_duty_texts();
    let tick = refresh_ticks();
    let waiting = LocalResource::new(move || {
        tick.track();
        api::waiting()
    });
    let count = move || waiting.get().and_then(Result::ok).map_or(0, |w| w.count + w.checkin_alerts);
    view! {
        <A href=WAITING_PATH>
            {d.nav_waiting}
            <Show when=move || { count() > 0 }>
                " "
                <span class="badge badge--waiting" data-testid="waiting-count">{count}</span>
            </Show>
        </A>
    }
}

/// Who is on duty now, as a line in the bar.
#[component]
pub fn OnDutyLine() -> impl IntoView {
    let d = use_duty_texts();
    let tick = refresh_ticks();
    let now = LocalResource::new(move || {
        tick.track();
        api::on_duty_now()
    });
    view! {
        <p class="coord-bar__duty" data-testid="on-duty">
            {move || now.get().and_then(Result::ok).map(|n| on_duty_text(d, &n))}
        </p>
    }
}

#[component]
pub fn WaitingPage() -> impl IntoView {
    let t = use_texts();
    let d = use_duty_texts();
    let lang = use_lang();
    browser::set_title(d.waiting_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let tick = refresh_ticks();
    let list = LocalResource::new(move || {
        tick.track();
        api::waiting()
    });
    Effect::new(move |_| {
        if list.get().is_some_and(|r| r.as_ref().is_err_and(ApiError::needs_sign_in)) {
            to_sign_in();
        }
    });
    let rows = move |items: Vec<WaitingItem>| {
        view! {
            <DataTable
                caption_id="waiting-caption"
                caption=d.waiting_caption
                class="waiting"
                columns=vec![d.col_reason, d.col_since, d.col_report]
            >
                {items
                    .into_iter()
                    .map(|item| {
                        let short: String = item.report_id.chars().take(8).collect();
                        let urgent = item.reason == WaitingReason::UrgentUnanswered;
                        view! {
                            <tr data-testid="waiting-row" class:row--urgent=urgent>
                                <td>{reason_text(d, &item)}</td>
                                <td class="nowrap">{browser::format_datetime(lang.tag(), &item.since)}</td>
                                <td>
                                    <A href=format!("{INBOX_PATH}/{}", item.report_id)>{fill(d.open_report, short)}</A>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </DataTable>
        }
    };
    view! {
        <CoordinatorBar />
        <h1>{d.waiting_title}</h1>
        <p>{d.waiting_intro}</p>
        {move || list.get().and_then(Result::ok).filter(|w| w.checkin_alerts > 0).map(|w| {
            let c = crate::i18n::checkin::use_checkin_texts();
            view! {
                <p class="notice notice--error" data-testid="waiting-checkins">
                    <A href=crate::pages::checkin_alerts::CHECKINS_PATH>{fill(c.waiting_link, w.checkin_alerts)}</A>
                </p>
            }
        })}
        {move || match list.get() {
            None => view! { <p role="status">{d.loading}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            Some(Ok(w)) if w.items.is_empty() => view! { <p>{d.waiting_empty}</p> }.into_any(),
            Some(Ok(w)) => rows(w.items).into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::model::OnDutyPerson;

    fn item(reason: WaitingReason, kind: Option<&str>, level: Option<i32>) -> WaitingItem {
        WaitingItem { report_id: "r".into(), reason, since: String::new(), reminder_kind: kind.map(Into::into), level }
    }

    #[test]
    fn reasons_and_the_on_duty_line_read_as_words_in_both_languages() {
        let sv = Lang::Sv.duty_texts();
        let en = Lang::En.duty_texts();
        assert_eq!(
            reason_text(sv, &item(WaitingReason::Reminder, Some("idle"), Some(2))),
            "Påminnelse 2: ingen aktivitet på länge"
        );
        assert_eq!(
            reason_text(en, &item(WaitingReason::Reminder, Some("unanswered"), Some(1))),
            "Reminder 1: not answered yet"
        );
        assert_eq!(reason_text(en, &item(WaitingReason::UnreadMessage, None, None)), "New message from the reporter");
        let person = |name: &str| OnDutyPerson { user_id: "u".into(), name: name.into() };
        let two = OnDutyNow { people: vec![person("Sara"), person("Ada")], fallback: false };
        assert_eq!(on_duty_text(sv, &two), "I tjänst nu: Sara, Ada");
        assert_eq!(on_duty_text(en, &OnDutyNow { people: vec![], fallback: false }), "Nobody is on duty now");
        assert!(on_duty_text(sv, &OnDutyNow { people: vec![], fallback: true }).contains("reservadressen"));
    }
}
