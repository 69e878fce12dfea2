//! A flag's history and who looked its address up, shown on demand under the flag on a report's
//! page (each opening is an audited read on the server): every change — when, who, what, the
//! detail with its reason — and every look-up of the address — when, who or which token, the
//! purpose and whether it matched.

use leptos::prelude::*;

use crate::api::flags::flag_detail;
use crate::components::data_table::DataTable;
use crate::i18n::{FlagReviewTexts, use_flag_review_texts, use_texts};
use crate::pages::shell::error_text;
use trygg_wire::flags::FlagDetail;

/// `2026-11-27T19:16:18Z` → `2026-11-27 19:16`.
pub fn short_time(at: &str) -> String {
    at.chars().take(16).collect::<String>().replace('T', " ")
}

/// The look-up tables' columns (a flag's look-ups here, every look-up on the log's page).
pub fn lookup_columns(r: &FlagReviewTexts) -> Vec<&'static str> {
    vec![r.col_when, r.col_who, r.col_purpose, r.col_result]
}

/// One look-up as a table row: when, who or which token, the purpose, hit or miss.
pub fn lookup_row(
    r: &'static FlagReviewTexts,
    at: &str,
    by: String,
    purpose: String,
    matched: bool,
) -> impl IntoView + use<> {
    let when = short_time(at);
    view! {
        <tr>
            <td>{when}</td>
            <td>{by}</td>
            <td>{purpose}</td>
            <td>{if matched { r.hit } else { r.miss }}</td>
        </tr>
    }
}

/// An audit detail without its `flag <id>: ` prefix (the flag is the one shown).
fn readable(detail: &str) -> String {
    match detail.split_once(": ") {
        Some((head, rest)) if head.starts_with("flag ") => rest.to_owned(),
        _ => detail.to_owned(),
    }
}

#[component]
pub fn FlagHistory(flag_id: String) -> impl IntoView {
    let t = use_texts();
    let r = use_flag_review_texts();
    let id = StoredValue::new(flag_id);
    let open = RwSignal::new(false);
    let detail = LocalResource::new(move || {
        let (id, shown) = (id.get_value(), open.get());
        async move { if shown { Some(flag_detail(&id).await) } else { None } }
    });
    let tables = move |d: FlagDetail| {
        let history = if d.history.is_empty() {
            view! { <p>{r.history_none}</p> }.into_any()
        } else {
            let rows = d
                .history
                .into_iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td>{short_time(&e.at)}</td>
                            <td>{e.by.unwrap_or_default()}</td>
                            <td>{r.event(&e.action)}</td>
                            <td>{e.detail.as_deref().map(readable).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let columns = vec![r.col_when, r.col_who, r.col_what, r.col_detail];
            view! {
                <div data-testid="flag-history">
                    <DataTable caption_id="flag-history-caption" caption=r.history_heading columns>
                        {rows}
                    </DataTable>
                </div>
            }
            .into_any()
        };
        let lookups = if d.lookups.is_empty() {
            view! { <p data-testid="flag-lookups">{r.lookups_none}</p> }.into_any()
        } else {
            let rows = d.lookups.into_iter().map(|l| lookup_row(r, &l.at, l.by, l.purpose, l.matched)).collect_view();
            view! {
                <div data-testid="flag-lookups">
                    <DataTable caption_id="flag-lookups-caption" caption=r.lookups_heading columns=lookup_columns(r)>
                        {rows}
                    </DataTable>
                </div>
            }
            .into_any()
        };
        view! {
            {history}
            {lookups}
        }
        .into_any()
    };
    view! {
        <div class="flag-history">
            <button
                type="button"
                class="button"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {r.history_open}
            </button>
            {move || match detail.get().flatten() {
                _ if !open.get() => ().into_any(),
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
                Some(Ok(d)) => tables(d),
                Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            }}
        </div>
    }
}
