//! A situation page (`/lage/<role>/<phase>`, the report bundle's): during an incident a large
//! "Ring 112" first ([`call_112_big`]); then the situation's checklist, whose ticks are kept on
//! the device; then whom to call.

use leptos::prelude::*;
use trygg_domain::Phase;

use crate::browser;
use crate::content;
use crate::i18n::{Lang, Texts, use_lang, use_texts};
use crate::model::Checklist;
use crate::nav::{Link, route_params};
use crate::pages::contacts::ShortContacts;
use crate::pages::now::call_112_big;
use crate::prefs::{self, Situation};
use crate::storage::LocalStore;
use crate::task::Load;

#[component]
pub fn SituationPage() -> impl IntoView {
    let t = use_texts();
    let params = route_params();
    let situation = Memo::new(move |_| {
        params.with(|p| Situation::parse(&p.get("role").unwrap_or_default(), &p.get("phase").unwrap_or_default()))
    });
    move || match situation.get() {
        Some(s) => view! { <SituationView situation=s /> }.into_any(),
        None => view! {
            <h1>{t.situation_unknown}</h1>
            <p>
                <Link href="/">{t.back_to_start}</Link>
            </p>
        }
        .into_any(),
    }
}

#[component]
fn SituationView(situation: Situation) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let heading = format!("{} – {}", t.phase(situation.phase), t.role(situation.role));
    browser::set_title(&heading, t.app_name);
    // Coming here by a link chooses this situation too.
    prefs::save_situation(&LocalStore, situation);
    let role = situation.role.as_str();
    let checklist = Load::new(move || content::checklist(situation));
    let during = situation.phase == Phase::During;

    view! {
        <h1>{heading}</h1>
        {during.then(|| call_112_big(t.start))}
        <p class="lead">{t.situation_lead(situation.phase)}</p>
        <section class="checklist-section" aria-labelledby="checklist-heading">
            <h2 id="checklist-heading">{t.checklist_heading}</h2>
            {move || match checklist.get() {
                None => view! { <p role="status">{t.checklist_loading}</p> }.into_any(),
                Some(Err(_)) => view! {
                    <div class="notice notice--error" role="alert">
                        <p>{t.checklist_error}</p>
                        <button type="button" class="button" on:click=move |_| checklist.refetch()>{t.retry}</button>
                    </div>
                }
                .into_any(),
                Some(Ok(list)) => checklist_view(t, lang, situation, list).into_any(),
            }}
        </section>
        {(situation.phase == Phase::After)
            .then(|| {
                view! {
                    <p>
                        <Link href="/rapport" attr:class="button button--primary">{t.situation_report}</Link>
                    </p>
                }
            })}
        <ShortContacts role=role />
        <p class="situation-change">
            <Link href="/">{t.situation_change}</Link>
        </p>
    }
}

/// The steps as check boxes; each tick is saved at once.
fn checklist_view(t: &'static Texts, lang: Lang, situation: Situation, list: Checklist) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p>{t.checklist_empty}</p> }.into_any();
    }
    let ticks = RwSignal::new(prefs::load_ticks(&LocalStore, situation));
    let items = list
        .items
        .into_iter()
        .map(|item| {
            let id = item.id;
            let input_id = format!("step-{id}");
            let text = lang.pick(&item.text.sv, &item.text.en).to_owned();
            view! {
                <li class="choice">
                    <input
                        type="checkbox"
                        id=input_id.clone()
                        prop:checked=move || ticks.with(|all| all.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            ticks.update(|all| prefs::toggle(all, id, on));
                            ticks.with_untracked(|all| prefs::save_ticks(&LocalStore, situation, all));
                        }
                    />
                    <label for=input_id>{text}</label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field choices" aria-describedby="checklist-hint">
            <legend>{t.checklist_legend}</legend>
            <p id="checklist-hint" class="hint">{t.checklist_hint}</p>
            <ol class="checklist">{items}</ol>
        </fieldset>
    }
    .into_any()
}
