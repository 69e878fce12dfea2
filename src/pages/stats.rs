//! Statistics (`/samordnare/statistik`, coordinators and analysts): reports per week or month,
//! the open backlog, time to first answer and to close, closure feedback and serious incidents,
//! over live and purged reports. Each chart is hand-drawn SVG with a title that says the finding
//! and the data table beside it. The filters live in the URL; the CSV exports are links.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use trygg_domain::{IncidentKind, Phase, Role, Severity, Status};
use trygg_wire::stats::{Stats, TimeFigures};

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::chart::Chart;
use crate::components::data_table::DataTable;
use crate::i18n::stats::{StatsTexts, fill3, stats_texts};
use crate::i18n::{Texts, fill, use_lang, use_texts};
use crate::model::percent_encode;
use crate::pages::shell::{CoordinatorBar, current_user, error_text, use_sign_in_redirect};

/// The page's path.
pub const STATS_PATH: &str = "/samordnare/statistik";
/// The filters, as URL parameters.
const KEYS: [&str; 8] = ["period", "status", "severity", "kind", "role", "phase", "from", "to"];

/// The filters' values, in [`KEYS`] order (empty: any).
type Filters = [String; 8];

fn slot(key: &str) -> usize {
    KEYS.iter().position(|k| *k == key).unwrap_or(0)
}

fn query_string(f: &Filters) -> String {
    let pairs: Vec<String> =
        KEYS.iter().zip(f).filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
    pairs.join("&")
}

/// A value of a dimension in words (`none`, and unit names, as they are).
fn value_text(t: &Texts, s: &StatsTexts, dimension: &str, v: &str) -> String {
    let text = match dimension {
        _ if v == "none" => Some(s.none),
        "kind" => v.parse::<IncidentKind>().ok().map(|k| t.kind(k)),
        "channel" => v.parse().ok().map(|c| t.channel(c)),
        "role" => v.parse::<Role>().ok().map(|r| t.role(r)),
        "phase" => v.parse::<Phase>().ok().map(|p| t.phase(p)),
        "severity" => v.parse::<Severity>().ok().map(|x| t.severity(x)),
        _ => None,
    };
    text.map_or_else(|| v.to_owned(), str::to_owned)
}

fn group_text(t: &Texts, s: &StatsTexts, group: &str) -> String {
    match group {
        "all" => s.group_all.to_owned(),
        "urgent" => s.group_urgent.to_owned(),
        "routine" => s.group_routine.to_owned(),
        g => value_text(t, s, "severity", g.trim_start_matches("severity:")),
    }
}

fn dimension_text(s: &StatsTexts, d: &str) -> &'static str {
    match d {
        "kind" => s.dim_kind,
        "channel" => s.dim_channel,
        "role" => s.dim_role,
        "phase" => s.dim_phase,
        "severity" => s.dim_severity,
        _ => s.dim_unit,
    }
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

/// A `<select>` of the filter form.
fn select(
    t: &'static Texts,
    draft: RwSignal<Filters>,
    key: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    any: bool,
) -> impl IntoView {
    let id = format!("stats-{key}");
    let options = any
        .then_some(("", t.filter_any))
        .into_iter()
        .chain(options)
        .map(|(value, text)| {
            view! { <option value=value selected=move || draft.with(|d| d[slot(key)] == value)>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=key
                on:change=move |ev| draft.update(|d| d[slot(key)] = event_target_value(&ev))
            >
                {options}
            </select>
        </div>
    }
}

fn date_input(draft: RwSignal<Filters>, key: &'static str, label: &'static str) -> impl IntoView {
    let id = format!("stats-{key}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                type="date"
                id=id
                name=key
                prop:value=move || draft.with(|d| d[slot(key)].clone())
                on:input=move |ev| draft.update(|d| d[slot(key)] = event_target_value(&ev))
            />
        </div>
    }
}

fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|&v| (value(v), label(v))).collect()
}

/// A chart, its title (the finding) and its table.
fn figure(
    id: &'static str,
    title: String,
    labels: Vec<String>,
    values: Vec<i64>,
    line: bool,
    column: &'static str,
    s: &'static StatsTexts,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let rows = labels
        .iter()
        .zip(&values)
        .map(|(l, v)| view! { <tr><th scope="row">{l.clone()}</th><td class="num">{*v}</td></tr> })
        .collect_view();
    view! {
        <section class="stats-figure" aria-labelledby=title_id.clone() data-testid=id>
            <h2 id=title_id.clone()>{title}</h2>
            <div class="stats-figure__body">
                <Chart labels=labels values=values title_id=title_id.clone() line=line />
                <DataTable caption_id=id caption=column columns=vec![s.col_period, column]>
                    {rows}
                </DataTable>
            </div>
        </section>
    }
}

fn times_table(t: &'static Texts, s: &'static StatsTexts, times: Vec<TimeFigures>) -> impl IntoView {
    let rows = times
        .into_iter()
        .filter(|f| f.reports > 0)
        .map(|f| {
            view! {
                <tr>
                    <th scope="row">{group_text(t, s, &f.group)}</th>
                    <td class="num">{f.answered}</td>
                    <td class="num">{opt(f.answer_median_minutes)}</td>
                    <td class="num">{opt(f.answer_p90_minutes)}</td>
                    <td class="num">{format!("{}/{}", f.within_target, f.target_due)}</td>
                    <td class="num">{f.closed}</td>
                    <td class="num">{opt(f.close_median_minutes)}</td>
                    <td class="num">{opt(f.close_p90_minutes)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            caption_id="stats-times"
            caption=s.col_median
            columns=vec![s.col_group, s.col_answered, s.col_median, s.col_p90, s.col_within, s.col_closed, s.col_close_median, s.col_close_p90]
        >
            {rows}
        </DataTable>
    }
}

fn results(t: &'static Texts, s: &'static StatsTexts, st: Stats) -> impl IntoView {
    let busiest = st
        .counts
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| (**c, usize::MAX - i))
        .map(|(i, c)| (st.buckets[i].clone(), *c));
    let counts_title = match busiest {
        Some((b, c)) if st.total > 0 => fill3(s.counts_title, st.total, b, c),
        _ => s.counts_none.to_owned(),
    };
    let backlog_title =
        fill3(s.backlog_title, st.backlog.last().copied().unwrap_or(0), st.backlog.first().copied().unwrap_or(0), "");
    let all = st.times.first().cloned();
    let answer_title = match &all {
        Some(a) if a.answered > 0 => fill3(s.answer_title, opt(a.answer_median_minutes), a.within_target, a.target_due),
        _ => s.answer_none.to_owned(),
    };
    let f = st.feedback;
    let by = st
        .by
        .into_iter()
        .map(|b| {
            let rows = b
                .rows
                .iter()
                .map(|r| view! { <tr><th scope="row">{value_text(t, s, &b.dimension, &r.value)}</th><td class="num">{r.total}</td></tr> })
                .collect_view();
            let caption = dimension_text(s, &b.dimension);
            let id = match b.dimension.as_str() {
                "kind" => "stats-by-kind",
                "channel" => "stats-by-channel",
                "role" => "stats-by-role",
                "phase" => "stats-by-phase",
                "severity" => "stats-by-severity",
                _ => "stats-by-unit",
            };
            view! {
                <DataTable caption_id=id caption=caption columns=vec![s.col_value, s.col_total]>
                    {rows}
                </DataTable>
            }
        })
        .collect_view();
    view! {
        <p>{fill(s.purged_note, st.purged)}</p>
        {figure("stats-counts", counts_title, st.buckets.clone(), st.counts, false, s.col_reports, s)}
        {figure("stats-backlog", backlog_title, st.buckets, st.backlog, true, s.col_open, s)}
        <section class="stats-figure" aria-labelledby="stats-answer-title" data-testid="stats-times">
            <h2 id="stats-answer-title">{answer_title}</h2>
            {times_table(t, s, st.times)}
        </section>
        <h2>{fill(s.serious_title, st.serious_total)}</h2>
        <h2>{fill3(s.feedback_title, f.with_feedback, f.closed, f.unknown)}</h2>
        <section class="stats-by" aria-labelledby="stats-by-title">
            <h2 id="stats-by-title">{s.by_title}</h2>
            <div class="stats-by__tables">{by}</div>
        </section>
    }
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let t = use_texts();
    let s = stats_texts(use_lang());
    browser::set_title(s.title, t.app_name);
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(|q| KEYS.map(|k| q.get_str(k).unwrap_or_default().to_owned())));
    let data = LocalResource::new(move || {
        let q = query_string(&filters.get());
        async move { api::stats::stats(&q).await }
    });
    let me = LocalResource::new(current_user);
    let is_coordinator = move || me.get().and_then(Result::ok).is_some_and(|u| u.is_coordinator());
    let to_sign_in = use_sign_in_redirect();
    Effect::new(move |_| {
        if data.get().is_some_and(|r| r.as_ref().is_err_and(ApiError::needs_sign_in)) {
            to_sign_in();
        }
    });
    let draft = RwSignal::new(filters.get_untracked());
    Effect::new(move |_| draft.set(filters.get()));
    let navigate = use_navigate();
    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        let q = query_string(&draft.get_untracked());
        let url = if q.is_empty() { STATS_PATH.to_owned() } else { format!("{STATS_PATH}?{q}") };
        navigate(&url, NavigateOptions::default());
    };
    let aggregate = RwSignal::new(String::new());
    let q = move || query_string(&filters.get());
    // The coordinator's words for the report's fields, not the form's questions.
    let d = crate::i18n::desk::use_desk_texts();
    view! {
        <CoordinatorBar />
        <h1>{s.title}</h1>
        <p>{s.intro}</p>
        <form class="inbox-filters stats-filters" aria-label=s.filters novalidate on:submit=apply>
            <div class="filter-grid">
                {select(t, draft, "period", s.label_period, vec![("week", s.period_week), ("month", s.period_month)], false)}
                {select(t, draft, "kind", d.kind, choices(IncidentKind::ALL, IncidentKind::as_str, |v| t.kind(v)), true)}
                {select(t, draft, "role", d.role, choices(Role::ALL, Role::as_str, |v| t.role(v)), true)}
                {select(t, draft, "phase", d.phase, choices(Phase::ALL, Phase::as_str, |v| t.phase(v)), true)}
                {select(t, draft, "severity", t.label_severity, choices(Severity::ALL, Severity::as_str, |v| t.severity(v)), true)}
                {select(t, draft, "status", t.label_status, choices(Status::ALL, Status::as_str, |v| t.status(v)), true)}
                {date_input(draft, "from", t.label_from)}
                {date_input(draft, "to", t.label_to)}
            </div>
            <button type="submit" class="button button--primary">{s.show}</button>
        </form>
        {move || match data.get() {
            None => view! { <p role="status">{s.loading}</p> }.into_any(),
            Some(Err(ApiError::Other { status: 403, .. })) => view! { <p class="notice notice--error" role="alert">{s.forbidden}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            Some(Ok(st)) => results(t, s, st).into_any(),
        }}
        <section class="stats-exports" aria-labelledby="stats-exports-title">
            <h2 id="stats-exports-title">{s.exports}</h2>
            <ul>
                <li><a href=move || format!("/api/stats/csv?{}", q()) download>{s.export_csv}</a></li>
                <Show when=is_coordinator>
                    <li><a href=move || format!("/api/stats/rows?{}", q()) download>{s.export_rows}</a></li>
                </Show>
            </ul>
            <div class="field">
                <label for="stats-aggregate">{s.label_aggregate}</label>
                <p id="stats-aggregate-hint" class="hint">{s.aggregate_hint}</p>
                <input id="stats-aggregate" type="text" inputmode="text" aria-describedby="stats-aggregate-hint"
                    prop:value=move || aggregate.get() on:input=move |ev| aggregate.set(event_target_value(&ev)) />
            </div>
            <Show when=move || !aggregate.get().trim().is_empty()>
                <ul>
                    <li><a href=move || format!("/api/stats/aggregate?period={}&format=csv", percent_encode(aggregate.get().trim())) download>{s.export_aggregate_csv}</a></li>
                    <li><a href=move || format!("/api/stats/aggregate?period={}", percent_encode(aggregate.get().trim()))>{s.export_aggregate_json}</a></li>
                </ul>
            </Show>
        </section>
    }
}
