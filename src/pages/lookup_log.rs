//! The look-up log (`/samordnare/uppslagslogg`, administrators): the newest look-ups of risk
//! flags, hits and misses — when, who or which dispatch token, the purpose, whether a flag
//! matched. The address itself is never in the log. Reading it is an audited read.

use leptos::prelude::*;

use crate::api::flags::lookup_log;
use crate::browser;
use crate::i18n::{use_flag_review_texts, use_flag_texts, use_texts};
use crate::pages::admin::use_admin_check;
use crate::pages::flags::short_time;
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
        let rows = entries
            .into_iter()
            .map(|l| {
                view! {
                    <tr>
                        <td>{short_time(&l.at)}</td>
                        <td>{l.by}</td>
                        <td>{l.purpose}</td>
                        <td>{if l.matched { r.hit } else { r.miss }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap" role="region" aria-labelledby="lookup-log-caption" tabindex="0">
                <table class="reports" data-testid="lookup-log">
                    <caption id="lookup-log-caption">{r.log_title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{r.col_when}</th>
                            <th scope="col">{r.col_who}</th>
                            <th scope="col">{r.col_purpose}</th>
                            <th scope="col">{r.col_result}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
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
