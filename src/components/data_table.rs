//! A table of records for the coordinator pages (inbox, access log): a captioned table in a
//! scrollable region that is named by the caption and can be reached with the keyboard (so a
//! wide table can be scrolled sideways on a phone without a mouse), with one column header per
//! column; and the button under it that loads the next page.

use leptos::prelude::*;

use crate::components::busy_button::BusyButton;
use crate::i18n::use_texts;

/// `<table class="reports {class}">` with `caption` (id `caption_id`) and `columns` as headers;
/// the children are the rows.
#[component]
pub fn DataTable(
    caption_id: &'static str,
    caption: &'static str,
    /// More classes for the table, after `reports`.
    #[prop(optional)]
    class: Option<&'static str>,
    columns: Vec<&'static str>,
    children: Children,
) -> impl IntoView {
    let class = class.map_or_else(|| "reports".to_owned(), |c| format!("reports {c}"));
    let headers = columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view();
    view! {
        <div class="table-wrap" role="region" aria-labelledby=caption_id tabindex="0">
            <table class=class>
                <caption id=caption_id>{caption}</caption>
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// "Visa fler" under a [`DataTable`]: `load` asks for the next page (see [`BusyButton`]).
#[component]
pub fn LoadMore(#[prop(into)] pending: Signal<bool>, load: Callback<()>) -> impl IntoView {
    let t = use_texts();
    view! {
        <BusyButton pending press=load class="button load-more">
            {t.load_more}
        </BusyButton>
    }
}
