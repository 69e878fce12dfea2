//! A report's "Riskflagga" section (on the case page): the flags raised from the report with
//! their state, an "Approve" button on a proposed one (the server refuses the proposer with
//! `own_flag`), and the form to propose one — address, level, category, guidance in Swedish and
//! English, the internal reason, end and review dates and whether the resident was informed.
//! What was typed stays on an error; field errors show next to their field.

use leptos::prelude::*;

use crate::api::flags::{Sent, approve_flag, flags_of, propose_flag};
use crate::api::{ApiError, RowError};
use crate::i18n::{FlagTexts, use_flag_texts, use_texts};
use crate::pages::lookup::{category_text, field_error, level_text};
use crate::pages::shell::error_text;
use trygg_wire::flags::{Flag, FlagCategory, FlagLevel, FlagProposal, FlagState, ResidentInformed, codes};

mod form;

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
                Err(ApiError::Other { code, .. }) if code == codes::STALE => f.stale.to_owned(),
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
        let items = flags
            .into_iter()
            .map(|flag| {
                let pending = flag.state == FlagState::Proposed && !flag.expired;
                let (fid, version) = (flag.id.clone(), flag.version);
                view! {
                    <li class="flag" data-testid="flag">
                        <p>
                            <strong>{level_text(f, flag.level)}</strong>
                            " · "
                            {category_text(f, flag.category)}
                            " · "
                            <span data-testid="flag-state">{state_text(f, &flag)}</span>
                        </p>
                        <p>{flag.address.clone()}</p>
                        <p>{format!("{} {}", f.until, flag.ends_on)}</p>
                        <p>{format!("{}: {}", f.proposed_by, flag.proposed_by)}</p>
                        <Show when=move || pending>
                            {
                                let (fid, _) = (fid.clone(), ());
                                view! {
                                    <button
                                        type="button"
                                        class="button"
                                        on:click=move |_| {
                                            approve.dispatch((fid.clone(), version));
                                        }
                                    >
                                        {f.approve}
                                    </button>
                                }
                            }
                        </Show>
                    </li>
                }
            })
            .collect_view();
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
