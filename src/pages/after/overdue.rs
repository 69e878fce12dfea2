//! The overdue list (`/samordnare/uppgifter`): open support tasks whose due date has ended, of
//! every report, earliest first — kind, due date, owner and a link to the case; no note, no
//! next step (the case page shows them, audited).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::ApiError;
use crate::api::after::overdue_tasks;
use crate::browser;
use crate::i18n::after::use_after_texts;
use crate::i18n::use_texts;
use crate::pages::shell::{CoordinatorBar, INBOX_PATH, error_text, use_sign_in_redirect};

/// The page's path.
pub const TASKS_PATH: &str = "/samordnare/uppgifter";

#[component]
pub fn OverdueTasksPage() -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    browser::set_title(a.overdue_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let list = LocalResource::new(overdue_tasks);
    Effect::new(move |_| {
        if list.get().is_some_and(|r| r.as_ref().is_err_and(ApiError::needs_sign_in)) {
            to_sign_in();
        }
    });
    view! {
        <CoordinatorBar />
        <h1>{a.overdue_title}</h1>
        {move || match list.get() {
            None => view! { <p role="status">{t.loading}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            Some(Ok(items)) if items.is_empty() => view! { <p>{a.overdue_none}</p> }.into_any(),
            Some(Ok(items)) => view! {
                <ul class="tasks">
                    {items
                        .into_iter()
                        .map(|i| {
                            let short: String = i.report_id.chars().take(8).collect();
                            view! {
                                <li class="task task--overdue" data-testid="overdue-task">
                                    <p>
                                        <strong>{a.kind(i.kind)}</strong>
                                        {format!(" · {}: {} · {}: {}", a.due_on, i.due_on, a.owner, i.owner_name)}
                                    </p>
                                    <A href=format!("{INBOX_PATH}/{}", i.report_id)>{format!("{} {short}", a.open_case)}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        }}
    }
}
