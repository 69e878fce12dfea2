//! The roster form's rows: each shift and exception as a fieldset of labelled controls, each
//! control with its own error next to it (the server names a row's field as `slots[2].end_time`).

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

use crate::api::RowError;
use crate::i18n::{DutyTexts, fill, use_duty_texts};
use crate::model::{OnDutyPerson, RosterException, RosterSlot};

fn next_key() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One shift of the weekly pattern, as the form edits it.
#[derive(Clone, Copy)]
pub struct SlotRow {
    key: u32,
    start_day: RwSignal<String>,
    start_time: RwSignal<String>,
    end_day: RwSignal<String>,
    end_time: RwSignal<String>,
    user_id: RwSignal<String>,
}

impl SlotRow {
    pub fn from_wire(s: &RosterSlot) -> Self {
        SlotRow {
            key: next_key(),
            start_day: RwSignal::new(s.start_day.to_string()),
            start_time: RwSignal::new(s.start_time.clone()),
            end_day: RwSignal::new(s.end_day.to_string()),
            end_time: RwSignal::new(s.end_time.clone()),
            user_id: RwSignal::new(s.user_id.clone()),
        }
    }

    pub fn to_wire(self) -> RosterSlot {
        RosterSlot {
            start_day: self.start_day.get_untracked().parse().unwrap_or(0),
            start_time: self.start_time.get_untracked(),
            end_day: self.end_day.get_untracked().parse().unwrap_or(0),
            end_time: self.end_time.get_untracked(),
            user_id: self.user_id.get_untracked(),
        }
    }
}

/// One dated exception, as the form edits it.
#[derive(Clone, Copy)]
pub struct ExceptionRow {
    key: u32,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    user_id: RwSignal<String>,
}

impl ExceptionRow {
    pub fn from_wire(e: &RosterException) -> Self {
        ExceptionRow {
            key: next_key(),
            starts: RwSignal::new(e.starts.clone()),
            ends: RwSignal::new(e.ends.clone()),
            user_id: RwSignal::new(e.user_id.clone().unwrap_or_default()),
        }
    }

    pub fn to_wire(self) -> RosterException {
        let user = self.user_id.get_untracked();
        RosterException {
            starts: self.starts.get_untracked(),
            ends: self.ends.get_untracked(),
            user_id: (!user.is_empty()).then_some(user),
        }
    }
}

type ErrorFn = Callback<String, Option<&'static str>>;

/// The error of `field` in `errors`, in words.
fn error_fn(d: &'static DutyTexts, errors: RwSignal<Vec<RowError>>) -> ErrorFn {
    Callback::new(move |field: String| errors.with(|e| e.iter().find(|x| x.field == field).map(|x| d.error(&x.code))))
}

/// A labelled control with its error: `control(id, invalid, described_by)` builds the control.
fn field<V: IntoView + 'static>(
    id: String,
    label: &'static str,
    error: impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
    control: impl FnOnce(String, Signal<Option<&'static str>>, Signal<Option<String>>) -> V,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = Signal::derive(move || error().map(|_| "true"));
    let described = {
        let error_id = error_id.clone();
        Signal::derive(move || error().map(|_| error_id.clone()))
    };
    view! {
        <div class="field" class:field--error=move || error().is_some()>
            <label for=id.clone()>{label}</label>
            {move || error().map(|m| view! { <p id=error_id.clone() class="error">{m}</p> })}
            {control(id, invalid, described)}
        </div>
    }
}

fn day_select(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let d = use_duty_texts();
    field(id, label, error, move |id, invalid, described| {
        view! {
            <select id=id aria-invalid=invalid aria-describedby=described on:change=move |ev| value.set(event_target_value(&ev))>
                {d.days.iter().enumerate().map(|(i, name)| {
                    let v = (i + 1).to_string();
                    let chosen = { let v = v.clone(); move || value.get() == v };
                    view! { <option value=v selected=chosen>{*name}</option> }
                }).collect_view()}
            </select>
        }
    })
}

fn input(
    id: String,
    label: &'static str,
    kind: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    field(id, label, error, move |id, invalid, described| {
        view! {
            <input id=id type=kind aria-invalid=invalid aria-describedby=described
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    })
}

fn person_select(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    people: Signal<Vec<OnDutyPerson>>,
    empty: &'static str,
    error: impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    field(id, label, error, move |id, invalid, described| {
        view! {
            <select id=id aria-invalid=invalid aria-describedby=described on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{empty}</option>
                {move || people.get().into_iter().map(|p| {
                    let chosen = { let v = p.user_id.clone(); move || value.get() == v };
                    view! { <option value=p.user_id.clone() selected=chosen>{p.name.clone()}</option> }
                }).collect_view()}
            </select>
        }
    })
}

/// The weekly pattern's rows, with "add" and each row's "remove".
#[component]
pub fn SlotRows(
    rows: RwSignal<Vec<SlotRow>>,
    people: Signal<Vec<OnDutyPerson>>,
    errors: RwSignal<Vec<RowError>>,
) -> impl IntoView {
    let d = use_duty_texts();
    let error_of = error_fn(d, errors);
    let add = move |_| {
        let blank = RosterSlot {
            start_day: 1,
            start_time: "08:00".into(),
            end_day: 1,
            end_time: "17:00".into(),
            user_id: String::new(),
        };
        let row = SlotRow::from_wire(&blank);
        rows.update(|r| r.push(row));
        request_animation_frame(move || crate::browser::focus_by_id(&format!("slot-{}-start_day", row.key)));
    };
    view! {
        <For each=move || rows.get() key=|r| r.key children=move |row| {
            let index = move || rows.with(|v| v.iter().position(|r| r.key == row.key).unwrap_or(0));
            let err = move |name: &'static str| move || error_of.run(format!("slots[{}].{name}", index()));
            let id = |name: &str| format!("slot-{}-{name}", row.key);
            view! {
                <fieldset class="roster__row" data-testid="slot-row">
                    <legend>{move || fill(d.slot_legend, index() + 1)}</legend>
                    {day_select(id("start_day"), d.label_start_day, row.start_day, err("start_day"))}
                    {input(id("start_time"), d.label_start_time, "time", row.start_time, err("start_time"))}
                    {day_select(id("end_day"), d.label_end_day, row.end_day, err("end_day"))}
                    {input(id("end_time"), d.label_end_time, "time", row.end_time, err("end_time"))}
                    {person_select(id("user_id"), d.label_person, row.user_id, people, d.choose_person, err("user_id"))}
                    <button type="button" class="button" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>
                        {move || fill(d.remove_slot, index() + 1)}
                    </button>
                </fieldset>
            }
        } />
        <p><button type="button" class="button" on:click=add>{d.add_slot}</button></p>
    }
}

/// The dated exceptions' rows, with "add" and each row's "remove".
#[component]
pub fn ExceptionRows(
    rows: RwSignal<Vec<ExceptionRow>>,
    people: Signal<Vec<OnDutyPerson>>,
    errors: RwSignal<Vec<RowError>>,
) -> impl IntoView {
    let d = use_duty_texts();
    let error_of = error_fn(d, errors);
    let add = move |_| {
        let blank = RosterException { starts: String::new(), ends: String::new(), user_id: None };
        let row = ExceptionRow::from_wire(&blank);
        rows.update(|r| r.push(row));
        request_animation_frame(move || crate::browser::focus_by_id(&format!("exception-{}-starts", row.key)));
    };
    view! {
        <For each=move || rows.get() key=|r| r.key children=move |row| {
            let index = move || rows.with(|v| v.iter().position(|r| r.key == row.key).unwrap_or(0));
            let err = move |name: &'static str| move || error_of.run(format!("exceptions[{}].{name}", index()));
            let id = |name: &str| format!("exception-{}-{name}", row.key);
            view! {
                <fieldset class="roster__row" data-testid="exception-row">
                    <legend>{move || fill(d.exception_legend, index() + 1)}</legend>
                    {input(id("starts"), d.label_starts, "datetime-local", row.starts, err("starts"))}
                    {input(id("ends"), d.label_ends, "datetime-local", row.ends, err("ends"))}
                    {person_select(id("user_id"), d.label_replacement, row.user_id, people, d.nobody_option, err("user_id"))}
                    <button type="button" class="button" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>
                        {move || fill(d.remove_exception, index() + 1)}
                    </button>
                </fieldset>
            }
        } />
        <p><button type="button" class="button" on:click=add>{d.add_exception}</button></p>
    }
}
