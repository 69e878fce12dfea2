//! "Something is happening now" (`/nu`, the start bundle's): a large "Ring 112" and the
//! during-advice in one tap from the start page, with no choice asked first; who you are is
//! asked after, and leads to that role's during checklist (a situation page, report bundle).

use leptos::prelude::*;
use trygg_domain::{Phase, Role};

use crate::browser;
use crate::i18n::{StartTexts, use_start_texts};
use crate::nav::Link;
use crate::prefs::Situation;

/// The large "Ring 112" block of the during phase.
pub fn call_112_big(t: &'static StartTexts) -> impl IntoView {
    view! {
        <a class="call-112-big" href="tel:112">
            <span class="call-112-big__main">{t.call_112_big}</span>
            <span class="call-112-big__hint">{t.call_112_hint}</span>
        </a>
    }
}

/// `/nu`: "Ring 112" first and the during-advice, whoever you are; then a choice of role leads
/// to that role's during checklist (it is optional: nothing here needs it).
#[component]
pub fn NowPage() -> impl IntoView {
    let t = use_start_texts();
    browser::set_title(t.now_title, t.app_name);
    let roles = Role::ALL
        .iter()
        .map(|&role| {
            let href = Situation { role, phase: Phase::During }.path();
            view! {
                <li>
                    <Link href attr:class="button">{t.role(role)}</Link>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{t.now_title}</h1>
        {call_112_big(t)}
        <p class="lead">{t.situation_lead_during}</p>
        <h2 id="now-who">{t.now_who}</h2>
        <ul class="now-roles" aria-labelledby="now-who">{roles}</ul>
        <p>
            <Link href="/kontakter">{t.contacts_all}</Link>
        </p>
    }
}
