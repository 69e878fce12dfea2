//! A small chart drawn as inline SVG by the app (no chart library): bars or a line over a series
//! of labelled values. It is a picture (`role="img"`, named by the visible title); the numbers
//! themselves are in the data table shown beside it, which screen readers read instead.

use leptos::prelude::*;

/// The drawing's size in SVG units; it scales to the width of its box.
const W: f64 = 600.0;
const H: f64 = 200.0;
const PAD: f64 = 24.0;

/// `values` (one per `labels` entry) as bars, or as a line with `line`; `title_id` names it.
#[component]
pub fn Chart(labels: Vec<String>, values: Vec<i64>, title_id: String, #[prop(optional)] line: bool) -> impl IntoView {
    let n = values.len().max(1) as f64;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = (W - PAD) / n;
    let y = |v: i64| H - PAD - (v as f64 / max) * (H - 2.0 * PAD);
    let marks = if line {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", PAD + step * (i as f64 + 0.5), y(*v)))
            .collect();
        view! { <polyline class="chart__line" points=points.join(" ") fill="none" /> }.into_any()
    } else {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let top = y(*v);
                view! {
                    <rect
                        class="chart__bar"
                        x=format!("{:.1}", PAD + step * i as f64 + step * 0.1)
                        y=format!("{top:.1}")
                        width=format!("{:.1}", step * 0.8)
                        height=format!("{:.1}", H - PAD - top)
                    />
                }
            })
            .collect_view()
            .into_any()
    };
    let first = labels.first().cloned().unwrap_or_default();
    let last = if labels.len() > 1 { labels.last().cloned().unwrap_or_default() } else { String::new() };
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id focusable="false">
            <line class="chart__axis" x1=PAD y1=H - PAD x2=W y2=H - PAD />
            <line class="chart__axis" x1=PAD y1=PAD x2=PAD y2=H - PAD />
            <text class="chart__tick" x="0" y=PAD + 4.0>{max as i64}</text>
            <text class="chart__tick" x="0" y=H - PAD>"0"</text>
            {marks}
            <text class="chart__tick" x=PAD y=H - 6.0>{first}</text>
            <text class="chart__tick" x=W y=H - 6.0 text-anchor="end">{last}</text>
        </svg>
    }
}
