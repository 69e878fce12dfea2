//! The review of an active flag on a report's page: extend, change or lift it, with a required
//! reason; also where the resident's information is recorded afterwards. The form starts from
//! the flag as shown and sends only what the chosen action needs (and what was changed); what
//! was typed stays on a refusal, and a 409 `version_conflict` shows the flag's newer state above the form
//! (the next save goes against that version).

use leptos::prelude::*;

use crate::api::RowError;
use crate::api::flags::{Reviewed, review_flag};
use crate::i18n::{use_flag_review_texts, use_flag_texts, use_texts};
use crate::pages::lookup::field_error;
use crate::pages::shell::error_text;
use trygg_wire::flags::{Flag, FlagCategory, FlagLevel, FlagReview, ResidentInformed, ReviewAction};

fn level_value(l: FlagLevel) -> &'static str {
    match l {
        FlagLevel::Caution => "caution",
        FlagLevel::PoliceEscort => "police_escort",
    }
}

fn category_value(c: FlagCategory) -> &'static str {
    match c {
        FlagCategory::Weapon => "weapon",
        FlagCategory::Violence => "violence",
        FlagCategory::Threats => "threats",
        FlagCategory::Dog => "dog",
        FlagCategory::Other => "other",
    }
}

fn level_of(s: &str) -> FlagLevel {
    if s == "caution" { FlagLevel::Caution } else { FlagLevel::PoliceEscort }
}

fn category_of(s: &str) -> FlagCategory {
    match s {
        "weapon" => FlagCategory::Weapon,
        "violence" => FlagCategory::Violence,
        "threats" => FlagCategory::Threats,
        "dog" => FlagCategory::Dog,
        _ => FlagCategory::Other,
    }
}

/// The review as typed (kept on an error).
#[derive(Clone, Copy)]
struct Draft {
    action: RwSignal<String>,
    reason: RwSignal<String>,
    level: RwSignal<String>,
    category: RwSignal<String>,
    guidance_sv: RwSignal<String>,
    guidance_en: RwSignal<String>,
    ends_on: RwSignal<String>,
    review_on: RwSignal<String>,
    informed_on: RwSignal<String>,
    not_informed_reason: RwSignal<String>,
}

impl Draft {
    fn of(f: &Flag) -> Self {
        let s = |v: &str| RwSignal::new(v.to_owned());
        Draft {
            action: s("extend"),
            reason: s(""),
            level: s(level_value(f.level)),
            category: s(category_value(f.category)),
            guidance_sv: s(&f.guidance_sv),
            guidance_en: s(&f.guidance_en),
            ends_on: s(&f.ends_on),
            review_on: s(&f.review_on),
            informed_on: s(f.resident.informed_on.as_deref().unwrap_or_default()),
            not_informed_reason: s(f.resident.not_informed_reason.as_deref().unwrap_or_default()),
        }
    }

    /// What to send against `now` (the flag as last seen).
    fn review(&self, now: &Flag) -> FlagReview {
        let get = |s: RwSignal<String>| s.get_untracked().trim().to_owned();
        let opt = |v: String| Some(v).filter(|v| !v.is_empty());
        let changed = |v: String, was: &str| (v != was).then_some(v);
        let action = match get(self.action).as_str() {
            "change" => ReviewAction::Change,
            "lift" => ReviewAction::Lift,
            _ => ReviewAction::Extend,
        };
        let resident = ResidentInformed {
            informed_on: opt(get(self.informed_on)),
            not_informed_reason: opt(get(self.not_informed_reason)),
        };
        let resident = (resident != now.resident).then_some(resident);
        let mut r = FlagReview {
            action,
            reason: self.reason.get_untracked(),
            version: now.version,
            level: None,
            category: None,
            guidance_sv: None,
            guidance_en: None,
            ends_on: None,
            review_on: None,
            resident,
        };
        match action {
            ReviewAction::Extend => {
                r.ends_on = Some(get(self.ends_on));
                r.review_on = opt(get(self.review_on));
            }
            ReviewAction::Change => {
                r.level = Some(level_of(&get(self.level))).filter(|l| *l != now.level);
                r.category = Some(category_of(&get(self.category))).filter(|c| *c != now.category);
                r.guidance_sv = changed(self.guidance_sv.get_untracked(), &now.guidance_sv);
                r.guidance_en = changed(self.guidance_en.get_untracked(), &now.guidance_en);
                r.ends_on = changed(get(self.ends_on), &now.ends_on);
                r.review_on = changed(get(self.review_on), &now.review_on);
            }
            ReviewAction::Lift => {}
        }
        r
    }
}

#[component]
pub fn ReviewForm(current: RwSignal<Flag>) -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    let r = use_flag_review_texts();
    let d = Draft::of(&current.get_untracked());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let said = RwSignal::new(None::<(bool, String)>);
    let save = Action::new_local(move |(): &()| {
        let flag = current.get_untracked();
        let body = d.review(&flag);
        async move {
            match review_flag(&flag.id, &body).await {
                Ok(Reviewed::Done(newer)) => {
                    errors.set(vec![]);
                    d.reason.set(String::new());
                    current.set(newer);
                    said.set(Some((false, r.reviewed_ok.to_owned())));
                }
                Ok(Reviewed::Refused(e)) => {
                    errors.set(e);
                    said.set(None);
                }
                Ok(Reviewed::Stale(newer)) => {
                    current.set(newer);
                    said.set(Some((true, r.stale.to_owned())));
                }
                Err(e) => said.set(Some((true, error_text(t, &e)))),
            }
        }
    });
    let prefix = StoredValue::new(current.with_untracked(|c| format!("review-{}", c.id)));
    let id_of = move |name: &str| format!("{}-{name}", prefix.get_value());
    let field = move |name: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        let err = move || errors.with(|e| field_error(f, e, name));
        let (input_id, err_id) = (id_of(name), id_of(&format!("{name}-error")));
        let control = if kind == "textarea" {
            view! {
                <textarea
                    id=input_id.clone()
                    name=name
                    rows="3"
                    aria-describedby=err_id.clone()
                    aria-invalid=move || err().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                ></textarea>
            }
            .into_any()
        } else {
            view! {
                <input
                    id=input_id.clone()
                    name=name
                    type=kind
                    aria-describedby=err_id.clone()
                    aria-invalid=move || err().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            }
            .into_any()
        };
        view! {
            <div class="field">
                <label for=input_id>{label}</label>
                {control}
                <p class="field__error" id=err_id>{err}</p>
            </div>
        }
    };
    let select = move |name: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       options: Vec<(&'static str, &'static str)>| {
        let input_id = id_of(name);
        let opts = options
            .into_iter()
            .map(|(v, text)| view! { <option value=v selected=move || value.get() == v>{text}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <select id=input_id name=name on:change=move |ev| value.set(event_target_value(&ev))>{opts}</select>
            </div>
        }
    };
    let is = move |a: &'static str| move || d.action.get() == a;
    view! {
        <details class="flag-review" data-testid="flag-review">
            <summary>{r.review_open}</summary>
            <form
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    save.dispatch(());
                }
            >
                <h4>{r.review_heading}</h4>
                {select(
                    "action",
                    r.action,
                    d.action,
                    vec![("extend", r.action_extend), ("change", r.action_change), ("lift", r.action_lift)],
                )}
                <p class="field__hint">{r.action_hint}</p>
                {field("reason", r.reason, d.reason, "textarea")}
                <p class="field__hint">{r.reason_hint}</p>
                <Show when=is("change")>
                    {select("level", f.level, d.level, vec![("caution", f.caution), ("police_escort", f.police_escort)])}
                    {select(
                        "category",
                        f.category,
                        d.category,
                        vec![("weapon", f.weapon), ("violence", f.violence), ("threats", f.threats), ("dog", f.dog), ("other", f.other)],
                    )}
                    {field("guidance_sv", f.guidance_sv, d.guidance_sv, "textarea")}
                    {field("guidance_en", f.guidance_en, d.guidance_en, "textarea")}
                </Show>
                <Show when=move || d.action.get() != "lift">
                    {field("ends_on", f.ends_on, d.ends_on, "date")}
                    {field("review_on", f.review_on, d.review_on, "date")}
                </Show>
                {field("informed_on", f.informed_on, d.informed_on, "date")}
                {field("not_informed_reason", f.not_informed_reason, d.not_informed_reason, "textarea")}
                <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                    {r.submit}
                </button>
                {move || {
                    said.get()
                        .map(|(bad, text)| {
                            view! {
                                <p class=if bad { "notice notice--error" } else { "notice" } role=if bad { "alert" } else { "status" }>
                                    {text}
                                </p>
                            }
                        })
                }}
            </form>
        </details>
    }
}
