//! The coordinator inbox: search and filters (kept in the URL, so reload and back keep them),
//! counts per status, the reports in a table with an unread marker, and more on request.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use trygg_domain::{IdentityChoice, IncidentKind, Role, Severity, Status};

use crate::api;
use crate::browser;
use crate::components::data_table::{DataTable, LoadMore};
use crate::form::excerpt;
use crate::i18n::{Lang, Texts, fill, label_or_raw, use_lang, use_texts};
use crate::model::{Colleague, Counts, InboxQuery, ReportPage, ReportSummary};
use crate::pages::shell::{CoordinatorBar, INBOX_PATH, current_user, error_text, use_sign_in_redirect};

mod filters;
use filters::FilterForm;

/// How much of a description a row shows (the server sends at most this much).
const EXCERPT_CHARS: usize = 120;

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.inbox_title, t.app_name);
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        query.with(|q| InboxQuery::from_pairs(InboxQuery::KEYS.iter().filter_map(|k| q.get_str(k).map(|v| (*k, v)))))
    });

    let first = LocalResource::new(move || {
        let f = filters.get();
        async move { api::list_reports(&f, None).await }
    });
    let counts = LocalResource::new(move || {
        let f = filters.get();
        async move { api::report_counts(&f).await }
    });
    let colleagues = LocalResource::new(api::coordinators);
    let me = LocalResource::new(current_user);
    // Pages fetched with "Visa fler", in order; a new filter starts again from the first page.
    let more = RwSignal::new(Vec::<ReportPage>::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        filters.track();
        more.set(Vec::new());
    });

    let to_sign_in = use_sign_in_redirect();
    Effect::new(move |_| {
        let lost = [first.get().and_then(Result::err), counts.get().and_then(Result::err)]
            .into_iter()
            .flatten()
            .any(|e| e.needs_sign_in());
        if lost {
            to_sign_in();
        }
    });

    let load_more = Action::new_local(move |cursor: &String| {
        let cursor = cursor.clone();
        async move {
            match api::list_reports(&filters.get_untracked(), Some(cursor)).await {
                Ok(page) => more.update(|pages| pages.push(page)),
                Err(e) if e.needs_sign_in() => problem.set(Some(t.session_ended.to_owned())),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });

    let colleague_list = Signal::derive(move || colleagues.get().and_then(Result::ok).unwrap_or_default());
    let my_id = Signal::derive(move || me.get().and_then(Result::ok).map(|u| u.id).unwrap_or_default());

    view! {
        <CoordinatorBar />
        <h1>{t.inbox_title}</h1>
        <FilterForm filters colleagues=colleague_list />
        <StatusCounts filters counts=Signal::derive(move || counts.get().and_then(Result::ok)) />
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        <Suspense fallback=move || view! { <p role="status">{t.loading}</p> }>
            <ErrorBoundary fallback=move |_| {
                view! {
                    <div class="notice notice--error" role="alert">
                        <p>{t.load_error}</p>
                        <button type="button" class="button" on:click=move |_| first.refetch()>{t.retry}</button>
                    </div>
                }
            }>
                {move || Suspend::new(async move {
                    let filtered = filters.with_untracked(|f| *f != InboxQuery::default());
                    match first.await {
                        Ok(page) => {
                            Ok(
                                table(t, lang, page, more, load_more, filtered, colleague_list, my_id)
                                    .into_any(),
                            )
                        }
                        // The effect above is already on its way to the sign-in page.
                        Err(e) if e.needs_sign_in() => Ok(().into_any()),
                        Err(e) => Err(e),
                    }
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// Links to each status with its count under the other filters; the chosen one is marked.
#[component]
fn StatusCounts(filters: Memo<InboxQuery>, counts: Signal<Option<Counts>>) -> impl IntoView {
    let t = use_texts();
    let statuses: Vec<(&'static str, &'static str)> =
        std::iter::once(("", t.filter_any)).chain(Status::ALL.iter().map(|&s| (s.as_str(), t.status(s)))).collect();
    let items = statuses
        .into_iter()
        .map(|(status, label)| {
            // The server stops counting at `cap`: "10000+" then, not a false exact number.
            let count = move || {
                counts.get().map(|c| {
                    let n = if status.is_empty() { c.total() } else { c.of(status) };
                    if c.at_least(status) { format!("({n}+)") } else { format!("({n})") }
                })
            };
            let current = move || filters.with(|f| f.status == status);
            view! {
                <li>
                    <a
                        href=move || filters.with(|f| f.with_status(status).url(INBOX_PATH))
                        class="status-link"
                        aria-current=move || current().then_some("page")
                        data-testid=format!("status-count-{}", if status.is_empty() { "all" } else { status })
                    >
                        {label}
                        // The space is text inside the span: a lone " " beside it was dropped ("Alla(1)").
                        {move || count().map(|n| view! { <span class="count">{format!("\u{a0}{n}")}</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-label=t.counts_label>
            <ul class="status-links">{items}</ul>
        </nav>
    }
}

/// The report table with its "Visa fler" button.
#[allow(clippy::too_many_arguments)]
fn table(
    t: &'static Texts,
    lang: Lang,
    first: ReportPage,
    more: RwSignal<Vec<ReportPage>>,
    load_more: Action<String, ()>,
    filtered: bool,
    colleagues: Signal<Vec<Colleague>>,
    my_id: Signal<String>,
) -> impl IntoView {
    let first = StoredValue::new(first);
    let rows = move || {
        let mut rows = first.with_value(|p| p.items.clone());
        more.with(|pages| rows.extend(pages.iter().flat_map(|p| p.items.iter().cloned())));
        rows
    };
    let cursor = move || {
        more.with(|pages| pages.last().map(|p| p.next_cursor.clone()))
            .unwrap_or_else(|| first.with_value(|p| p.next_cursor.clone()))
    };
    let empty =
        move || first.with_value(|p| p.items.is_empty()) && more.with(|pages| pages.iter().all(|p| p.items.is_empty()));
    let pending = load_more.pending();
    let assignee_name = move |id: &Option<String>| -> String {
        let Some(id) = id else { return t.assignee_nobody.to_owned() };
        let name = colleagues.with(|list| list.iter().find(|c| &c.id == id).map(|c| c.display_name.clone()));
        let name = name.unwrap_or_else(|| id.chars().take(8).collect());
        if my_id.with(|me| me == id) { fill(t.you_suffix, name) } else { name }
    };

    view! {
        <DataTable
            caption_id="inbox-caption"
            caption=t.inbox_caption
            columns=vec![
                t.col_description,
                t.col_received,
                t.col_status,
                t.label_severity,
                t.label_assignee,
                t.col_kind,
                t.col_role,
                t.col_identity,
            ]
        >
            <For
                each=rows
                key=|r| r.id.clone()
                children=move |r| {
                    let id = r.assignee_id.clone();
                    row(t, lang, r, move || assignee_name(&id))
                }
            />
        </DataTable>
        <Show when=empty>
            <p>{if filtered { t.inbox_no_match } else { t.inbox_empty }}</p>
        </Show>
        {move || {
            cursor()
                .map(|c| {
                    let load = Callback::new(move |()| {
                        load_more.dispatch(c.clone());
                    });
                    view! { <LoadMore pending load /> }
                })
        }}
    }
}

fn row(
    t: &'static Texts,
    lang: Lang,
    r: ReportSummary,
    assignee: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    let unread = r.unread;
    let severity = r
        .severity
        .as_deref()
        .map_or_else(|| t.severity_unset.to_owned(), |s| label_or_raw::<Severity>(s, |v| t.severity(v)));
    view! {
        <tr data-testid="report-row" class:row--unread=unread data-unread=unread.then_some("true")>
            <td class="description">
                {unread.then(|| view! { <span class="badge badge--unread">{t.unread}</span> " " })}
                <A href=format!("{INBOX_PATH}/{}", r.id)>{excerpt(&r.excerpt, EXCERPT_CHARS)}</A>
            </td>
            <td class="nowrap">{browser::format_datetime(lang.tag(), &r.received_at)}</td>
            <td>{label_or_raw::<Status>(&r.status, |v| t.status(v))}</td>
            <td>{severity}</td>
            <td>{assignee}</td>
            <td>{label_or_raw::<IncidentKind>(&r.kind, |v| t.kind(v))}</td>
            <td>{label_or_raw::<Role>(&r.role, |v| t.role(v))}</td>
            <td>{label_or_raw::<IdentityChoice>(&r.identity, |v| t.identity_short(v))}</td>
        </tr>
    }
}
