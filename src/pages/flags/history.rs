//! A flag's history and who looked its address up, shown on demand under the flag on a report's
//! page (each opening is an audited read on the server): every change — when, who, what, the
//! detail with its reason — and every look-up of the address — when, who or which token, the
//! purpose and whether it matched.

use leptos::prelude::*;

use crate::api::flags::flag_detail;
use crate::i18n::{use_flag_review_texts, use_texts};
use crate::pages::shell::error_text;
use trygg_wire::flags::FlagDetail;

/// `2026-11-27T19:16:18Z` → `2026-11-27 19:16`.
pub fn short_time(at: &str) -> String {
    at.chars().take(16).collect::<String>().replace('T', " ")
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
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=r.history_heading>
                    <table class="reports" data-testid="flag-history">
                        <caption>{r.history_heading}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{r.col_when}</th>
                                <th scope="col">{r.col_who}</th>
                                <th scope="col">{r.col_what}</th>
                                <th scope="col">{r.col_detail}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        let lookups = if d.lookups.is_empty() {
            view! { <p data-testid="flag-lookups">{r.lookups_none}</p> }.into_any()
        } else {
            let rows = d
                .lookups
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
                <div class="table-wrap" tabindex="0" role="region" aria-label=r.lookups_heading>
                    <table class="reports" data-testid="flag-lookups">
                        <caption>{r.lookups_heading}</caption>
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
