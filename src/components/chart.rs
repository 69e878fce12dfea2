//! A small chart drawn as inline SVG by the app (no chart library): bars or a line over a series
//! of labelled values. It is a picture (`role="img"`, named by the visible title); the numbers
//! themselves are in the data table shown beside it, which screen readers read instead.
//! Coordinates are whole numbers on a 6000 × 2000 grid (no float formatting in the wasm).

use leptos::prelude::*;

/// The drawing's size in SVG units; it scales to the width of its box.
const W: i64 = 6000;
const H: i64 = 2000;
const PAD: i64 = 240;

/// `values` (one per `labels` entry) as bars, or as a line with `line`; `title_id` names it.
#[component]
pub fn Chart(labels: Vec<String>, values: Vec<i64>, title_id: String, #[prop(optional)] line: bool) -> impl IntoView {
    let n = (values.len() as i64).max(1);
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let x = |i: i64| PAD + (W - PAD) * i / n;
    let y = |v: i64| H - PAD - v * (H - 2 * PAD) / max;
    let marks = if line {
        let points: Vec<String> =
            values.iter().zip(0..).map(|(v, i)| format!("{},{}", (x(i) + x(i + 1)) / 2, y(*v))).collect();
        view! { <polyline class="chart__line" points=points.join(" ") fill="none" /> }.into_any()
    } else {
        values
            .iter()
            .zip(0..)
            .map(|(v, i)| {
                let (left, right, top) = (x(i), x(i + 1), y(*v));
                let gap = (right - left) / 10;
                view! {
                    <rect class="chart__bar" x=left + gap y=top width=right - left - 2 * gap height=H - PAD - top />
                }
            })
            .collect_view()
            .into_any()
    };
    let first = labels.first().cloned().unwrap_or_default();
    let last = if labels.len() > 1 { labels.last().cloned().unwrap_or_default() } else { String::new() };
    view! {
        <svg class="chart" viewBox="0 0 6000 2000" role="img" aria-labelledby=title_id focusable="false">
            <line class="chart__axis" x1=PAD y1=H - PAD x2=W y2=H - PAD />
            <line class="chart__axis" x1=PAD y1=PAD x2=PAD y2=H - PAD />
            <text class="chart__tick" x="0" y=PAD + 40>{max}</text>
            <text class="chart__tick" x="0" y=H - PAD>"0"</text>
            {marks}
            <text class="chart__tick" x=PAD y=H - 60>{first}</text>
            <text class="chart__tick" x=W y=H - 60 text-anchor="end">{last}</text>
        </svg>
    }
}
