//! The look-up log (`/samordnare/uppslagslogg`, administrators): the newest look-ups of risk
//! flags, hits and misses — when, who or which dispatch token, the purpose, whether a flag
//! matched. The address itself is never in the log. Reading it is an audited read.

use leptos::prelude::*;

use crate::api::flags::lookup_log;
use crate::browser;
use crate::components::data_table::DataTable;
use crate::i18n::{use_flag_review_texts, use_flag_texts, use_texts};
use crate::pages::admin::use_admin_check;
use crate::pages::flags::{lookup_columns, lookup_row};
use crate::pages::shell::{CoordinatorBar, error_text};
use trygg_wire::flags::LookupLogEntry;

/// The page's path.
pub const LOG_PATH: &str = "/samordnare/uppslagslogg";

#[component]
pub fn LookupLogPage() -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    let r = use_flag_review_texts();
    browser::set_title(r.log_title, t.app_name);
    let (admin, problem) = use_admin_check();
    let list = LocalResource::new(move || {
        let allowed = admin.get() == Some(true);
        async move { if allowed { Some(lookup_log().await) } else { None } }
    });
    let rows = move |entries: Vec<LookupLogEntry>| {
        if entries.is_empty() {
            return view! { <p>{r.log_none}</p> }.into_any();
        }
        let rows = entries.into_iter().map(|l| lookup_row(r, &l.at, l.by, l.purpose, l.matched)).collect_view();
        view! {
            <div data-testid="lookup-log">
                <DataTable caption_id="lookup-log-caption" caption=r.log_title columns=lookup_columns(r)>
                    {rows}
                </DataTable>
            </div>
        }
        .into_any()
    };
    view! {
        <CoordinatorBar />
        <h1>{r.log_title}</h1>
        {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        {move || (admin.get() == Some(false)).then(|| view! { <p class="notice notice--error" role="alert">{f.forbidden}</p> })}
        <div hidden=move || admin.get() != Some(true)>
            <p>{r.log_intro}</p>
            {move || match list.get().flatten() {
                Some(Ok(entries)) => rows(entries),
                Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
            }}
        </div>
    }
}
