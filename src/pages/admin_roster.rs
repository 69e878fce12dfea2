//! The on-duty roster for administrators (`/samordnare/admin/jour`): the weekly pattern (shifts
//! from a weekday and time to a weekday and time, over midnight or several days), dated
//! exceptions (someone else, or nobody), the fallback address, the week as a table, and who is on
//! duty now. One save sends the whole roster with the version it started from: a refusal marks
//! each wrong field next to it, and someone else's save in between (409) keeps what was typed
//! and offers to save over theirs or to show theirs.

use leptos::prelude::*;

use crate::api::{self, ApiError, RowError, Saved};
use crate::browser;
use crate::components::busy_button::BusyButton;
use crate::components::data_table::DataTable;
use crate::i18n::{DutyTexts, use_duty_texts, use_texts};
use crate::model::{OnDutyPerson, Roster, RosterException, RosterSlot, RosterView};
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};
use crate::pages::waiting::on_duty_text;

mod rows;
use rows::{ExceptionRow, ExceptionRows, SlotRow, SlotRows};

/// The page's path.
pub const ROSTER_PATH: &str = "/samordnare/admin/jour";

const DAY_MINUTES: u32 = 24 * 60;
const WEEK_MINUTES: u32 = 7 * DAY_MINUTES;

fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Each day's pieces of the weekly pattern (Monday first): `(from, to, user_id)` in minutes of
/// the day, `to` up to 1440 (24:00). A shift over midnight shows on each day it touches; an end
/// at or before the start on the same weekday means a whole week. Rows not filled in are left out.
pub fn week_segments(slots: &[RosterSlot]) -> [Vec<(u32, u32, String)>; 7] {
    let mut days: [Vec<(u32, u32, String)>; 7] = Default::default();
    for s in slots {
        let (Some(sm), Some(em)) = (minutes(&s.start_time), minutes(&s.end_time)) else { continue };
        if !(1..=7).contains(&s.start_day) || !(1..=7).contains(&s.end_day) || s.user_id.is_empty() {
            continue;
        }
        let start = u32::from(s.start_day - 1) * DAY_MINUTES + sm;
        let end = u32::from(s.end_day - 1) * DAY_MINUTES + em;
        let mut left = match (end + WEEK_MINUTES - start) % WEEK_MINUTES {
            0 => WEEK_MINUTES,
            n => n,
        };
        let mut at = start;
        while left > 0 {
            let (day, from) = ((at / DAY_MINUTES) % 7, at % DAY_MINUTES);
            let take = left.min(DAY_MINUTES - from);
            days[day as usize].push((from, from + take, s.user_id.clone()));
            at += take;
            left -= take;
        }
    }
    for d in &mut days {
        d.sort();
    }
    days
}

/// One day's line in the week table.
fn day_line(d: &DutyTexts, segments: &[(u32, u32, String)], people: &[OnDutyPerson]) -> String {
    if segments.is_empty() {
        return d.week_nobody.to_owned();
    }
    let name = |id: &str| {
        people.iter().find(|p| p.user_id == id).map_or_else(|| id.chars().take(8).collect(), |p| p.name.clone())
    };
    let parts: Vec<String> =
        segments.iter().map(|(f, t, u)| format!("{}–{} {}", hhmm(*f), hhmm(*t), name(u))).collect();
    parts.join("; ")
}

/// What the form holds: the version it started from and each row's signals.
#[derive(Clone, Copy)]
struct Form {
    version: RwSignal<i64>,
    fallback: RwSignal<String>,
    slots: RwSignal<Vec<SlotRow>>,
    exceptions: RwSignal<Vec<ExceptionRow>>,
}

impl Form {
    fn new() -> Self {
        Form {
            version: RwSignal::new(0),
            fallback: RwSignal::new(String::new()),
            slots: RwSignal::new(Vec::new()),
            exceptions: RwSignal::new(Vec::new()),
        }
    }

    fn load(&self, r: &Roster) {
        self.version.set(r.version);
        self.fallback.set(r.fallback_email.clone().unwrap_or_default());
        self.slots.set(r.slots.iter().map(SlotRow::from_wire).collect());
        self.exceptions.set(r.exceptions.iter().map(ExceptionRow::from_wire).collect());
    }

    fn to_wire(self) -> Roster {
        let fallback = self.fallback.get_untracked().trim().to_owned();
        Roster {
            version: self.version.get_untracked(),
            fallback_email: (!fallback.is_empty()).then_some(fallback),
            slots: self.slots.with_untracked(|s| s.iter().copied().map(SlotRow::to_wire).collect()),
            exceptions: self
                .exceptions
                .with_untracked(|e| e.iter().copied().map(ExceptionRow::to_wire).collect::<Vec<RosterException>>()),
        }
    }
}

/// What the last save said.
#[derive(Clone)]
enum Outcome {
    Saved,
    Refused,
    Stale(Box<RosterView>),
    Failed(String),
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let t = use_texts();
    let d = use_duty_texts();
    browser::set_title(d.roster_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let form = Form::new();
    let people = RwSignal::new(Vec::<OnDutyPerson>::new());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let loaded = RwSignal::new(false);
    let forbidden = RwSignal::new(false);
    let saves = RwSignal::new(0u32);

    let fail = {
        let to_sign_in = to_sign_in.clone();
        move |e: ApiError| match e {
            e if e.needs_sign_in() => to_sign_in(),
            ApiError::Other { status: 403, .. } => forbidden.set(true),
            e => outcome.set(Some(Outcome::Failed(error_text(t, &e)))),
        }
    };
    let load = {
        let fail = fail.clone();
        Action::new_local(move |_: &()| {
            let fail = fail.clone();
            async move {
                match api::roster().await {
                    Ok(view) => {
                        form.load(&view.roster);
                        people.set(view.accounts);
                        loaded.set(true);
                    }
                    Err(e) => fail(e),
                }
            }
        })
    };
    load.dispatch(());

    let save = Action::new_local(move |roster: &Roster| {
        let roster = roster.clone();
        let fail = fail.clone();
        async move {
            match api::save_roster(&roster).await {
                Ok(Saved::Done(view)) => {
                    form.load(&view.roster);
                    people.set(view.accounts);
                    errors.set(Vec::new());
                    outcome.set(Some(Outcome::Saved));
                    saves.update(|n| *n += 1);
                }
                Ok(Saved::Refused(fields)) => {
                    errors.set(fields);
                    outcome.set(Some(Outcome::Refused));
                }
                Ok(Saved::Stale(current)) => outcome.set(Some(Outcome::Stale(Box::new(current)))),
                Err(e) => fail(e),
            }
            request_animation_frame(|| browser::focus_by_id("roster-outcome"));
        }
    });
    let pending = save.pending();
    let submit = Callback::new(move |()| {
        outcome.set(None);
        save.dispatch(form.to_wire());
    });
    let keep_mine = move |current: &RosterView| {
        form.version.set(current.roster.version);
        submit.run(());
    };
    let load_theirs = move |current: &RosterView| {
        form.load(&current.roster);
        people.set(current.accounts.clone());
        errors.set(Vec::new());
        outcome.set(None);
    };
    let on_duty = LocalResource::new(move || {
        saves.track();
        api::on_duty_now()
    });
    let error_of = move |field: &str| errors.with(|e| e.iter().find(|x| x.field == field).map(|x| d.error(&x.code)));

    let week = move || {
        let slots: Vec<RosterSlot> = form.slots.with(|s| s.iter().copied().map(SlotRow::to_wire).collect());
        let segments = week_segments(&slots);
        let names = people.get();
        d.days
            .iter()
            .zip(segments.iter())
            .map(|(day, segs)| view! { <tr><th scope="row">{*day}</th><td>{day_line(d, segs, &names)}</td></tr> })
            .collect_view()
    };

    view! {
        <CoordinatorBar />
        <h1>{d.roster_title}</h1>
        <Show when=move || !forbidden.get() fallback=move || view! { <p class="notice notice--error" role="alert">{d.roster_forbidden}</p> }>
            <p>{d.roster_intro}</p>
            <p class="roster__now" data-testid="roster-on-duty" role="status">
                {move || on_duty.get().and_then(Result::ok).map(|n| on_duty_text(d, &n))}
            </p>
            <div id="roster-outcome" tabindex="-1">
                {move || outcome.get().map(|o| match o {
                    Outcome::Saved => view! { <p class="notice" role="status">{d.saved}</p> }.into_any(),
                    Outcome::Refused => view! { <p class="notice notice--error" role="alert">{d.refused}</p> }.into_any(),
                    Outcome::Failed(text) => view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any(),
                    Outcome::Stale(current) => {
                        let (mine, theirs) = (current.clone(), current);
                        view! {
                            <div class="notice notice--error" role="alert">
                                <p>{d.stale}</p>
                                <div class="button-row">
                                    <button type="button" class="button button--primary" on:click=move |_| keep_mine(&mine)>{d.keep_mine}</button>
                                    <button type="button" class="button" on:click=move |_| load_theirs(&theirs)>{d.load_theirs}</button>
                                </div>
                            </div>
                        }.into_any()
                    }
                })}
            </div>
            <Show when=move || loaded.get() fallback=move || view! { <p role="status">{d.loading}</p> }>
                <h2>{d.week_heading}</h2>
                <DataTable caption_id="week-caption" caption=d.week_caption class="roster-week" columns=vec![d.col_day, d.col_who]>
                    {week}
                </DataTable>
                <form class="roster" on:submit=move |ev| { ev.prevent_default(); submit.run(()); }>
                    <h2>{d.slots_heading}</h2>
                    <SlotRows rows=form.slots people=people.into() errors />
                    <h2>{d.exceptions_heading}</h2>
                    <ExceptionRows rows=form.exceptions people=people.into() errors />
                    <div class="field" class:field--error=move || error_of("fallback_email").is_some()>
                        <label for="fallback_email">{d.label_fallback}</label>
                        <p id="fallback_email-hint" class="hint">{d.fallback_hint}</p>
                        {move || error_of("fallback_email").map(|m| view! { <p id="fallback_email-error" class="error">{m}</p> })}
                        <input
                            id="fallback_email"
                            type="email"
                            autocomplete="email"
                            aria-invalid=move || error_of("fallback_email").map(|_| "true")
                            aria-describedby=move || if error_of("fallback_email").is_some() { "fallback_email-hint fallback_email-error" } else { "fallback_email-hint" }
                            prop:value=move || form.fallback.get()
                            on:input=move |ev| form.fallback.set(event_target_value(&ev))
                        />
                    </div>
                    {move || ["slots", "exceptions"].into_iter().filter_map(error_of).map(|m| view! { <p class="error" role="alert">{m}</p> }).collect_view()}
                    <BusyButton pending press=submit class="button button--primary">{d.save}</BusyButton>
                </form>
            </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn slot(sd: u8, st: &str, ed: u8, et: &str, who: &str) -> RosterSlot {
        RosterSlot { start_day: sd, start_time: st.into(), end_day: ed, end_time: et.into(), user_id: who.into() }
    }

    #[test]
    fn the_week_table_splits_shifts_over_midnight_and_the_weekend() {
        let w = week_segments(&[slot(1, "08:00", 1, "17:00", "sara"), slot(5, "17:00", 1, "08:00", "ada")]);
        assert_eq!(w[0], vec![(0, 480, "ada".into()), (480, 1020, "sara".into())]);
        assert_eq!(w[1], vec![]);
        assert_eq!(w[4], vec![(1020, 1440, "ada".into())]);
        assert_eq!(w[5], vec![(0, 1440, "ada".into())]);
        assert_eq!(w[6], vec![(0, 1440, "ada".into())]);
        let all = week_segments(&[slot(3, "12:00", 3, "12:00", "x")]);
        assert!(all.iter().all(|d| !d.is_empty()), "a whole week");
        assert_eq!(week_segments(&[slot(1, "8", 1, "17:00", "x")]), <[Vec<(u32, u32, String)>; 7]>::default());
        let people = vec![OnDutyPerson { user_id: "sara".into(), name: "Sara".into() }];
        let sv = Lang::Sv.duty_texts();
        assert_eq!(day_line(sv, &w[0], &people), "00:00–08:00 ada; 08:00–17:00 Sara");
        assert_eq!(day_line(sv, &w[1], &people), "Ingen");
        assert_eq!(day_line(sv, &w[4], &people), "17:00–24:00 ada");
    }
}
