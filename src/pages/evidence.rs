//! A report's "Evidence" section on the case page: its files (size, time received, SHA-256) with
//! a link that opens each one in a new tab. Opening is a request of its own, which the server
//! writes to the access log and answers with `no-store`; the list carries no image. When the
//! report is assigned to another coordinator the server says so (`can_open`), and the section
//! lists the files without links.

use leptos::prelude::*;

use crate::api::evidence::{attachments_of, view_url};
use crate::browser;
use crate::i18n::evidence::size_text;
use crate::i18n::{use_evidence_texts, use_lang, use_texts};
use crate::pages::shell::error_text;

#[component]
pub fn EvidenceSection(report_id: String) -> impl IntoView {
    let t = use_texts();
    let e = use_evidence_texts();
    let lang = use_lang();
    let id = StoredValue::new(report_id);
    let list = LocalResource::new(move || {
        let id = id.get_value();
        async move { attachments_of(&id).await }
    });
    view! {
        <section aria-labelledby="case-evidence" data-testid="evidence">
            <h2 id="case-evidence">{e.section}</h2>
            {move || match list.get() {
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
                Some(Err(err)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &err)}</p> }.into_any(),
                Some(Ok(list)) if list.items.is_empty() => view! { <p>{e.none}</p> }.into_any(),
                Some(Ok(list)) => {
                    let can_open = list.can_open;
                    let rows = list
                        .items
                        .into_iter()
                        .enumerate()
                        .map(|(n, f)| {
                            let href = view_url(&id.get_value(), &f.id);
                            let label = format!("{} {}", e.file, n + 1);
                            let received = browser::format_datetime(lang.tag(), &f.received_at);
                            view! {
                                <li class="evidence" data-testid="evidence-file">
                                    {if can_open {
                                        view! {
                                            <p>
                                                <a href=href target="_blank" rel="noopener noreferrer">
                                                    {format!("{} {label}", e.view)}
                                                </a>
                                                " ("
                                                {e.view_hint}
                                                ")"
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! { <p>{label}</p> }.into_any()
                                    }}
                                    <dl class="evidence__facts">
                                        <dt>{e.size}</dt>
                                        <dd>{format!("{} · {}×{}", size_text(f.bytes), f.width, f.height)}</dd>
                                        <dt>{e.received}</dt>
                                        <dd>{received}</dd>
                                        <dt>{e.sha256}</dt>
                                        <dd><code class="evidence__hash">{f.sha256}</code></dd>
                                    </dl>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        {(!can_open).then(|| view! { <p class="notice" data-testid="evidence-assignee-only">{e.assignee_only}</p> })}
                        <ol class="evidence-list">{rows}</ol>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
