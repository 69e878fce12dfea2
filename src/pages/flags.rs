//! A report's "Riskflagga" section (on the case page): the flags raised from the report with
//! their state, an "Approve" button on a proposed one (the server refuses the proposer with
//! `own_flag`), and the form to propose one — address, level, category, guidance in Swedish and
//! English, the internal reason, end and review dates and whether the resident was informed.
//! What was typed stays on an error; field errors show next to their field.

use leptos::prelude::*;

use crate::api::flags::{Sent, approve_flag, flags_of, propose_flag};
use crate::api::{ApiError, RowError};
use crate::i18n::{FlagTexts, use_flag_review_texts, use_flag_texts, use_texts};
use crate::pages::lookup::{category_text, field_error, level_text};
use crate::pages::shell::error_text;
use trygg_wire::flags::{Flag, FlagCategory, FlagLevel, FlagProposal, FlagState, ResidentInformed, codes};

mod form;
mod history;
mod review;

pub use history::{lookup_columns, lookup_row, short_time};

fn state_text(f: &FlagTexts, flag: &Flag) -> &'static str {
    if flag.expired {
        return f.expired;
    }
    match flag.state {
        FlagState::Proposed => f.state_proposed,
        FlagState::Active => f.state_active,
        FlagState::Lifted => f.state_lifted,
    }
}

#[component]
pub fn FlagsSection(report_id: String) -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    let reload = RwSignal::new(0u32);
    let id = StoredValue::new(report_id);
    let list = LocalResource::new(move || {
        reload.track();
        let id = id.get_value();
        async move { flags_of(&id).await }
    });
    let notice = RwSignal::new(None::<String>);
    let approve = Action::new_local(move |(fid, version): &(String, i64)| {
        let (fid, version) = (fid.clone(), *version);
        async move {
            let said = match approve_flag(&fid, version).await {
                Ok(Sent::Done(_)) => f.approved_ok.to_owned(),
                Ok(Sent::Refused(_)) => f.err_other.to_owned(),
                Err(ApiError::Other { code, .. }) if code == codes::OWN_FLAG => f.own_flag.to_owned(),
                Err(e) if e.is_version_conflict() => f.stale.to_owned(),
                Err(e) => error_text(t, &e),
            };
            notice.set(Some(said));
            reload.update(|n| *n += 1);
        }
    });
    let rows = move |flags: Vec<Flag>| {
        if flags.is_empty() {
            return view! { <p>{f.none}</p> }.into_any();
        }
        let items = flags.into_iter().map(|flag| view! { <FlagItem flag approve /> }).collect_view();
        view! { <ul class="flags">{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="case-flags" data-testid="flags-section">
            <h2 id="case-flags">{f.section}</h2>
            <p>{f.intro}</p>
            {move || notice.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {move || match list.get() {
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
                Some(Ok(flags)) => rows(flags),
                Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            }}
            <form::ProposeForm report_id=id.get_value() on_done=move || reload.update(|n| *n += 1) />
        </section>
    }
}

/// Whether and when the resident was informed, or why not, in words.
fn resident_text(flag: &Flag) -> String {
    let r = use_flag_review_texts();
    match (&flag.resident.informed_on, &flag.resident.not_informed_reason) {
        (Some(d), _) => format!("{}: {d}", r.informed_on_date),
        (None, Some(why)) => format!("{}: {why}", r.not_informed),
        (None, None) => r.informed_unknown.to_owned(),
    }
}

/// One flag: its state and dates (kept up to date by a review, or by a 409's newer state), the
/// approve button while proposed, the review form while active, and its history on demand.
#[component]
fn FlagItem(flag: Flag, approve: Action<(String, i64), ()>) -> impl IntoView {
    let f = use_flag_texts();
    let r = use_flag_review_texts();
    let fid = flag.id.clone();
    let current = RwSignal::new(flag);
    let pending = move || current.with(|c| c.state == FlagState::Proposed && !c.expired);
    let active = move || current.with(|c| c.state == FlagState::Active && !c.expired);
    view! {
        <li class="flag" data-testid="flag">
            <p>
                <strong>{move || current.with(|c| level_text(f, c.level))}</strong>
                " · "
                {move || current.with(|c| category_text(f, c.category))}
                " · "
                <span data-testid="flag-state">{move || current.with(|c| state_text(f, c))}</span>
            </p>
            <p>{move || current.with(|c| c.address.clone())}</p>
            <p data-testid="flag-dates">
                {move || current.with(|c| format!("{} {} · {} {}", f.until, c.ends_on, r.review_on_now, c.review_on))}
            </p>
            <p>{move || current.with(|c| format!("{}: {}", f.proposed_by, c.proposed_by))}</p>
            <p>{move || current.with(resident_text)}</p>
            <Show when=pending>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        let c = current.get_untracked();
                        approve.dispatch((c.id, c.version));
                    }
                >
                    {f.approve}
                </button>
            </Show>
            <Show when=active>
                <review::ReviewForm current />
            </Show>
            <history::FlagHistory flag_id=fid.clone() />
        </li>
    }
}

/// The proposal as typed (kept on an error).
#[derive(Clone, Default)]
struct Draft {
    address: RwSignal<String>,
    level: RwSignal<String>,
    category: RwSignal<String>,
    guidance_sv: RwSignal<String>,
    guidance_en: RwSignal<String>,
    reason: RwSignal<String>,
    ends_on: RwSignal<String>,
    review_on: RwSignal<String>,
    informed_on: RwSignal<String>,
    not_informed_reason: RwSignal<String>,
}

impl Draft {
    fn proposal(&self) -> FlagProposal {
        let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        FlagProposal {
            address: self.address.get_untracked(),
            level: if self.level.get_untracked() == "caution" { FlagLevel::Caution } else { FlagLevel::PoliceEscort },
            category: match self.category.get_untracked().as_str() {
                "weapon" => FlagCategory::Weapon,
                "violence" => FlagCategory::Violence,
                "threats" => FlagCategory::Threats,
                "dog" => FlagCategory::Dog,
                _ => FlagCategory::Other,
            },
            guidance_sv: self.guidance_sv.get_untracked(),
            guidance_en: self.guidance_en.get_untracked(),
            reason: self.reason.get_untracked(),
            ends_on: opt(self.ends_on),
            review_on: opt(self.review_on),
            resident: ResidentInformed {
                informed_on: opt(self.informed_on),
                not_informed_reason: opt(self.not_informed_reason),
            },
        }
    }
}

async fn send(report: String, p: FlagProposal) -> Result<Sent<Flag>, ApiError> {
    propose_flag(&report, &p).await
}

fn message(
    f: &'static FlagTexts,
    errors: RwSignal<Vec<RowError>>,
    name: &'static str,
) -> impl Fn() -> Option<&'static str> + Copy {
    move || errors.with(|e| field_error(f, e, name))
}
