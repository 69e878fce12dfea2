//! The coordinator inbox: the newest reports in a table, more on request; sign-out.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use trygg_domain::{IdentityChoice, IncidentKind, Role, Status};

use crate::api::{self, ApiError};
use crate::browser;
use crate::form::excerpt;
use crate::i18n::{Lang, Texts, fill, label_or_raw, use_lang, use_texts};
use crate::model::{ReportPage, ReportSummary};

/// How much of a description a row shows.
const EXCERPT_CHARS: usize = 120;

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.inbox_title, t.app_name);
    let navigate = use_navigate();
    let to_login = move || navigate("/samordnare/logga-in", NavigateOptions { replace: true, ..Default::default() });

    let first = LocalResource::new(|| api::list_reports(None));
    // Pages fetched with "Visa fler", in order.
    let more = RwSignal::new(Vec::<ReportPage>::new());
    let problem = RwSignal::new(None::<String>);

    {
        let to_login = to_login.clone();
        Effect::new(move |_| {
            if let Some(Err(ApiError::Unauthorized)) = first.get() {
                to_login();
            }
        });
    }

    let load_more = {
        let to_login = to_login.clone();
        Action::new_local(move |cursor: &String| {
            let cursor = cursor.clone();
            let to_login = to_login.clone();
            async move {
                match api::list_reports(Some(cursor)).await {
                    Ok(page) => more.update(|pages| pages.push(page)),
                    Err(ApiError::Unauthorized) => to_login(),
                    Err(e) => problem.set(Some(error_text(t, &e))),
                }
            }
        })
    };

    let logout = Action::new_local(move |_: &()| {
        let to_login = to_login.clone();
        async move {
            match api::logout().await {
                Ok(()) | Err(ApiError::Unauthorized) => to_login(),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });

    view! {
        <div class="page-head">
            <h1>{t.inbox_title}</h1>
            <button type="button" class="button" on:click=move |_| { logout.dispatch(()); }>
                {t.logout}
            </button>
        </div>
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
                    match first.await {
                        Ok(page) => Ok(table(t, lang, page, more, load_more).into_any()),
                        // The effect above is already on its way to the sign-in page.
                        Err(ApiError::Unauthorized) => Ok(().into_any()),
                        Err(e) => Err(e),
                    }
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

fn error_text(t: &Texts, e: &ApiError) -> String {
    match e {
        ApiError::Network => t.network_error.to_owned(),
        e => fill(t.server_error, e.code()),
    }
}

/// The report table with its "Visa fler" button.
fn table(
    t: &'static Texts,
    lang: Lang,
    first: ReportPage,
    more: RwSignal<Vec<ReportPage>>,
    load_more: Action<String, ()>,
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

    view! {
        <div class="table-wrap" role="region" aria-labelledby="inbox-caption" tabindex="0">
            <table class="reports">
                <caption id="inbox-caption">{t.inbox_caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.col_received}</th>
                        <th scope="col">{t.col_kind}</th>
                        <th scope="col">{t.col_role}</th>
                        <th scope="col">{t.col_identity}</th>
                        <th scope="col">{t.col_description}</th>
                        <th scope="col">{t.col_status}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|r| r.id.clone() children=move |r| row(t, lang, r) />
                </tbody>
            </table>
        </div>
        <Show when=empty>
            <p>{t.inbox_empty}</p>
        </Show>
        {move || {
            cursor()
                .map(|c| {
                    view! {
                        <button
                            type="button"
                            class="button load-more"
                            aria-disabled=move || pending.get().then_some("true")
                            on:click=move |_| {
                                if !pending.get_untracked() {
                                    load_more.dispatch(c.clone());
                                }
                            }
                        >
                            {t.load_more}
                        </button>
                    }
                })
        }}
    }
}

fn row(t: &'static Texts, lang: Lang, r: ReportSummary) -> impl IntoView {
    view! {
        <tr data-testid="report-row">
            <td class="nowrap">{browser::format_datetime(lang.tag(), &r.received_at)}</td>
            <td>{label_or_raw::<IncidentKind>(&r.kind, |v| t.kind(v))}</td>
            <td>{label_or_raw::<Role>(&r.role, |v| t.role(v))}</td>
            <td>{label_or_raw::<IdentityChoice>(&r.identity, |v| t.identity_short(v))}</td>
            <td class="description">
                <A href=format!("/samordnare/inkorg/{}", r.id)>{excerpt(&r.description, EXCERPT_CHARS)}</A>
            </td>
            <td>{label_or_raw::<Status>(&r.status, |v| t.status(v))}</td>
        </tr>
    }
}
